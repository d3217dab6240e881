// Hub time from pongs and live frames (see the header).
#include "model/hub_clock.h"

#include <algorithm>
#include <cmath>

namespace vigil::model {

void HubClock::on_pong(double sent_ms, double received_ms, std::int64_t hub_t_ms) {
    const double rtt = received_ms - sent_ms;
    if (hub_t_ms <= 0 || !std::isfinite(rtt) || rtt < 0) return;  // no stamp, or not our ping
    const PongSample fresh{static_cast<double>(hub_t_ms) - (sent_ms + received_ms) / 2, rtt};
    // Keep the older pongs that agree with this one (their ranges meet, give or take kStepMs),
    // oldest first, leaving room for it.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < pong_count_; ++i) {
        const PongSample& p = pongs_[i];
        if (std::fabs(p.offset - fresh.offset) <= (p.rtt + fresh.rtt) / 2 + kStepMs) pongs_[kept++] = p;
    }
    if (kept == kPongs) {
        std::copy(pongs_.begin() + 1, pongs_.end(), pongs_.begin());
        --kept;
    }
    pongs_[kept] = fresh;
    pong_count_ = kept + 1;
}

void HubClock::on_live_frame(double t_ms, double received_ms) {
    if (!std::isfinite(t_ms) || !std::isfinite(received_ms) || t_ms <= 0) return;
    const double bound = t_ms - received_ms;
    if (!known() || bound <= offset_ms() + kJumpMs) {
        pending_count_ = 0;  // a frame that agrees: any far one before it was a one-off
        add_frame(bound);
        return;
    }
    // Far ahead: wait for the frames after it. A run that does not agree with itself starts again.
    if (pending_count_ > 0) {
        const auto [lo, hi] = std::minmax_element(pending_.begin(), pending_.begin() + pending_count_);
        if (std::max(*hi, bound) - std::min(*lo, bound) > kJumpMs) pending_count_ = 0;
    }
    pending_[pending_count_++] = bound;
    if (pending_count_ < kConfirmFrames) return;
    for (std::size_t i = 0; i < pending_count_; ++i) add_frame(pending_[i]);
    pending_count_ = 0;
}

double HubClock::offset_ms() const {
    double lower = -INFINITY;
    for (std::size_t i = 0; i < std::min(frame_count_, kFrames); ++i) lower = std::max(lower, frames_[i]);
    if (pong_count_ == 0) return std::isfinite(lower) ? lower : 0;
    const PongSample* best = &pongs_[0];
    for (std::size_t i = 1; i < pong_count_; ++i)
        if (pongs_[i].rtt < best->rtt) best = &pongs_[i];
    return std::max(best->offset, lower);
}

const char* HubClock::source() const {
    if (pong_count_ > 0) return "pong";
    return frame_count_ > 0 ? "samples" : "";
}

double HubClock::uncertainty_ms() const {
    if (pong_count_ == 0) return 0;
    double best = pongs_[0].rtt;
    for (std::size_t i = 1; i < pong_count_; ++i) best = std::min(best, pongs_[i].rtt);
    return best / 2;
}

}  // namespace vigil::model
