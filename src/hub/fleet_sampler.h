// Everything the hub samples on a tick: host `local` (this machine), the simulated fleet and the
// added sources (scrape targets, push ingest), composed into ONE samples frame per tick and one catalog.
#pragma once

#include "hub/host_source.h"
#include "hub/local_host.h"
#include "hub/simulated_fleet.h"
#include "protocol/messages.h"

#include <memory>
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

    // Rebuilds catalog() when a source's generation moved; true when it changed.
    bool refresh_catalog();

    // The frame numbered `seq`, stamped `unix_ms`. `now_s` is monotonic seconds for rates.
    // Values are rounded to 3 decimals (see for_the_wire()).
    protocol::Samples sample(protocol::Seq seq, std::int64_t unix_ms, double now_s);

private:
    std::unique_ptr<LocalHost> local_;
    SimulatedFleet fleet_;
    protocol::Catalog catalog_;
    std::vector<std::unique_ptr<HostSource>> sources_;
    std::vector<std::uint64_t> generations_;  // per source, as of the last catalog
};

}  // namespace vigil::hub
