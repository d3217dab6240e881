// The fleet model (see the header).
#include "model/fleet.h"

#include <algorithm>

namespace vigil::model {

HostState& Fleet::host(const std::string& id) {
    auto it = std::find_if(hosts_.begin(), hosts_.end(), [&](const HostState& h) { return h.id == id; });
    if (it != hosts_.end()) return *it;
    HostState h;
    h.id = id;
    h.name = id;
    hosts_.push_back(std::move(h));
    return hosts_.back();
}

const HostState* Fleet::find(const std::string& id) const {
    auto it = std::find_if(hosts_.begin(), hosts_.end(), [&](const HostState& h) { return h.id == id; });
    return it == hosts_.end() ? nullptr : &*it;
}

void Fleet::apply_catalog(const protocol::Catalog& catalog) {
    for (const auto& c : catalog.hosts) {
        HostState& h = host(c.id);
        h.name = c.name.empty() ? c.id : c.name;
        h.metrics = c.metrics;
    }
}

void Fleet::apply_samples(const protocol::Samples& frame, double local_ms) {
    for (const auto& s : frame.hosts) apply_host(s, static_cast<double>(frame.t), local_ms);
}

void Fleet::apply_host(const protocol::HostSamples& sample, double wall_ms, double local_ms) {
    HostState& h = host(sample.host);
    for (const auto& kv : sample.values) {
        const std::string& key = kv.first;  // (a structured binding cannot be captured in C++17)
        h.latest[key] = kv.second;
        const bool known = std::any_of(h.metrics.begin(), h.metrics.end(),
                                       [&](const MetricInfo& m) { return m.key == key; });
        if (!known) h.metrics.push_back(MetricInfo{key, key, "", std::nullopt, std::nullopt});
    }
    h.last_sample_wall_ms = std::max(h.last_sample_wall_ms, wall_ms);
    h.last_sample_local_ms = local_ms;
    last_wall_ms_ = std::max(last_wall_ms_, wall_ms);
}

}  // namespace vigil::model
