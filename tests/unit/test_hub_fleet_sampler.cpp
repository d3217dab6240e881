// The sampler composes the sources into one catalog and one frame: a host id is shown once, by
// the first source that has it (a pushed host first, a scrape target given its id later).
#include "hub/fleet_sampler.h"

#include <doctest/doctest.h>

using namespace vigil::hub;
namespace protocol = vigil::protocol;

namespace {

// A source with fixed hosts; each is up with one value, or DOWN.
class FixedSource final : public HostSource {
public:
    FixedSource(std::vector<std::string> ids, bool down) : ids_(std::move(ids)), down_(down) {}
    void describe(std::vector<protocol::HostInfo>& out) const override {
        for (auto& id : ids_) out.push_back({id, id + " (" + (down_ ? "down" : "up") + ")", {}});
    }
    std::uint64_t generation() const override { return generation_; }
    void collect(protocol::Samples& frame, std::int64_t unix_ms, double) override {
        for (auto& id : ids_) {
            if (down_) frame.down.push_back({id, "connection refused", unix_ms});
            else frame.hosts.push_back({id, {{"cpu", 1.0}}});
        }
    }
    void set(std::vector<std::string> ids) { ids_ = std::move(ids); ++generation_; }

private:
    std::vector<std::string> ids_;
    bool down_;
    std::uint64_t generation_ = 1;
};

std::size_t count_id(const protocol::Samples& f, const std::string& id) {
    std::size_t n = 0;
    for (auto& h : f.hosts) n += h.host == id;
    for (auto& d : f.down) n += d.host == id;
    return n;
}

}  // namespace

TEST_CASE("a host id a later source also has is shown once, by the first source") {
    FleetSampler sampler(nullptr, 2, 1);  // sim-00, sim-01 (whatever the simulation names them)
    const auto sim_id = sampler.catalog().hosts.at(0).id;
    auto pushed = std::make_unique<FixedSource>(std::vector<std::string>{"db-01"}, false);
    auto scraped = std::make_unique<FixedSource>(std::vector<std::string>{}, true);
    auto* scraped_ptr = scraped.get();
    sampler.add_source(std::move(pushed));
    sampler.add_source(std::move(scraped));
    CHECK(sampler.refresh_catalog());
    CHECK(sampler.duplicate_ids() == 0);

    // A scrape target is given the pushed host's id, and another the simulation's.
    scraped_ptr->set({"db-01", "web-01", sim_id});
    CHECK(sampler.refresh_catalog());
    std::size_t db = 0;
    for (auto& h : sampler.catalog().hosts) db += h.id == "db-01";
    CHECK(db == 1);
    CHECK(sampler.catalog().hosts.size() == 2 + 2);  // the simulation's two, db-01, web-01
    CHECK(sampler.duplicate_ids() == 2);
    auto frame = sampler.sample(1, 1000, 0);
    CHECK(count_id(frame, "db-01") == 1);
    CHECK(count_id(frame, sim_id) == 1);
    CHECK(count_id(frame, "web-01") == 1);
    CHECK(frame.down.size() == 1);  // web-01 alone: the dropped ones say nothing

    // The target's id changes: nothing is dropped any more.
    scraped_ptr->set({"db-02"});
    CHECK(sampler.refresh_catalog());
    CHECK(sampler.duplicate_ids() == 0);
    CHECK(count_id(sampler.sample(2, 2000, 0), "db-02") == 1);
}
