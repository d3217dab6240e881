// One frame per tick from the local host and the simulated fleet.
#include "hub/fleet_sampler.h"

namespace vigil::hub {

FleetSampler::FleetSampler(std::unique_ptr<LocalHost> local, int simulated_hosts, std::uint64_t seed)
    : local_(std::move(local)), fleet_(simulated_hosts, seed) {
    if (local_) catalog_.hosts.push_back(local_->spec());
    for (auto& h : fleet_.hosts()) catalog_.hosts.push_back(h);
}

protocol::Samples FleetSampler::sample(protocol::Seq seq, std::int64_t unix_ms, double now_s) {
    protocol::Samples frame;
    frame.seq = seq;
    frame.t = unix_ms;
    if (local_) frame.hosts.push_back({"local", local_->sample(now_s)});
    for (std::size_t i = 0; i < fleet_.hosts().size(); ++i)
        if (auto values = fleet_.sample(i, seq)) frame.hosts.push_back({fleet_.hosts()[i].id, std::move(*values)});
    return frame;
}

}  // namespace vigil::hub
