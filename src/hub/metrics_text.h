// GET /metrics: the hub's counters in the Prometheus text exposition format 0.0.4, every name
// prefixed vigil_hub_. Operators scrape their monitor with the Prometheus they already run.
#pragma once

#include "hub/hub_context.h"

#include <string>

namespace vigil::hub {

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string metrics_text(const HubContext& hub);

}  // namespace vigil::hub
