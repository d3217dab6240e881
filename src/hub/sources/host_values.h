// What a source gives the hub for one host: values by metric key (the protocol's HostSamples
// values, the same type as hub::HostValues) and catalog entries (protocol::MetricInfo).
#pragma once

#include "protocol/messages.h"

namespace vigil::hub::sources {

using HostValues = decltype(protocol::HostSamples::values);
using protocol::MetricInfo;

}  // namespace vigil::hub::sources
