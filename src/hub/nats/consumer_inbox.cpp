// The consumers' inbox: deliveries of the current open attempt only.
#include "hub/nats/consumer_inbox.h"

#include <algorithm>

namespace vigil::hub::nats {

void ConsumerInbox::reset() {
    ++generation_;
    items_.clear();
    preview_.reset();
    last_seq_ = 0;
    read_all_ = false;
    catalog_arrived_ = false;
}

bool ConsumerInbox::add(std::uint64_t generation, Delivery d) {
    if (generation != generation_) {
        ++stale_dropped_;
        return false;
    }
    if (d.preview) {
        if (!preview_ || preview_->t_ms < d.t_ms) preview_ = std::move(d);
        return true;
    }
    if (d.catalog) {
        catalog_arrived_ = true;
    } else {
        last_seq_ = std::max(last_seq_, d.seq);
        if (d.pending == 0) read_all_ = true;
    }
    items_.push_back(std::move(d));
    return true;
}

std::vector<Delivery> ConsumerInbox::take_items() {
    std::vector<Delivery> out;
    out.swap(items_);
    return out;
}

std::optional<Delivery> ConsumerInbox::take_preview() {
    std::optional<Delivery> out;
    out.swap(preview_);
    return out;
}

}  // namespace vigil::hub::nats
