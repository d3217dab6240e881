// Burn-in shift (see the header).
#include "ui/burn_in.h"

#include <cmath>

namespace vigil::ui {

BurnInOffset burn_in_offset(double elapsed_ms, double period_s, double amplitude_px) {
    const float a = static_cast<float>(std::floor(amplitude_px));
    if (!(period_s > 0) || !(a >= 1) || !(elapsed_ms > 0)) return {};
    // The centre, then round the square's corners and edge middles: every edge of the layout
    // visits both sides of where it was drawn, and no two steps in a row are the same place.
    static constexpr int kOrbit[kBurnInSteps][2] = {{0, 0},  {1, 0},  {1, 1},   {0, 1}, {-1, 1},
                                                     {-1, 0}, {-1, -1}, {0, -1}, {1, -1}};
    const auto step = static_cast<long long>(std::floor(elapsed_ms / (period_s * 1000.0))) % kBurnInSteps;
    return {a * static_cast<float>(kOrbit[step][0]), a * static_cast<float>(kOrbit[step][1]), static_cast<int>(step)};
}

}  // namespace vigil::ui
