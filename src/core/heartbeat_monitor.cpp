// Dead-peer detection: ping after ping_after of silence (again every ping_after), dead after dead_after.
#include "core/heartbeat_monitor.h"

#include <algorithm>

namespace vigil::core {

HeartbeatMonitor::HeartbeatMonitor(double ping_after_ms, double dead_after_ms)
    : ping_after_(std::max(1.0, ping_after_ms)), dead_after_(std::max(1.0, dead_after_ms)) {}

void HeartbeatMonitor::restart(double now_ms) {
    last_inbound_ = now_ms;
    last_ping_ = now_ms;  // a fresh socket is as good as an answered ping
}

void HeartbeatMonitor::saw_inbound(double now_ms) { last_inbound_ = std::max(last_inbound_, now_ms); }

void HeartbeatMonitor::sent_ping(double now_ms) { last_ping_ = std::max(last_ping_, now_ms); }

// Compare against the same sums next_check_at() returns: `now - last >= after` can be false at
// now == last + after when the times are not whole numbers (rounding), and a timer armed for
// exactly then would find nothing to do, re-arm with zero delay and spin forever.
HeartbeatMonitor::Verdict HeartbeatMonitor::check(double now_ms) const {
    if (now_ms >= last_inbound_ + dead_after_) return Verdict::Dead;
    if (now_ms >= std::max(last_inbound_, last_ping_) + ping_after_) return Verdict::SendPing;
    return Verdict::Quiet;
}

double HeartbeatMonitor::next_check_at() const {
    return std::min(last_inbound_ + dead_after_, std::max(last_inbound_, last_ping_) + ping_after_);
}

}  // namespace vigil::core
