// One frame per tick from the local host and the simulated fleet.
#include "hub/fleet_sampler.h"

#include <cmath>

namespace vigil::hub {

namespace {

// Readings go out with at most 3 decimals. A screen shows one at most, and shortest round-trip
// doubles of computed values (12.345678901234567) made frames ~40 % longer for nothing: more bytes
// to every screen and into the journal, and slower to parse on the page.
double for_the_wire(double v) {
    if (!std::isfinite(v) || std::fabs(v) >= 1e12) return v;
    return std::round(v * 1000.0) / 1000.0;
}

void round_for_the_wire(std::vector<std::pair<std::string, double>>& values) {
    for (auto& kv : values) kv.second = for_the_wire(kv.second);
}

}  // namespace

FleetSampler::FleetSampler(std::unique_ptr<LocalHost> local, int simulated_hosts, std::uint64_t seed)
    : local_(std::move(local)), fleet_(simulated_hosts, seed) {
    refresh_catalog();
}

void FleetSampler::add_source(std::unique_ptr<HostSource> source) {
    sources_.push_back(std::move(source));
    generations_.push_back(~std::uint64_t{0});  // never a real generation: the next refresh rebuilds
}

bool FleetSampler::refresh_catalog() {
    bool moved = catalog_.hosts.empty() && sources_.empty();  // the constructor's first build
    for (std::size_t i = 0; i < sources_.size(); ++i) moved = moved || sources_[i]->generation() != generations_[i];
    if (!moved) return false;
    protocol::Catalog next;
    if (local_) next.hosts.push_back(local_->spec());
    for (auto& h : fleet_.hosts()) next.hosts.push_back(h);
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        generations_[i] = sources_[i]->generation();
        sources_[i]->describe(next.hosts);
    }
    if (next == catalog_) return false;
    catalog_ = std::move(next);
    return true;
}

protocol::Samples FleetSampler::sample(protocol::Seq seq, std::int64_t unix_ms, double now_s) {
    protocol::Samples frame;
    frame.seq = seq;
    frame.t = unix_ms;
    if (local_) frame.hosts.push_back({"local", local_->sample(now_s)});
    for (std::size_t i = 0; i < fleet_.hosts().size(); ++i)
        if (auto values = fleet_.sample(i, seq)) frame.hosts.push_back({fleet_.hosts()[i].id, std::move(*values)});
    for (auto& source : sources_) source->collect(frame, unix_ms, now_s);
    for (auto& host : frame.hosts) round_for_the_wire(host.values);
    return frame;
}

}  // namespace vigil::hub
