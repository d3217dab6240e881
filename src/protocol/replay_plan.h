// What a hub sends a page after `hello`: a pure function of the page's request and the
// journal's state. The executable form of PROTOCOL.md's "Resume and replay" section.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "protocol/messages.h"

namespace vigil::protocol {

// The journal as the planner sees it.
struct JournalView {
    std::string epoch;
    Seq head = 0;    // newest seq issued (or skipped after a crash) in this epoch; 0: none
    Seq oldest = 0;  // oldest seq still retained; 0: nothing retained
    std::int64_t oldest_t_ms = 0;  // t of the record `oldest` (meaningless when oldest == 0)
};

struct ReplayPolicy {
    double default_history_s = 300;   // when the page has no usable cursor and sent no history_s
    double max_history_s = 24 * 3600; // a page cannot ask for more
    std::int64_t interval_ms = 1000;  // frame interval, to size a gap cut by retention
};

enum class ReplayReason {
    cursor_current,       // same epoch, cursor == head: nothing to replay
    cursor_retained,      // same epoch, cursor+1 still retained (or nothing newer exists yet)
    cursor_before_oldest, // same epoch, part of what follows the cursor is no longer retained
    cursor_other_epoch,   // the page's cursor names another epoch: history backfill
    cursor_ahead,         // same epoch, cursor > head: the hub lost what it sent; backfill
    no_cursor,            // no resume at all: history backfill
};
const char* replay_reason_name(ReplayReason r);

struct ReplayPlan {
    ReplayReason reason = ReplayReason::no_cursor;
    std::optional<Gap> gap;   // send first, when set
    std::optional<Seq> from;  // then every retained record with seq >= from, up to the head,
                              // with a `gap` for any hole met on the way (ReplayStream does this)
    Seq head = 0;             // the journal head when planned
    double history_s = 0;     // the window used, for backfills
};

// The seq of the first record whose t >= t_ms, or nothing when no such record is retained.
using SeqAtOrAfter = std::function<std::optional<Seq>(std::int64_t t_ms)>;

ReplayPlan plan_replay(const Hello& hello, const JournalView& journal, std::int64_t now_ms,
                       const ReplayPolicy& policy, const SeqAtOrAfter& seq_at_or_after);

}  // namespace vigil::protocol
