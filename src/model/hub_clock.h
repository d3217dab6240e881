// Hub time on the page: the hub's wall clock estimated from pong.hub_t (corrected by the round
// trip) and live samples.t, carried on the page's monotonic clock, so a display PC whose own
// clock is minutes off still shows the right time (and the skew can be said on screen).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace vigil::model {

class HubClock {
public:
    // A pong for a ping sent at page time `sent_ms` (the echoed t), received at `received_ms`,
    // stamped by the hub at `hub_t_ms` (Unix ms; 0: the hub sent none). The hub stamped it
    // somewhere in the round trip: the estimate is its middle, good to half the round trip.
    void on_pong(double sent_ms, double received_ms, std::int64_t hub_t_ms);
    // A live (not replayed) samples frame made at hub time `t_ms`, received at `received_ms`.
    // It was made before it arrived: hub time now is at least t + the time since. A lower
    // bound, tight on a LAN, that keeps a pong's estimate from running behind the frames.
    void on_live_frame(double t_ms, double received_ms);

    bool known() const { return pong_count_ > 0 || frame_count_ > 0; }
    // Hub Unix ms at page time `page_ms` (meaningful when known()).
    double now(double page_ms) const { return page_ms + offset_ms(); }
    // Hub time minus page monotonic time.
    double offset_ms() const;
    // "pong" (pong.hub_t with the round trip), "samples" (frames only), or "" (unknown).
    const char* source() const;
    // How far the estimate may be off, in ms (half the best round trip; 0 with frames only).
    double uncertainty_ms() const;

    static constexpr std::size_t kPongs = 8;    // the best round trip of the last 8 pongs wins
    static constexpr std::size_t kFrames = 32;  // lower bounds from the last 32 live frames
    // A pong says hub time minus page time lies in [offset - rtt/2, offset + rtt/2]. An older pong
    // whose range misses the newest one's by more than kStepMs is from another clock (the hub's
    // clock stepped, or the page failed over to a hub whose clock differs): it is dropped at once,
    // however short its round trip, instead of winning for up to kPongs minutes.
    static constexpr double kStepMs = 250;
    // A live frame whose lower bound is more than kJumpMs ahead of the estimate (one frame with a
    // far-future samples.t) moves nothing until kConfirmFrames frames in a row agree on it (to
    // within kJumpMs of each other): then the hub's clock did jump forward and they all count.
    static constexpr double kJumpMs = 3000;
    static constexpr std::size_t kConfirmFrames = 3;

    // Frames waiting for that confirmation (for window.vigil and the tests).
    std::size_t frames_pending() const { return pending_count_; }

private:
    struct PongSample {
        double offset = 0;  // hub_t - middle of the round trip
        double rtt = 0;
    };
    void add_frame(double bound) { frames_[frame_count_++ % kFrames] = bound; }
    std::array<PongSample, kPongs> pongs_{};  // oldest first, pong_count_ of them
    std::array<double, kFrames> frames_{};    // t - received
    std::array<double, kConfirmFrames> pending_{};
    std::size_t pong_count_ = 0, frame_count_ = 0, pending_count_ = 0;
};

}  // namespace vigil::model
