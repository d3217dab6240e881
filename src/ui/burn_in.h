// Burn-in care for plasma and OLED walls: the whole screen's static content (frames, labels,
// the header) moves by a few design pixels every few minutes, round a small orbit, so no edge
// stays lit on the same pixels for months. One offset, added at one place: the screen's origin.
#pragma once

namespace vigil::ui {

struct BurnInOffset {
    float dx = 0, dy = 0;  // design pixels
    int step = 0;          // position on the orbit (0 = unshifted)
};

// The offset `elapsed_ms` after the screen started: unshifted for the first period, then the
// next of the orbit's positions every `period_s` (whole pixels within +-amplitude_px each way).
// period_s <= 0 or amplitude_px < 1: always unshifted (off).
BurnInOffset burn_in_offset(double elapsed_ms, double period_s, double amplitude_px);

// Positions on the orbit before it starts over.
inline constexpr int kBurnInSteps = 9;

}  // namespace vigil::ui
