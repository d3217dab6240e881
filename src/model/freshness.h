// How old a host's newest sample really is, judged from hub times relative to the fleet's head
// and the page time since the head frame arrived: replayed old data never looks fresh.
#pragma once

namespace vigil::model {

enum class FreshnessLevel { fresh, stale, never };

struct Freshness {
    FreshnessLevel level = FreshnessLevel::never;
    double age_ms = 0;  // estimated age of the newest sample now (0 for never)
    bool fresh() const { return level == FreshnessLevel::fresh; }
};

// What the judgement is made from. Hub times are Unix ms; local times are the page's monotonic ms.
struct FreshnessInputs {
    double sample_wall_ms = 0;     // hub time of the host's newest sample
    bool ever_sampled = false;
    double head_wall_ms = 0;       // hub time of the newest frame of the whole fleet
    double head_local_ms = -1;     // page time when that frame arrived (-1: none yet)
    double now_local_ms = 0;
    double interval_ms = 1000;     // expected time between frames (welcome.interval_ms)
    double stale_after_intervals = 3;
};

// age = (head - sample) in hub time + (now - head arrival) in page time, i.e. how far behind the
// fleet the host is plus how long the whole link has been silent. A replay only moves the head
// as far as the data it carries, so a host missing from replayed frames still lags; a hub that
// replays and then goes quiet is stale after the same few intervals of page time.
// Stale when the age is more than stale_after_intervals x interval.
Freshness judge_freshness(const FreshnessInputs& in);

}  // namespace vigil::model
