// The hub's names for the protocol's host description and one host's values in a frame.
// Catalog entries are protocol::HostInfo (id, display name, metrics with units and thresholds).
#pragma once

#include "protocol/messages.h"

namespace vigil::hub {

using protocol::HostInfo;
using protocol::MetricInfo;

// One host's values in one frame, in catalog order; absent metrics are simply not listed.
using HostValues = decltype(protocol::HostSamples::values);

}  // namespace vigil::hub
