// Everything the hub samples on a tick: host `local` (this machine), the simulated fleet and the
// added sources (scrape targets, push ingest), composed into ONE samples frame per tick and one catalog.
#pragma once

#include "hub/host_source.h"
#include "hub/local_host.h"
#include "hub/simulated_fleet.h"
#include "protocol/messages.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace vigil::hub {

class FleetSampler {
public:
    // `local` may be null (no local sampling, e.g. in tests that want byte-exact frames).
    FleetSampler(std::unique_ptr<LocalHost> local, int simulated_hosts, std::uint64_t seed);

    const protocol::Catalog& catalog() const { return catalog_; }

    // Sources after the local host and the simulation, in the catalog's order.
    void add_source(std::unique_ptr<HostSource> source);
    const std::vector<std::unique_ptr<HostSource>>& sources() const { return sources_; }

    // Rebuilds catalog() when a source's generation moved; true when it changed. A host id that an
    // earlier host already has (local, the simulation, an earlier source) is dropped from the
    // catalog and the frames, logged once and counted: a pushed host first and a scrape target
    // given its id later must not show two hosts under one id.
    bool refresh_catalog();
    std::uint64_t duplicate_ids() const { return duplicates_; }

    // The frame numbered `seq`, stamped `unix_ms`. `now_s` is monotonic seconds for rates.
    // Values are rounded to 3 decimals (see for_the_wire()).
    protocol::Samples sample(protocol::Seq seq, std::int64_t unix_ms, double now_s);

private:
    std::unique_ptr<LocalHost> local_;
    SimulatedFleet fleet_;
    protocol::Catalog catalog_;
    std::vector<std::unique_ptr<HostSource>> sources_;
    std::vector<std::uint64_t> generations_;  // per source, as of the last catalog
    std::vector<std::set<std::string, std::less<>>> dropped_;  // per source: ids an earlier host has
    std::uint64_t duplicates_ = 0;  // ids dropped from the current catalog
};

}  // namespace vigil::hub
