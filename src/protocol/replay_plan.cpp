// Replay planning: resume after a cursor, or backfill a history window.
#include "protocol/replay_plan.h"

#include <algorithm>
#include <cmath>

namespace vigil::protocol {

const char* replay_reason_name(ReplayReason r) {
    switch (r) {
        case ReplayReason::cursor_current: return "cursor_current";
        case ReplayReason::cursor_retained: return "cursor_retained";
        case ReplayReason::cursor_before_oldest: return "cursor_before_oldest";
        case ReplayReason::cursor_other_epoch: return "cursor_other_epoch";
        case ReplayReason::cursor_ahead: return "cursor_ahead";
        case ReplayReason::no_cursor: return "no_cursor";
    }
    return "no_cursor";
}

namespace {

ReplayPlan plan_resume(Seq cursor, const JournalView& j) {
    ReplayPlan p;
    p.head = j.head;
    if (cursor == j.head) {
        p.reason = ReplayReason::cursor_current;
        return p;
    }
    const Seq next = cursor + 1;
    if (j.oldest != 0 && next >= j.oldest) {
        // Everything after the cursor is retained, or was skipped by a crash (holes inside the
        // range are reported as gaps while streaming).
        p.reason = ReplayReason::cursor_retained;
        p.from = next;
        return p;
    }
    p.reason = ReplayReason::cursor_before_oldest;
    if (j.oldest == 0) {
        // Nothing retained at all: everything after the cursor is lost.
        p.gap = Gap{next, j.head};
    } else {
        p.gap = Gap{next, j.oldest - 1};
        p.from = j.oldest;
    }
    return p;
}

ReplayPlan plan_history(ReplayReason reason, double history_s, const JournalView& j,
                        std::int64_t now_ms, const ReplayPolicy& policy,
                        const SeqAtOrAfter& seq_at_or_after) {
    ReplayPlan p;
    p.reason = reason;
    p.head = j.head;
    p.history_s = std::clamp(history_s, 0.0, policy.max_history_s);
    if (p.history_s <= 0 || j.oldest == 0) return p;
    const auto cutoff = now_ms - static_cast<std::int64_t>(std::llround(p.history_s * 1000.0));
    p.from = seq_at_or_after ? seq_at_or_after(cutoff) : std::optional<Seq>{};
    // The window reaches back before the oldest retained record and retention dropped
    // records of this epoch (seqs start at 1): the frames that fell in the window are lost.
    // Their seqs are estimated from the frame interval; a downtime is not a loss and shows
    // no gap, since seqs stay contiguous across it.
    if (p.from && j.oldest > 1 && cutoff < j.oldest_t_ms && policy.interval_ms > 0) {
        const auto lost = static_cast<Seq>((j.oldest_t_ms - cutoff) / policy.interval_ms);
        if (lost > 0) {
            const Seq lo = lost >= j.oldest ? 1 : std::max<Seq>(1, j.oldest - lost);
            p.gap = Gap{lo, j.oldest - 1};
        }
    }
    return p;
}

}  // namespace

ReplayPlan plan_replay(const Hello& hello, const JournalView& journal, std::int64_t now_ms,
                       const ReplayPolicy& policy, const SeqAtOrAfter& seq_at_or_after) {
    const double history_s = hello.history_s.value_or(policy.default_history_s);
    if (!hello.resume) {
        return plan_history(ReplayReason::no_cursor, history_s, journal, now_ms, policy, seq_at_or_after);
    }
    const ResumeCursor& c = *hello.resume;
    if (c.epoch != journal.epoch) {
        return plan_history(ReplayReason::cursor_other_epoch, history_s, journal, now_ms, policy, seq_at_or_after);
    }
    if (c.seq > journal.head) {
        // Same epoch, but the page has seen frames this journal never kept (it was restored
        // from a backup, or lost its tail without knowing). Those seqs are not comparable any
        // more: the welcome's head < cursor tells the page to reset; we backfill.
        return plan_history(ReplayReason::cursor_ahead, history_s, journal, now_ms, policy, seq_at_or_after);
    }
    return plan_resume(c.seq, journal);
}

}  // namespace vigil::protocol
