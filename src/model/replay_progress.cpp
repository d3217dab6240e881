// One connection's replay and liveness (see the header).
#include "model/replay_progress.h"

#include <algorithm>
#include <cmath>

namespace vigil::model {

void ReplayProgress::on_open(double now_ms) {
    *this = ReplayProgress{};
    waiting_since_ms_ = now_ms;
}

void ReplayProgress::on_close() {
    replaying_ = false;
    live_data_ = false;
    beyond_head_since_ms_ = -1;
}

void ReplayProgress::on_welcome(const protocol::Welcome& w, const std::optional<protocol::ResumeCursor>& resume,
                                double history_s) {
    replaying_ = true;
    live_data_ = false;
    beyond_head_since_ms_ = -1;
    head_ = w.head;
    if (resume && resume->epoch == w.epoch && resume->seq <= w.head) {
        from_ = resume->seq;
    } else if (w.oldest == 0) {
        from_ = w.head;  // nothing retained: nothing to replay
    } else {
        const double interval = std::max<double>(1, static_cast<double>(w.interval_ms));
        const double window = std::ceil(std::max(0.0, history_s) * 1000.0 / interval);
        const protocol::Seq span = window >= static_cast<double>(w.head) ? w.head : static_cast<protocol::Seq>(window);
        from_ = std::max(w.oldest - 1, w.head - span);
    }
    reached_ = from_;
}

void ReplayProgress::on_frame(protocol::Seq seq, double now_ms) {
    reached_ = std::max(reached_, seq);
    if (!replaying_) {
        live_data_ = true;
        return;
    }
    if (seq > head_ && beyond_head_since_ms_ < 0) beyond_head_since_ms_ = now_ms;
}

void ReplayProgress::on_gap(protocol::Seq to) { reached_ = std::max(reached_, to); }

void ReplayProgress::on_live(double now_ms) {
    if (!replaying_) return;
    replaying_ = false;
    waiting_since_ms_ = now_ms;
    beyond_head_since_ms_ = -1;
}

void ReplayProgress::settle(double now_ms, double limit_ms) {
    if (!replaying_ || beyond_head_since_ms_ < 0 || now_ms - beyond_head_since_ms_ <= limit_ms) return;
    replaying_ = false;
    live_data_ = true;  // they have been coming at the live pace all along
    waiting_since_ms_ = now_ms;
}

CatchUp ReplayProgress::progress() const {
    const protocol::Seq top = std::max(head_, reached_);
    return {static_cast<long long>(reached_ - from_), static_cast<long long>(top - from_)};
}

}  // namespace vigil::model
