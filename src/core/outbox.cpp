// Outbox: ordered, bounded, coalescing queue of outbound text messages.
#include "core/outbox.h"

#include <algorithm>
#include <utility>

namespace vigil::core {

Outbox::Outbox(std::size_t max_messages, std::size_t max_bytes)
    : max_messages_(std::max<std::size_t>(1, max_messages)), max_bytes_(max_bytes) {}

bool Outbox::push(std::string text, std::string coalesce_key) {
    if (text.size() > max_bytes_) {
        ++drops_;
        return false;
    }
    if (!coalesce_key.empty()) {
        const auto same = std::find_if(entries_.begin(), entries_.end(),
                                       [&](const Entry& e) { return e.key == coalesce_key; });
        if (same != entries_.end()) {
            bytes_ -= same->text.size();
            entries_.erase(same);  // replaced, not dropped: the latest value wins
        }
    }
    while (!entries_.empty() &&
           (entries_.size() + 1 > max_messages_ || bytes_ + text.size() > max_bytes_)) {
        pop_front();
        ++drops_;
    }
    bytes_ += text.size();
    entries_.push_back(Entry{std::move(text), std::move(coalesce_key)});
    return true;
}

void Outbox::pop_front() {
    bytes_ -= entries_.front().text.size();
    entries_.pop_front();
}

void Outbox::clear() {
    drops_ += entries_.size();
    entries_.clear();
    bytes_ = 0;
}

}  // namespace vigil::core
