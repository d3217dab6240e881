// In-memory frame ring.
#include "hub/memory_frame_store.h"

#include <algorithm>
#include <stdexcept>

namespace vigil::hub {

MemoryFrameStore::MemoryFrameStore(std::string epoch, std::size_t retention_frames)
    : epoch_(std::move(epoch)), retention_(retention_frames ? retention_frames : 1) {}

void MemoryFrameStore::append(protocol::Seq seq, std::int64_t t_ms, const std::string& text) {
    if (seq <= head_) throw std::logic_error("frame store: seq must rise");
    frames_.push_back({seq, t_ms, text});
    head_ = seq;
    while (frames_.size() > retention_) frames_.pop_front();
}

std::vector<StoredFrame> MemoryFrameStore::read(protocol::Seq from, std::size_t max_frames) {
    std::vector<StoredFrame> out;
    if (frames_.empty() || from > head_) return out;
    auto it = std::lower_bound(frames_.begin(), frames_.end(), from,
                               [](const StoredFrame& f, protocol::Seq s) { return f.seq < s; });
    for (; it != frames_.end() && out.size() < max_frames; ++it) out.push_back(*it);
    return out;
}

std::optional<protocol::Seq> MemoryFrameStore::seq_at_or_after(std::int64_t t_ms) {
    for (auto& f : frames_)
        if (f.t_ms >= t_ms) return f.seq;
    return std::nullopt;
}

}  // namespace vigil::hub
