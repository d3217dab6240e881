// What the hub's messages do to what the page knows: one decoded text frame at a time into the
// fleet, the seq cursor, the replay's progress and the counters window.vigil shows. Portable
// (no socket, no clock): the app passes times in and acts on the returned effects (a pong for
// the heartbeat, a retry hint for the link, a rejection to count).
#pragma once

#include "model/fleet.h"
#include "model/hub_clock.h"
#include "model/replay_progress.h"
#include "protocol/messages.h"
#include "protocol/rejection.h"
#include "protocol/seq_tracker.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::model {

struct FeedEffects {
    std::optional<protocol::RejectionKind> rejected;
    std::optional<double> pong_t;         // echo of our ping: the link's RTT and liveness
    std::optional<double> retry_hint_ms;  // shutdown.retry_ms > 0
    std::optional<double> handover_ms;    // shutdown.handover_ms > 0: make before break (Link::begin_handover)
    std::vector<std::string> new_text;    // host names, labels, DOWN reasons (glyphs)
};

class HubFeed {
public:
    // The connection's life, for the replay and banner.
    void on_open(double now_ms) {
        replay_.on_open(now_ms);
        welcomed_here_ = false;
    }
    void on_close() {
        replay_.on_close();
        welcomed_here_ = false;
    }

    // One inbound frame, at page time now_ms and wall time wall_ms (legacy pushes carry none).
    FeedEffects apply(std::string_view text, bool binary, double now_ms, double wall_ms);

    // Settings the feed needs: the page's history window (backfill estimate).
    void set_history_s(double s) { history_s_ = s; }

    Fleet& fleet() { return fleet_; }
    const Fleet& fleet() const { return fleet_; }
    const protocol::SeqTracker& seqs() const { return seqs_; }
    ReplayProgress& replay() { return replay_; }
    const ReplayProgress& replay() const { return replay_; }
    const protocol::RejectionCounters& rejected() const { return rejected_; }
    const std::string& epoch() const { return epoch_; }
    // Hub time from pong.hub_t and live samples.t (the clock and the skew shown on screen).
    const HubClock& clock() const { return clock_; }
    bool welcomed() const { return welcomed_; }

    struct Counts {
        long long messages = 0, frames = 0, gaps = 0, missing = 0, legacy = 0, replayed = 0;
        // Previews shown as latest values, and those ignored (before this connection's welcome
        // or during its replay, where the stored frames that follow are the news).
        long long previews = 0, previews_ignored = 0;
    };
    const Counts& counts() const { return counts_; }

private:
    Fleet fleet_;
    protocol::SeqTracker seqs_;
    protocol::RejectionCounters rejected_;
    ReplayProgress replay_;
    HubClock clock_;
    std::string epoch_;
    bool welcomed_ = false;  // a welcome ever came: this backend speaks the protocol
    bool welcomed_here_ = false;  // this connection's welcome came (previews wait for it)
    double history_s_ = 600;
    Counts counts_;
};

}  // namespace vigil::model
