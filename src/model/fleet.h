// What the screen knows about the fleet: hosts, their metrics' latest values and when each
// host was last heard of. No I/O, no clock of its own: times are passed in.
#pragma once

#include "protocol/messages.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vigil::model {

using protocol::MetricInfo;

struct HostState {
    std::string id, name;
    std::vector<MetricInfo> metrics;         // from the catalog, in display order
    std::map<std::string, double> latest;    // metric key -> latest value
    double last_sample_wall_ms = 0;          // hub time (Unix ms) of the newest sample applied
    double last_sample_local_ms = -1;        // page monotonic time when it arrived; -1: never
};

class Fleet {
public:
    // Names hosts and describes their metrics; keeps the values already received.
    void apply_catalog(const protocol::Catalog& catalog);

    // A frame taken at hub time frame.t, arriving at page time `local_ms`.
    void apply_samples(const protocol::Samples& frame, double local_ms);

    // One host's values taken at hub time `wall_ms`. Hosts not in the catalog are added with
    // their id as name (legacy backends send no catalog).
    void apply_host(const protocol::HostSamples& sample, double wall_ms, double local_ms);

    const std::vector<HostState>& hosts() const { return hosts_; }
    const HostState* find(const std::string& id) const;

    // Hub time of the newest sample of any host (0 when none).
    double last_sample_wall_ms() const { return last_wall_ms_; }

private:
    HostState& host(const std::string& id);
    std::vector<HostState> hosts_;
    double last_wall_ms_ = 0;
};

}  // namespace vigil::model
