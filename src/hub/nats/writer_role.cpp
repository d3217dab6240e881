// The writer role's rules.
#include "hub/nats/writer_role.h"

namespace vigil::hub::nats {

WriterRole::WriterRole(std::int64_t interval_ms, std::int64_t now_ms, int takeover_intervals)
    : interval_ms_(interval_ms),
      takeover_after_ms_(interval_ms * (takeover_intervals > 0 ? takeover_intervals : 1)),
      last_frame_ms_(now_ms) {}

bool WriterRole::may_publish(std::int64_t now_ms, bool connected, std::uint64_t head_seq) const {
    if (in_flight_ || !connected || lost_ || left_) return false;
    if (active_) return true;
    if (leaver_last_ > 0 && head_seq >= leaver_last_) return true;
    // A hub just started also waits: a writer that is alive shows itself within an interval.
    return now_ms - last_frame_ms_ >= takeover_after_ms_;
}

bool WriterRole::finished(PublishOutcome outcome, std::int64_t now_ms) {
    in_flight_ = false;
    last_failed_ = outcome == PublishOutcome::failed;
    const bool was = active_;
    switch (outcome) {
    case PublishOutcome::stored:
        // Stored, though the connection dropped meanwhile or the hub is leaving: not the writer.
        active_ = !lost_ && !left_;
        last_frame_ms_ = now_ms;
        if (active_ && !was) {
            ++takeovers_;
            if (leaver_last_ > 0) ++takeovers_on_note_;
        }
        leaver_last_ = 0;
        break;
    case PublishOutcome::lost_race:
        active_ = false;
        last_frame_ms_ = now_ms;  // someone writes: wait a whole takeover delay again
        leaver_last_ = 0;
        break;
    case PublishOutcome::failed:
        break;
    }
    return was != active_;
}

void WriterRole::writer_left(std::uint64_t last_seq) {
    if (!active_ && !left_) leaver_last_ = last_seq;
}

bool WriterRole::leave() {
    const bool was = active_;
    active_ = false;
    left_ = true;
    return was && !last_failed_;
}

bool WriterRole::connection_lost() {
    const bool was = active_;
    if (!lost_) lost_as_writer_ = active_;
    active_ = false;
    lost_ = true;
    leaver_last_ = 0;  // whatever was said before the drop may be stale now
    return was;
}

bool WriterRole::connection_back(std::int64_t now_ms, bool stream_moved) {
    if (!lost_) return false;
    lost_ = false;
    const bool resume = lost_as_writer_ && !left_ && !stream_moved && now_ms - last_frame_ms_ < takeover_after_ms_;
    lost_as_writer_ = false;
    if (resume) {
        active_ = true;
        ++resumes_;
        return true;
    }
    last_frame_ms_ = now_ms;
    return false;
}

void WriterRole::restart(std::int64_t now_ms) {
    active_ = false;
    in_flight_ = false;
    last_failed_ = false;
    lost_as_writer_ = false;
    leaver_last_ = 0;
    last_frame_ms_ = now_ms;
}

bool WriterRole::other_writer_seen(std::int64_t now_ms) {
    if (!active_) return false;
    active_ = false;
    last_frame_ms_ = now_ms;
    return true;
}

}  // namespace vigil::hub::nats
