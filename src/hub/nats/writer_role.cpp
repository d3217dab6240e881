// The writer role's rules.
#include "hub/nats/writer_role.h"

namespace vigil::hub::nats {

WriterRole::WriterRole(std::int64_t interval_ms, std::int64_t now_ms, int takeover_intervals)
    : interval_ms_(interval_ms),
      takeover_after_ms_(interval_ms * (takeover_intervals > 0 ? takeover_intervals : 1)),
      last_frame_ms_(now_ms) {}

bool WriterRole::may_publish(std::int64_t now_ms, bool connected) const {
    if (in_flight_ || !connected) return false;
    if (active_) return true;
    // A hub just started also waits: a writer that is alive shows itself within an interval.
    return now_ms - last_frame_ms_ >= takeover_after_ms_;
}

bool WriterRole::finished(PublishOutcome outcome, std::int64_t now_ms) {
    in_flight_ = false;
    const bool was = active_;
    switch (outcome) {
    case PublishOutcome::stored:
        active_ = true;
        last_frame_ms_ = now_ms;
        if (!was) ++takeovers_;
        break;
    case PublishOutcome::lost_race:
        active_ = false;
        last_frame_ms_ = now_ms;  // someone writes: wait a whole takeover delay again
        break;
    case PublishOutcome::failed:
        break;
    }
    return was != active_;
}

bool WriterRole::other_writer_seen(std::int64_t now_ms) {
    if (!active_) return false;
    active_ = false;
    last_frame_ms_ = now_ms;
    return true;
}

}  // namespace vigil::hub::nats
