// What the stream's consumers delivered and the hub's thread has not taken yet, per open attempt:
// a subscription of an earlier attempt (destroyed while nats.c may still be delivering) cannot
// put a frame of the old stream into the new one's copy.
//
// Implemented features:
//  [X] frames and catalogs in order, the newest preview in one slot (an older one is older news)
//  [X] the newest seq delivered and whether a frame came with nothing pending after it (catch-up)
//  [X] reset(): a new open attempt (generation + 1); deliveries tagged with another generation
//      are dropped and counted, so they change neither the inbox nor the catch-up facts
//  [ ] locking: the owner holds its lock around every call (nats.c's threads and the hub's)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil::hub::nats {

struct Delivery {
    bool catalog = false;  // else a frame, or a preview
    std::uint64_t seq = 0;
    std::int64_t t_ms = 0;
    std::shared_ptr<const std::string> payload;
    std::string writer = {};    // the frame's Vigil-Writer header ("" when absent)
    bool preview = false;       // core NATS <stream>.preview: no seq, never stored
    std::uint64_t pending = 1;  // a frame's NumPending: 0 when the stream held nothing after it
};

class ConsumerInbox {
public:
    // The open attempt whose subscriptions may deliver now (tag each subscription with it).
    std::uint64_t generation() const { return generation_; }
    // A new attempt: everything held goes, and deliveries of the previous ones are dropped.
    void reset();
    // false (dropped) when `generation` is not the current attempt's.
    bool add(std::uint64_t generation, Delivery d);
    // Takes the frames and catalogs held, in order, and the newest preview.
    std::vector<Delivery> take_items();
    std::optional<Delivery> take_preview();
    bool empty() const { return items_.empty() && !preview_; }

    std::uint64_t last_seq() const { return last_seq_; }
    bool read_all() const { return read_all_; }  // a frame came with nothing pending after it
    bool catalog_arrived() const { return catalog_arrived_; }
    std::uint64_t stale_dropped() const { return stale_dropped_; }

private:
    std::uint64_t generation_ = 0;
    std::vector<Delivery> items_;
    std::optional<Delivery> preview_;
    std::uint64_t last_seq_ = 0;
    bool read_all_ = false;
    bool catalog_arrived_ = false;
    std::uint64_t stale_dropped_ = 0;
};

}  // namespace vigil::hub::nats
