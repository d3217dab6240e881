// The hub's messages applied to the page's model (model/hub_feed.h), as text off the wire:
// what a catalog sent again does, samples for hosts the catalog does not list, a typeless
// object after welcome, a hub alarm against the page's own thresholds, and the caps.
#include <doctest/doctest.h>

#include "model/hub_feed.h"

#include <string>

using vigil::model::FleetLimits;
using vigil::model::HubFeed;
using vigil::protocol::AlarmLevel;
using vigil::protocol::RejectionKind;

namespace {

std::string samples(int seq, const std::string& hosts) {
    return R"({"type":"samples","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(1'700'000'000'000LL + seq * 1000LL) +
           R"(,"hosts":{)" + hosts + "}}";
}

void welcome(HubFeed& feed, int head = 0) {
    feed.apply(R"({"type":"welcome","v":1,"epoch":"e-1","head":)" + std::to_string(head) + R"(,"oldest":0,"interval_ms":1000})",
               false, 0, 0);
}

}  // namespace

TEST_CASE("a catalog sent again replaces the previous one: a host it no longer lists leaves the fleet") {
    HubFeed feed;
    welcome(feed);
    feed.apply(R"({"type":"catalog","hosts":[{"id":"a","metrics":[{"key":"cpu","warn":80,"crit":95}]},{"id":"b","metrics":[{"key":"cpu"}]}]})",
               false, 0, 0);
    feed.apply(samples(1, R"("a":{"cpu":99},"b":{"cpu":5})"), false, 1000, 0);
    REQUIRE(feed.fleet().hosts().size() == 2);
    REQUIRE(feed.fleet().alarms().level("a", "cpu") == AlarmLevel::crit);
    feed.apply(R"({"type":"catalog","hosts":[{"id":"b","name":"beta","metrics":[{"key":"cpu"}]}]})", false, 1100, 0);
    REQUIRE(feed.fleet().hosts().size() == 1);
    CHECK(feed.fleet().find("a") == nullptr);
    CHECK(feed.fleet().find("b")->name == "beta");
    CHECK(feed.fleet().find("b")->latest.at("cpu") == 5);  // a listed host keeps its values
    CHECK(feed.fleet().alarms().active().empty());           // and the dropped host's alarm went with it
    CHECK(feed.fleet().series_count() == 1);
}

TEST_CASE("once a catalog came, samples for a host it does not list are dropped and counted, the rest apply") {
    HubFeed feed;
    welcome(feed);
    feed.apply(R"({"type":"catalog","hosts":[{"id":"a","metrics":[{"key":"cpu"}]}]})", false, 0, 0);
    const auto fx = feed.apply(samples(1, R"("a":{"cpu":1},"x":{"cpu":2},"y":{"cpu":3})"), false, 1000, 0);
    CHECK_FALSE(fx.rejected);
    CHECK(feed.fleet().hosts().size() == 1);
    CHECK(feed.fleet().find("x") == nullptr);
    CHECK(feed.fleet().unknown_hosts() == 2);
    CHECK(feed.fleet().unknown_host_samples() == 2);
    feed.apply(samples(2, R"("a":{"cpu":1},"x":{"cpu":2})"), false, 2000, 0);
    CHECK(feed.fleet().unknown_hosts() == 2);
    CHECK(feed.fleet().unknown_host_samples() == 3);
    // A catalog that lists x makes it a host; the count starts over.
    feed.apply(R"({"type":"catalog","hosts":[{"id":"a","metrics":[]},{"id":"x","metrics":[]}]})", false, 2100, 0);
    CHECK(feed.fleet().unknown_hosts() == 0);
    feed.apply(samples(3, R"("x":{"cpu":2})"), false, 3000, 0);
    CHECK(feed.fleet().find("x") != nullptr);
    // Before any catalog (a backend that sends none), hosts come from the samples.
    HubFeed bare;
    welcome(bare);
    bare.apply(samples(1, R"("z":{"cpu":2})"), false, 1000, 0);
    CHECK(bare.fleet().find("z") != nullptr);
}

TEST_CASE("a typeless object is a legacy push before any welcome, and bad_type after one") {
    HubFeed legacy;
    legacy.apply(R"({"cpu":42.5,"mem":17})", false, 10, 1'700'000'000'000);
    CHECK(legacy.counts().legacy == 1);
    CHECK(legacy.fleet().find("backend") != nullptr);
    HubFeed feed;
    welcome(feed);
    const auto fx = feed.apply(R"({"cpu":42.5,"mem":17})", false, 10, 1'700'000'000'000);
    REQUIRE(fx.rejected);
    CHECK(*fx.rejected == RejectionKind::bad_type);
    CHECK(feed.rejected().count(RejectionKind::bad_type) == 1);
    CHECK(feed.counts().legacy == 0);
    CHECK(feed.fleet().find("backend") == nullptr);
}

TEST_CASE("a hub alarm holds for its host and metric until the hub clears it, over the page's own thresholds") {
    HubFeed feed;
    welcome(feed);
    feed.apply(R"({"type":"catalog","hosts":[{"id":"a","metrics":[{"key":"cpu","warn":80,"crit":95}]}]})", false, 0, 0);
    feed.apply(samples(1, R"("a":{"cpu":10})"), false, 1000, 0);
    feed.apply(R"({"type":"alarm","host":"a","metric":"cpu","level":"crit","value":97,"t":1700000001500})", false, 1500, 0);
    REQUIRE(feed.fleet().alarms().level("a", "cpu") == AlarmLevel::crit);
    // The next frames' values are below the page's thresholds: the hub's word still holds.
    feed.apply(samples(2, R"("a":{"cpu":12})"), false, 2000, 0);
    feed.apply(samples(3, R"("a":{"cpu":11})"), false, 3000, 0);
    const auto* held = feed.fleet().alarms().find("a", "cpu");
    REQUIRE(held != nullptr);
    CHECK(held->level == AlarmLevel::crit);
    CHECK(held->from_hub);
    CHECK(held->value == 11);  // the board shows the newest value
    // The hub clears it: the page's thresholds judge again from the next frame.
    feed.apply(R"({"type":"alarm","host":"a","metric":"cpu","level":"ok","value":11,"t":1700000003500})", false, 3500, 0);
    CHECK(feed.fleet().alarms().find("a", "cpu") == nullptr);
    feed.apply(samples(4, R"("a":{"cpu":96})"), false, 4000, 0);
    CHECK(feed.fleet().alarms().level("a", "cpu") == AlarmLevel::crit);
    CHECK_FALSE(feed.fleet().alarms().find("a", "cpu")->from_hub);
    // A hub alarm also holds against a page alarm that would go higher, and a catalog that drops
    // the metric's host clears it.
    feed.apply(R"({"type":"alarm","host":"a","metric":"cpu","level":"warn","value":96,"t":1700000004500})", false, 4500, 0);
    feed.apply(samples(5, R"("a":{"cpu":99})"), false, 5000, 0);
    CHECK(feed.fleet().alarms().level("a", "cpu") == AlarmLevel::warn);
    feed.apply(R"({"type":"catalog","hosts":[]})", false, 5100, 0);
    CHECK(feed.fleet().alarms().active().empty());
}

TEST_CASE("a metric the catalog no longer lists goes unless samples still carry it") {
    HubFeed feed;
    welcome(feed);
    feed.apply(R"({"type":"catalog","hosts":[{"id":"a","metrics":[{"key":"cpu"},{"key":"gpu"}]}]})", false, 0, 0);
    feed.apply(samples(1, R"("a":{"cpu":1,"gpu":2,"fan":3})"), false, 1000, 0);
    for (int seq = 2; seq <= 5; ++seq) feed.apply(samples(seq, R"("a":{"cpu":1,"fan":3})"), false, seq * 1000.0, 0);
    feed.apply(R"({"type":"catalog","hosts":[{"id":"a","metrics":[{"key":"cpu"}]}]})", false, 5100, 0);
    const auto& h = *feed.fleet().find("a");
    CHECK(h.latest.count("gpu") == 0);  // listed no more, no reading for 4 intervals: gone
    CHECK(h.series.count("gpu") == 0);
    CHECK(h.latest.count("fan") == 1);  // never listed, but still sent: shown
    REQUIRE(h.metrics.size() == 2);
    CHECK(h.metrics[1].key == "fan");
}

TEST_CASE("hosts and metrics beyond the caps are counted as not shown, distinct, and recounted per catalog") {
    FleetLimits limits;
    limits.max_hosts = 2;
    limits.max_metrics_per_host = 2;
    vigil::model::Fleet fleet(limits);
    vigil::protocol::Catalog cat;
    for (const char* id : {"a", "b", "c", "d"})
        cat.hosts.push_back(vigil::protocol::HostInfo{id, id, {{"m1", "m1", "", {}, {}}, {"m2", "m2", "", {}, {}}, {"m3", "m3", "", {}, {}}}});
    fleet.apply_catalog(cat);
    CHECK(fleet.hosts().size() == 2);
    CHECK(fleet.hosts_not_shown() == 2);
    CHECK(fleet.metrics_not_shown() == 2);  // m3 of a and of b
    for (int i = 0; i < 5; ++i)
        fleet.apply_samples(vigil::protocol::Samples{static_cast<vigil::protocol::Seq>(i + 1), 1000 * (i + 1),
                                                     {{"c", {{"m1", 1}}}, {"a", {{"m4", 1}}}}},
                            1000.0 * (i + 1));
    CHECK(fleet.hosts_not_shown() == 2);    // c again: counted once
    CHECK(fleet.metrics_not_shown() == 3);  // a.m4 added
    CHECK(fleet.unknown_hosts() == 0);      // c is in the catalog, only over the cap
    cat.hosts.resize(2);
    fleet.apply_catalog(cat);
    CHECK(fleet.hosts_not_shown() == 0);
}

TEST_CASE("pong, shutdown and rejections come back as effects for the link") {
    HubFeed feed;
    CHECK(feed.apply(R"({"type":"pong","t":12.5})", false, 0, 0).pong_t == 12.5);
    CHECK(feed.apply(R"({"type":"shutdown","retry_ms":1500})", false, 0, 0).retry_hint_ms == 1500.0);
    CHECK_FALSE(feed.apply(R"({"type":"shutdown"})", false, 0, 0).retry_hint_ms);
    CHECK(feed.apply("x", true, 0, 0).rejected == RejectionKind::binary);
    CHECK(feed.counts().messages == 4);
}

TEST_CASE("replayed frames count as replayed until live, and the replay's progress follows the seqs") {
    HubFeed feed;
    feed.on_open(0);
    feed.apply(R"({"type":"welcome","v":1,"epoch":"e-1","head":3,"oldest":1,"interval_ms":1000})", false, 0, 0);
    CHECK(feed.replay().replaying());
    CHECK(feed.replay().progress().total == 3);
    feed.apply(samples(1, R"("a":{"cpu":1})"), false, 10, 0);
    feed.apply(samples(2, R"("a":{"cpu":1})"), false, 10, 0);
    CHECK(feed.replay().progress().done == 2);
    feed.apply(samples(3, R"("a":{"cpu":1})"), false, 10, 0);
    feed.apply(R"({"type":"live","head":3})", false, 20, 0);
    CHECK_FALSE(feed.replay().replaying());
    CHECK_FALSE(feed.replay().live_data());
    feed.apply(samples(4, R"("a":{"cpu":1})"), false, 1000, 0);
    CHECK(feed.replay().live_data());
    CHECK(feed.counts().replayed == 3);
    CHECK(feed.counts().frames == 4);
}
