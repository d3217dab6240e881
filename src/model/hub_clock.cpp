// Hub time from pongs and live frames (see the header).
#include "model/hub_clock.h"

#include <algorithm>
#include <cmath>

namespace vigil::model {

void HubClock::on_pong(double sent_ms, double received_ms, std::int64_t hub_t_ms) {
    const double rtt = received_ms - sent_ms;
    if (hub_t_ms <= 0 || !std::isfinite(rtt) || rtt < 0) return;  // no stamp, or not our ping
    pongs_[pong_count_++ % kPongs] = {static_cast<double>(hub_t_ms) - (sent_ms + received_ms) / 2, rtt};
}

void HubClock::on_live_frame(double t_ms, double received_ms) {
    if (!std::isfinite(t_ms) || !std::isfinite(received_ms) || t_ms <= 0) return;
    frames_[frame_count_++ % kFrames] = t_ms - received_ms;
}

double HubClock::offset_ms() const {
    double lower = -INFINITY;
    for (std::size_t i = 0; i < std::min(frame_count_, kFrames); ++i) lower = std::max(lower, frames_[i]);
    if (pong_count_ == 0) return std::isfinite(lower) ? lower : 0;
    const PongSample* best = &pongs_[0];
    for (std::size_t i = 1; i < std::min(pong_count_, kPongs); ++i)
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
    for (std::size_t i = 1; i < std::min(pong_count_, kPongs); ++i) best = std::min(best, pongs_[i].rtt);
    return best / 2;
}

}  // namespace vigil::model
