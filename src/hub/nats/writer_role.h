// Exactly one collector appends to a shared stream: the writer role of one hub, as a pure state
// machine (time passed in, no I/O), so takeover rules are unit-tested without NATS.
//
// Implemented features:
//  [X] standby until the stream has been silent for takeover_intervals intervals, then one try
//  [X] one publish in flight at a time; a tick while one is in flight is skipped, not queued
//  [X] a publish refused because another hub stored that seq first (wrong last sequence,
//      duplicate message id) makes this hub a standby at once: never two writers for long
//  [X] other failures (no NATS, timeout) keep the role; the expected-last-sequence check makes a
//      late or repeated publish harmless (it is refused, never stored under a second seq)
//  [X] of two active hubs (a takeover during an election), one stands by on the other's frame
//  [ ] a lease in a key-value bucket: the stream's own sequence check is the arbiter here
#pragma once

#include <cstdint>

namespace vigil::hub::nats {

enum class PublishOutcome {
    stored,     // stored under the seq it was sampled for
    lost_race,  // another writer stored that seq first: this hub is not the writer
    failed,     // not known to be stored (no connection, timeout, other error)
};

class WriterRole {
public:
    // Times are monotonic ms. A standby tries once the stream was silent takeover_intervals.
    WriterRole(std::int64_t interval_ms, std::int64_t now_ms, int takeover_intervals = 2);

    // A frame was stored by any hub (this one included): the stream is alive.
    void frame_seen(std::int64_t now_ms) { last_frame_ms_ = now_ms; }
    // Whether to sample and publish now.
    bool may_publish(std::int64_t now_ms, bool connected) const;
    void publishing() { in_flight_ = true; }
    // The publish ended. Returns true when the role changed (for a log line).
    bool finished(PublishOutcome outcome, std::int64_t now_ms);
    // Another hub's frame arrived while this one is active: both hold the role (the caller
    // decides which gives way). Stands by, waiting a whole takeover delay; true when it was active.
    bool other_writer_seen(std::int64_t now_ms);

    bool active() const { return active_; }
    bool in_flight() const { return in_flight_; }
    std::uint64_t takeovers() const { return takeovers_; }

private:
    std::int64_t interval_ms_;
    std::int64_t takeover_after_ms_;
    std::int64_t last_frame_ms_;
    bool active_ = false;
    bool in_flight_ = false;
    std::uint64_t takeovers_ = 0;
};

}  // namespace vigil::hub::nats
