// A host the hub cannot reach (samples.down) in the page's model: DOWN with its reason and since
// until a frame without it, a crit alarm meanwhile, counted, dropped with the catalog, first in
// the tile order, and after a replay the state of the last applied frame.
#include <doctest/doctest.h>

#include "model/format.h"
#include "model/hub_feed.h"
#include "model/paging.h"

#include <string>

using vigil::model::AlarmBoard;
using vigil::model::Fleet;
using vigil::model::HubFeed;
using vigil::protocol::AlarmLevel;
using vigil::protocol::Catalog;
using vigil::protocol::HostDown;
using vigil::protocol::HostSamples;
using vigil::protocol::Samples;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000LL;

Catalog two_hosts() {
    Catalog c;
    c.hosts.push_back({"db-01", "db-01", {{"cpu", "CPU", "%", 80.0, 95.0}}, {{"site", "A"}, {"rack", "r3"}}});
    c.hosts.push_back({"web-01", "web-01", {{"cpu", "CPU", "%", 80.0, 95.0}}});
    return c;
}

Samples frame(int seq, std::vector<HostSamples> hosts, std::vector<HostDown> down = {}) {
    return Samples{static_cast<vigil::protocol::Seq>(seq), kT0 + seq * 1000LL, std::move(hosts), std::move(down)};
}

std::string samples_text(int seq, const std::string& hosts, const std::string& down) {
    std::string s = R"({"type":"samples","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(kT0 + seq * 1000LL) +
                    R"(,"hosts":{)" + hosts + "}";
    if (!down.empty()) s += R"(,"down":{)" + down + "}";
    return s + "}";
}

}  // namespace

TEST_CASE("a host listed in a frame's down is DOWN with its reason and since until a frame without it") {
    Fleet fleet;
    fleet.apply_catalog(two_hosts());
    fleet.apply_samples(frame(1, {{"db-01", {{"cpu", 12.0}}}, {"web-01", {{"cpu", 3.0}}}}), 10);
    CHECK_FALSE(fleet.find("db-01")->down);
    fleet.apply_samples(frame(2, {{"web-01", {{"cpu", 4.0}}}}, {{"db-01", "connection refused", kT0 + 1500}}), 20);
    const auto* db = fleet.find("db-01");
    REQUIRE(db->down);
    CHECK(db->down->reason == "connection refused");
    CHECK(db->down->since == kT0 + 1500);
    CHECK(db->latest.at("cpu") == 12.0);  // the last value is kept (drawn as DOWN, not live)
    CHECK(fleet.down_count() == 1);
    CHECK_FALSE(fleet.find("web-01")->down);
    // Every frame carries the full list: the reason may change while it stays DOWN.
    fleet.apply_samples(frame(3, {{"web-01", {{"cpu", 4.0}}}}, {{"db-01", "timeout after 800 ms", kT0 + 1500}}), 30);
    CHECK(fleet.find("db-01")->down->reason == "timeout after 800 ms");
    CHECK(fleet.down_count() == 1);
    fleet.apply_samples(frame(4, {{"db-01", {{"cpu", 15.0}}}, {"web-01", {{"cpu", 4.0}}}}), 40);
    CHECK_FALSE(fleet.find("db-01")->down);
    CHECK(fleet.down_count() == 0);
    CHECK(fleet.find("db-01")->latest.at("cpu") == 15.0);
}

TEST_CASE("a DOWN host holds one crit alarm from its since, counted with the others, cleared when it is up") {
    Fleet fleet;
    fleet.apply_catalog(two_hosts());
    fleet.apply_samples(frame(1, {{"web-01", {{"cpu", 3.0}}}}, {{"db-01", "HTTP 503", kT0 + 500}}), 10);
    const auto* a = fleet.alarms().find("db-01", AlarmBoard::kDownMetric);
    REQUIRE(a != nullptr);
    CHECK(a->level == AlarmLevel::crit);
    CHECK(a->since_t == doctest::Approx(kT0 + 500));
    CHECK(fleet.alarms().counts().crit == 1);
    CHECK(fleet.alarms().host_level("db-01") == AlarmLevel::crit);
    fleet.apply_samples(frame(2, {{"web-01", {{"cpu", 3.0}}}}, {{"db-01", "HTTP 503", kT0 + 500}}), 20);
    CHECK(fleet.alarms().counts().crit == 1);  // one alarm per outage, not one per frame
    fleet.apply_samples(frame(3, {{"db-01", {{"cpu", 3.0}}}, {"web-01", {{"cpu", 3.0}}}}), 30);
    CHECK(fleet.alarms().find("db-01", AlarmBoard::kDownMetric) == nullptr);
    CHECK(fleet.alarms().counts().total() == 0);
    // The log says when it went and came back.
    REQUIRE(fleet.alarms().log().size() == 2);
    CHECK(fleet.alarms().log().front().to == AlarmLevel::crit);
    CHECK(fleet.alarms().log().back().to == AlarmLevel::ok);
}

TEST_CASE("a DOWN host's alarm stays fresh while frames come, and is marked stale when the link is") {
    Fleet fleet;
    fleet.set_interval_ms(1000);
    fleet.apply_catalog(two_hosts());
    fleet.apply_samples(frame(1, {{"db-01", {{"cpu", 3.0}}}, {"web-01", {{"cpu", 3.0}}}}), 0);
    for (int s = 2; s <= 8; ++s)
        fleet.apply_samples(frame(s, {{"web-01", {{"cpu", 3.0}}}}, {{"db-01", "connection refused", kT0}}), (s - 1) * 1000.0);
    fleet.tick(7000);  // db-01's values are 6 s old (stale by age), its DOWN is today's word
    CHECK_FALSE(fleet.alarms().find("db-01", AlarmBoard::kDownMetric)->stale);
    fleet.tick(20000);  // no frame for 13 s: the hub's word is old too
    CHECK(fleet.alarms().find("db-01", AlarmBoard::kDownMetric)->stale);
}

TEST_CASE("a catalog that drops a DOWN host drops its DOWN state and its alarm") {
    Fleet fleet;
    fleet.apply_catalog(two_hosts());
    fleet.apply_samples(frame(1, {{"web-01", {{"cpu", 3.0}}}}, {{"db-01", "connection refused", kT0}}), 10);
    REQUIRE(fleet.down_count() == 1);
    Catalog only_web;
    only_web.hosts.push_back(two_hosts().hosts[1]);
    fleet.apply_catalog(only_web);
    CHECK(fleet.find("db-01") == nullptr);
    CHECK(fleet.down_count() == 0);
    CHECK(fleet.alarms().counts().total() == 0);
    // A down entry for a host the catalog does not list is not taken in: counted as unknown.
    fleet.apply_samples(frame(2, {{"web-01", {{"cpu", 3.0}}}}, {{"db-01", "connection refused", kT0}}), 20);
    CHECK(fleet.find("db-01") == nullptr);
    CHECK(fleet.down_count() == 0);
    CHECK(fleet.unknown_hosts() == 1);
    CHECK(fleet.alarms().counts().total() == 0);
}

TEST_CASE("before any catalog a host listed DOWN is added, with no values") {
    Fleet fleet;
    fleet.apply_samples(frame(1, {{"web-01", {{"cpu", 3.0}}}}, {{"db-01", "name not resolved", kT0}}), 10);
    REQUIRE(fleet.find("db-01") != nullptr);
    CHECK(fleet.find("db-01")->down->reason == "name not resolved");
    CHECK(fleet.find("db-01")->latest.empty());
    CHECK(fleet.down_count() == 1);
}

TEST_CASE("catalog labels are kept per host, in the catalog's order, and replaced by the next catalog") {
    Fleet fleet;
    fleet.apply_catalog(two_hosts());
    const auto& labels = fleet.find("db-01")->labels;
    REQUIRE(labels.size() == 2);
    CHECK(labels[0] == std::pair<std::string, std::string>{"site", "A"});
    CHECK(labels[1] == std::pair<std::string, std::string>{"rack", "r3"});
    CHECK(fleet.find("web-01")->labels.empty());
    Catalog moved = two_hosts();
    moved.hosts[0].labels = {{"site", "B"}};
    fleet.apply_catalog(moved);
    REQUIRE(fleet.find("db-01")->labels.size() == 1);
    CHECK(fleet.find("db-01")->labels[0].second == "B");
}

TEST_CASE("DOWN hosts come first in the tile order, before hosts with a crit alarm") {
    Fleet fleet;
    Catalog c = two_hosts();
    c.hosts.push_back({"app-01", "app-01", {{"cpu", "CPU", "%", 80.0, 95.0}}});
    c.hosts.push_back({"zz-01", "zz-01", {{"cpu", "CPU", "%", 80.0, 95.0}}});
    fleet.apply_catalog(c);
    fleet.apply_samples(frame(1, {{"db-01", {{"cpu", 3.0}}}, {"web-01", {{"cpu", 3.0}}}, {"app-01", {{"cpu", 99.0}}}}), 0);
    fleet.apply_samples(frame(2, {{"web-01", {{"cpu", 3.0}}}, {"app-01", {{"cpu", 99.0}}}},
                              {{"zz-01", "connection refused", kT0}, {"db-01", "connection refused", kT0}}),
                        1000);
    const auto order = fleet.screen_order(1000);
    REQUIRE(order.size() == 4);
    CHECK(order[0]->id == "db-01");  // DOWN, by name
    CHECK(order[1]->id == "zz-01");  // DOWN, never sent a value
    CHECK(order[2]->id == "app-01");  // crit, though its name comes first
    CHECK(order[3]->id == "web-01");
}

TEST_CASE("replayed frames with down leave each host as the last applied frame says") {
    HubFeed feed;
    feed.apply(R"({"type":"welcome","v":1,"epoch":"e-1","head":6,"oldest":0,"interval_ms":1000})", false, 0, 0);
    feed.apply(R"({"type":"catalog","hosts":[{"id":"db-01","metrics":[{"key":"cpu"}],"labels":{"site":"A"}},)"
               R"({"id":"web-01","metrics":[{"key":"cpu"}]}]})",
               false, 0, 0);
    const std::string up_both = R"("db-01":{"cpu":1},"web-01":{"cpu":2})";
    feed.apply(samples_text(1, up_both, ""), false, 10, 0);
    feed.apply(samples_text(2, R"("web-01":{"cpu":2})", R"("db-01":{"reason":"connection refused","since":)" +
                                                           std::to_string(kT0 + 1900) + "}"),
               false, 11, 0);
    feed.apply(samples_text(3, R"("db-01":{"cpu":1})", R"("web-01":{"reason":"HTTP 503","since":)" +
                                                           std::to_string(kT0 + 2900) + "}"),
               false, 12, 0);
    const auto& fleet = feed.fleet();
    CHECK_FALSE(fleet.find("db-01")->down);
    REQUIRE(fleet.find("web-01")->down);
    CHECK(fleet.find("web-01")->down->reason == "HTTP 503");
    CHECK(fleet.down_count() == 1);
    CHECK(fleet.alarms().find("db-01", AlarmBoard::kDownMetric) == nullptr);
    CHECK(fleet.alarms().find("web-01", AlarmBoard::kDownMetric) != nullptr);
    // The same frame again (a resume overlapping the replay) changes nothing: seq_duplicate.
    feed.apply(samples_text(2, R"("web-01":{"cpu":2})", R"("db-01":{"reason":"connection refused","since":1})"), false,
               13, 0);
    CHECK_FALSE(fleet.find("db-01")->down);
    feed.apply(samples_text(4, up_both, ""), false, 14, 0);
    CHECK(fleet.down_count() == 0);
    CHECK(fleet.alarms().counts().total() == 0);
}

TEST_CASE("a DOWN tile's words: the reason and the local time of since") {
    const std::string text = vigil::model::format_unreachable("connection refused", kT0, vigil::model::Lang::en);
    CHECK(text == "UNREACHABLE: connection refused, since " + vigil::model::format_local_clock(kT0));
    CHECK(vigil::model::format_local_clock(kT0).size() == 8);  // hh:mm:ss
}
