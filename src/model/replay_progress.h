// Where the page is in one connection's story: opened, welcomed, replaying old frames (how far),
// past `live`, live data seen. Feeds the banner (CATCHING UP with progress, WAITING, LIVE) and
// the replay's draw cadence. Times are the page's monotonic ms, passed in.
#pragma once

#include "model/banner_state.h"
#include "protocol/messages.h"

#include <optional>

namespace vigil::model {

class ReplayProgress {
public:
    // A socket opened: nothing is known of this connection yet.
    void on_open(double now_ms);
    // The socket is gone: a replay cut short ends with its connection.
    void on_close();

    // welcome: the replay runs from after `resume` (the cursor the hello carried, when it is of
    // this epoch and not past its head) or, for a backfill, from the estimated start of the
    // history window (history_s of frames at the welcome's interval, no older than `oldest`).
    void on_welcome(const protocol::Welcome& welcome, const std::optional<protocol::ResumeCursor>& resume,
                    double history_s);
    // A samples frame applied (seq 0: a legacy push), or a gap declared up to `to`.
    void on_frame(protocol::Seq seq, double now_ms);
    void on_gap(protocol::Seq to);
    void on_live(double now_ms);

    // A backend that never sends `live`: once frames newer than the welcome's head have kept
    // coming for `limit_ms`, they are live. Called once per screen frame.
    void settle(double now_ms, double limit_ms);

    bool replaying() const { return replaying_; }
    bool live_data() const { return live_data_; }
    double waiting_since_ms() const { return waiting_since_ms_; }
    CatchUp progress() const;

private:
    bool replaying_ = false, live_data_ = false;
    double waiting_since_ms_ = 0;
    protocol::Seq from_ = 0, head_ = 0, reached_ = 0;
    double beyond_head_since_ms_ = -1;  // first frame past the welcome's head while replaying
};

}  // namespace vigil::model
