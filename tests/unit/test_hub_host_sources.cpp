// The sampler composes added host sources into the frame and the catalog, and notices when a
// source's hosts change (the hub then sends every screen the new catalog).
#include <doctest/doctest.h>

#include "hub/fleet_sampler.h"

using namespace vigil;
using namespace vigil::hub;

namespace {

struct FakeSource : HostSource {
    std::vector<protocol::HostInfo> hosts;
    std::uint64_t gen = 0;
    int collects = 0;
    void describe(std::vector<protocol::HostInfo>& out) const override { out.insert(out.end(), hosts.begin(), hosts.end()); }
    std::uint64_t generation() const override { return gen; }
    void collect(protocol::Samples& frame, std::int64_t unix_ms, double) override {
        ++collects;
        frame.hosts.push_back({"db-01", {{"cpu", 12.5}}});
        frame.down.push_back({"db-02", "connection refused", unix_ms - 5000});
    }
};

}  // namespace

TEST_CASE("an added source's hosts follow the simulated ones, and a generation change rebuilds the catalog") {
    FleetSampler sampler(nullptr, 2, 1);
    auto owned = std::make_unique<FakeSource>();
    FakeSource& source = *owned;
    source.hosts = {{"db-01", "DB 01", {{"cpu", "CPU", "%", 80.0, 95.0}}, {{"site", "A"}}}};
    sampler.add_source(std::move(owned));
    CHECK(sampler.catalog().hosts.size() == 2);
    CHECK(sampler.refresh_catalog());
    REQUIRE(sampler.catalog().hosts.size() == 3);
    CHECK(sampler.catalog().hosts[2].labels == std::vector<std::pair<std::string, std::string>>{{"site", "A"}});
    CHECK_FALSE(sampler.refresh_catalog());  // nothing moved

    source.hosts.push_back({"db-02", "db-02", {}, {}});
    CHECK_FALSE(sampler.refresh_catalog());  // generation not moved: not looked at (cheap per tick)
    ++source.gen;
    CHECK(sampler.refresh_catalog());
    CHECK(sampler.catalog().hosts.size() == 4);
    ++source.gen;  // moved, but the same hosts: no new catalog for the screens
    CHECK_FALSE(sampler.refresh_catalog());

    auto frame = sampler.sample(7, 1764138000000, 1.0);
    CHECK(source.collects == 1);
    REQUIRE(frame.hosts.size() == 3);
    CHECK(frame.hosts.back().host == "db-01");
    REQUIRE(frame.down.size() == 1);
    CHECK(frame.down[0] == protocol::HostDown{"db-02", "connection refused", 1764137995000});
}
