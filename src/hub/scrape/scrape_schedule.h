// When each target is scraped: at its interval, with a phase offset per target spread over the
// interval so N targets do not all connect in the same millisecond. Pure (seconds in, seconds out).
#pragma once

#include <cstddef>

namespace vigil::hub::scrape {

// Offset of target `index` of `count` within its interval: evenly spaced phases, at most one per
// kPhaseStepS (more targets share them, index modulo the phases), and target 0 at once.
constexpr double kPhaseStepS = 0.010;
double phase_offset_s(std::size_t index, std::size_t count, double interval_s);

// The first due time of target `index` of `count` on the loop's phase grid: `epoch_s` (the loop's
// start) plus its phase offset, or the first time after `now_s` on that phase. Targets sharing a
// phase get the very same due time, whenever each was created: their timers expire together and
// the loop wakes once for all of them, not once per target microseconds apart.
double first_due_s(double epoch_s, double now_s, std::size_t index, std::size_t count, double interval_s);

// The due time after `due_s`: one interval later, or, when the loop fell behind (a suspended VM),
// the first due time after `now_s` on the same phase: missed rounds are skipped, never a burst.
double next_due_s(double due_s, double now_s, double interval_s);

// One scrape's deadline: `flag_ms` (--scrape-timeout-ms; 0: not given) or 80 % of the target's
// interval, and never more than 90 % of it, so it ends before the next round (a longer flag would
// keep a hung target stale instead of DOWN for that long, and skip its rounds).
int scrape_timeout_ms(int flag_ms, double interval_s);

}  // namespace vigil::hub::scrape
