// Freshness (see the header).
#include "model/freshness.h"

#include <algorithm>

namespace vigil::model {

Freshness judge_freshness(const FreshnessInputs& in) {
    if (!in.ever_sampled || in.head_local_ms < 0) return {FreshnessLevel::never, 0};
    const double behind_fleet = std::max(0.0, in.head_wall_ms - in.sample_wall_ms);
    const double link_silence = std::max(0.0, in.now_local_ms - in.head_local_ms);
    const double age = behind_fleet + link_silence;
    const double limit = std::max(0.0, in.stale_after_intervals) * std::max(1.0, in.interval_ms);
    return {age > limit ? FreshnessLevel::stale : FreshnessLevel::fresh, age};
}

}  // namespace vigil::model
