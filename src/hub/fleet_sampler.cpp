// One frame per tick from the local host and the simulated fleet.
#include "hub/fleet_sampler.h"

#include <algorithm>
#include <cmath>
#include <iostream>

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
    dropped_.emplace_back();
}

bool FleetSampler::refresh_catalog() {
    bool moved = catalog_.hosts.empty() && sources_.empty();  // the constructor's first build
    for (std::size_t i = 0; i < sources_.size(); ++i) moved = moved || sources_[i]->generation() != generations_[i];
    if (!moved) return false;
    protocol::Catalog next;
    if (local_) next.hosts.push_back(local_->spec());
    for (auto& h : fleet_.hosts()) next.hosts.push_back(h);
    std::set<std::string, std::less<>> ids;
    for (auto& h : next.hosts) ids.insert(h.id);
    std::vector<protocol::HostInfo> described;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        generations_[i] = sources_[i]->generation();
        described.clear();
        sources_[i]->describe(described);
        std::set<std::string, std::less<>> dropped;
        for (auto& h : described) {
            if (ids.insert(h.id).second) {
                next.hosts.push_back(std::move(h));
                continue;
            }
            if (!dropped_[i].count(h.id))
                std::cerr << "vigil-hub: host id " << h.id << " is already another source's host: the later one is not shown\n";
            dropped.insert(h.id);
        }
        dropped_[i] = std::move(dropped);
    }
    duplicates_ = 0;
    for (auto& d : dropped_) duplicates_ += d.size();
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
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        const auto hosts_before = frame.hosts.size(), down_before = frame.down.size();
        sources_[i]->collect(frame, unix_ms, now_s);
        const auto& dropped = dropped_[i];
        if (dropped.empty()) continue;
        frame.hosts.erase(std::remove_if(frame.hosts.begin() + hosts_before, frame.hosts.end(),
                                         [&](const protocol::HostSamples& h) { return dropped.count(h.host) > 0; }),
                          frame.hosts.end());
        frame.down.erase(std::remove_if(frame.down.begin() + down_before, frame.down.end(),
                                        [&](const protocol::HostDown& d) { return dropped.count(d.host) > 0; }),
                         frame.down.end());
    }
    for (auto& host : frame.hosts) round_for_the_wire(host.values);
    return frame;
}

}  // namespace vigil::hub
