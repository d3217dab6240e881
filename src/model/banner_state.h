// The connection banner as a pure judgement: from the link's state, whether this page ever got
// through, the replay in progress and how fresh the fleet is, which word the screen shows
// (LIVE, CATCHING UP, WAITING, STALE, ...) and the line beside it. No clock, no I/O.
#pragma once

#include "core/link_status.h"
#include "model/freshness.h"
#include "model/i18n.h"

#include <string>

namespace vigil::model {

enum class BannerKind {
    Connecting,    // never connected yet: the first connection is being made (and retried)
    Waiting,       // connected, no frame on this connection yet, fewer than stale_after intervals
    CatchingUp,    // connected, replaying old frames (welcome .. live)
    Live,          // connected, past `live`, data fresh
    Stale,         // connected, past `live` (or waiting too long), data older than stale_after intervals
    Reconnecting,  // connected once, the link dropped
    Maintenance,
    Offline,
    Unauthorized,
};
inline constexpr int kBannerKindCount = 9;

// LIVE, CATCHING_UP, RECONNECTING, ... in English: what window.vigil.state says whatever the language.
const char* banner_word(BannerKind kind);

// A replay's progress in seqs: done of total since the replay's start (model/replay_progress.h).
struct CatchUp {
    long long done = 0, total = 0;
};

struct BannerInputs {
    core::LinkStatus status;          // the link's state, attempt, next try, reason
    double now_ms = 0;                // page monotonic time (the Scheduler's)
    bool ever_opened = false;         // a socket reached Open once in this page's life
    bool replaying = false;           // welcome seen on this connection, the replay not over
    CatchUp catch_up;
    bool live_data = false;           // a frame arrived after `live` (or, with no welcome, at all)
    double waiting_since_ms = 0;      // page time of `live` (or of the open, before any welcome)
    Freshness fleet;                  // Fleet::link_freshness(now)
    double interval_ms = 1000;
    double stale_after_intervals = 3;
    std::string offline_since_clock;  // "14:03:07": wall clock of status.since_ms (OFFLINE only)
};

struct Banner {
    BannerKind kind = BannerKind::Connecting;
    std::string detail;  // "attempt 3 · retry in 2 s · hub unreachable", "1,204 / 3,600 frames", ...
    bool catching_up() const { return kind == BannerKind::CatchingUp; }
};

BannerKind banner_kind(const BannerInputs& in);
Banner judge_banner(const BannerInputs& in, Lang lang);

}  // namespace vigil::model
