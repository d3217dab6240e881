// Cutting a resume's replay to the history window.
#include "hub/replay_window.h"

#include <algorithm>
#include <cmath>

namespace vigil::hub {

using protocol::ReplayReason;

protocol::ReplayPlan bound_to_history_window(protocol::ReplayPlan plan, const protocol::Hello& hello,
                                             std::int64_t now_ms, const protocol::ReplayPolicy& policy,
                                             const protocol::SeqAtOrAfter& seq_at_or_after) {
    const bool resume = plan.reason == ReplayReason::cursor_retained || plan.reason == ReplayReason::cursor_before_oldest;
    if (!resume || !plan.from || !seq_at_or_after) return plan;
    const double history_s = std::clamp(hello.history_s.value_or(policy.default_history_s), 0.0, policy.max_history_s);
    const auto cutoff = now_ms - static_cast<std::int64_t>(std::llround(history_s * 1000.0));
    const auto window_from = seq_at_or_after(cutoff);
    if (window_from && *window_from <= *plan.from) return plan;  // the whole replay is inside the window
    // One gap from the first seq not sent (the plan's own gap, if any, starts earlier) up to the
    // window, or up to the head when nothing retained is recent enough.
    const protocol::Seq lo = plan.gap ? plan.gap->from : *plan.from;
    const protocol::Seq hi = window_from ? *window_from - 1 : plan.head;
    if (lo <= hi) plan.gap = protocol::Gap{lo, hi};
    plan.from = window_from;
    return plan;
}

}  // namespace vigil::hub
