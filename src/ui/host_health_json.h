// window.vigil's per-host health fields: who is DOWN and why (hostsDown, downCount), each host's
// catalog labels (hostLabels), and what each tile of the page shown says (tiles[].state, .text).
#pragma once

#include "model/fleet.h"
#include "ui/screen.h"

#include <nlohmann/json.hpp>

namespace vigil::ui {

// At most this many hosts in hostsDown and hostLabels (downCount counts them all).
inline constexpr std::size_t kHealthHostsListed = 256;

// Adds hostsDown, downCount and hostLabels to `state`, and state/text to each entry of
// state["tiles"] (built from `report.tiles`, in the same order).
void add_host_health(nlohmann::json& state, const model::Fleet& fleet, const ScreenReport& report);

}  // namespace vigil::ui
