// Catalog entries (label, unit, thresholds) of the screen's known keys for hosts that only send
// values (pushed hosts): the same entries hub/local_host.cpp and sources/node_profile.cpp publish.
#pragma once

#include "protocol/messages.h"

#include <optional>
#include <string_view>

namespace vigil::hub::ingest {

// cpu, cpuN, mem, load1/5/15 (thresholds: `cores` and twice that), net_rx/tx, disk_r/w, temp;
// nullopt for any other key (the caller lists it plain: label = key, no unit, no thresholds).
std::optional<protocol::MetricInfo> screen_metric(std::string_view key, double cores);

// The position of a known key in local_host.cpp's catalog order (cpuN after every other key, by
// N); -1 for other keys.
int screen_metric_rank(std::string_view key);

}  // namespace vigil::hub::ingest
