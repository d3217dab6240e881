// A resume is served at most the page's history window: frames after the cursor that are older
// than now - history_s are not replayed; one `gap` stands for them (a page off for a day gets its
// last history_s, not a day of frames).
#pragma once

#include "protocol/replay_plan.h"

namespace vigil::hub {

// `plan` as plan_replay made it for `hello`; backfills (no usable cursor) are already bounded
// and come back unchanged. The window is hello.history_s (else the policy's default), clamped
// to the policy's maximum.
protocol::ReplayPlan bound_to_history_window(protocol::ReplayPlan plan, const protocol::Hello& hello,
                                             std::int64_t now_ms, const protocol::ReplayPolicy& policy,
                                             const protocol::SeqAtOrAfter& seq_at_or_after);

}  // namespace vigil::hub
