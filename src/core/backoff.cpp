// Reconnect backoff: exponential ceiling with a cap, full jitter above a floor.
#include "core/backoff.h"

#include <algorithm>
#include <cmath>

namespace vigil::core {

double backoff_ceiling_ms(const BackoffConfig& config, int attempt) {
    const double cap = std::max(0.0, config.cap_ms);
    double ceiling = std::max(0.0, config.base_ms);
    // Grow step by step and stop at the cap: no pow() overflow after months of attempts,
    // and no long loop when the ceiling cannot grow.
    if (ceiling > 0 && config.multiplier > 1) {
        for (int i = 1; i < attempt && ceiling < cap; ++i) ceiling *= config.multiplier;
    }
    return std::min(ceiling, cap);
}

double backoff_delay_ms(const BackoffConfig& config, int attempt, double u01) {
    const double ceiling = backoff_ceiling_ms(config, attempt);
    const double floor = std::clamp(config.floor_ms, 0.0, ceiling);
    const double u = std::isfinite(u01) ? std::clamp(u01, 0.0, 1.0) : 0.5;
    return floor + u * (ceiling - floor);
}

}  // namespace vigil::core
