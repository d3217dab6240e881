// window.vigil's overview fields: the layout in use, the overview's cells (host, state, group,
// rectangle) and its group health lines, and what the last drawn frame cost to draw.
#pragma once

#include "ui/screen.h"

#include <nlohmann/json.hpp>

namespace vigil::ui {

// Adds layout, wallHosts, this wall's counts (wallAlarms, wallAlarmsCrit, wallAlarmsWarn,
// wallDownCount), the ticker line and overview to `state`; rectangles in CSS pixels (design units times
// `design_scale`), as window.vigil's tiles are.
void add_overview(nlohmann::json& state, const ScreenReport& report, double design_scale);

}  // namespace vigil::ui
