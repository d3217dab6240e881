// Freshness: judged from hub times relative to the fleet's head plus the page time since the
// head frame arrived, so neither a silent host nor a replay of old data looks fresh.
#include <doctest/doctest.h>

#include "model/fleet.h"
#include "model/format.h"
#include "model/freshness.h"

using vigil::model::Fleet;
using vigil::model::FreshnessInputs;
using vigil::model::FreshnessLevel;
using vigil::model::judge_freshness;
using vigil::protocol::Catalog;
using vigil::protocol::HostSamples;
using vigil::protocol::Samples;

namespace {

// Frame `seq` taken at hub time base + 1000 * seq.
Samples frame(vigil::protocol::Seq seq, std::vector<std::string> hosts, std::int64_t base = 1'700'000'000'000) {
    Samples s{seq, base + static_cast<std::int64_t>(seq) * 1000, {}};
    for (auto& h : hosts) s.hosts.push_back(HostSamples{h, {{"cpu", 10}}});
    return s;
}

}  // namespace

TEST_CASE("a host silent while the others report is stale after 3 intervals, not before") {
    Fleet fleet;
    fleet.apply_samples(frame(1, {"a", "b"}), 1000);
    for (int seq = 2; seq <= 4; ++seq) fleet.apply_samples(frame(seq, {"b"}), seq * 1000.0);
    // a's newest sample is exactly 3 intervals behind the head, and the head has just arrived.
    auto fa = fleet.freshness(*fleet.find("a"), 4000);
    CHECK(fa.level == FreshnessLevel::fresh);
    CHECK(fa.age_ms == 3000);
    CHECK(fleet.freshness(*fleet.find("a"), 4001).level == FreshnessLevel::stale);  // and a moment later
    fleet.apply_samples(frame(5, {"b"}), 5000);
    fa = fleet.freshness(*fleet.find("a"), 5000);
    CHECK(fa.level == FreshnessLevel::stale);
    CHECK(fa.age_ms == 4000);
    CHECK(fleet.freshness(*fleet.find("b"), 5000).level == FreshnessLevel::fresh);
}

TEST_CASE("when the whole link goes silent every host goes stale after 3 intervals of page time") {
    Fleet fleet;
    fleet.apply_samples(frame(1, {"a", "b"}), 10'000);
    CHECK(fleet.freshness(*fleet.find("a"), 13'000).level == FreshnessLevel::fresh);
    CHECK(fleet.freshness(*fleet.find("a"), 13'001).level == FreshnessLevel::stale);
    CHECK(fleet.freshness(*fleet.find("b"), 13'001).level == FreshnessLevel::stale);
    CHECK(fleet.link_freshness(13'000).level == FreshnessLevel::fresh);
    CHECK(fleet.link_freshness(40'000).level == FreshnessLevel::stale);
    CHECK(fleet.link_freshness(40'000).age_ms == 30'000);
}

TEST_CASE("replayed frames arriving now do not make a host that was silent in them look fresh") {
    Fleet fleet;
    fleet.apply_samples(frame(1, {"a", "b"}), 1000);
    // The page reconnects much later; the hub replays 2..60 in a burst: only b is in them.
    for (int seq = 2; seq <= 60; ++seq) fleet.apply_samples(frame(seq, {"b"}), 500'000);
    const auto fa = fleet.freshness(*fleet.find("a"), 500'000);
    CHECK(fa.level == FreshnessLevel::stale);
    CHECK(fa.age_ms == 59'000);
    CHECK(fleet.freshness(*fleet.find("b"), 500'000).level == FreshnessLevel::fresh);
}

TEST_CASE("old frames arriving after a new epoch do not refresh the link") {
    Fleet fleet;
    fleet.apply_samples(frame(100, {"a"}), 1000);
    fleet.on_new_epoch();
    // A backfill of the new epoch: frames older than what is already shown, arriving much later.
    fleet.apply_samples(frame(1, {"a"}), 60'000);
    fleet.apply_samples(frame(2, {"a"}), 60'000);
    CHECK(fleet.head_local_ms() == 1000);
    CHECK(fleet.link_freshness(60'000).level == FreshnessLevel::stale);
    CHECK(fleet.freshness(*fleet.find("a"), 60'000).level == FreshnessLevel::stale);
    // and they did not overwrite the newer latest value's time
    CHECK(fleet.find("a")->last_sample_wall_ms == 1'700'000'000'000 + 100'000);
}

TEST_CASE("a host in the catalog that never reported is 'never', not stale and not fresh") {
    Fleet fleet;
    fleet.apply_catalog(Catalog{{{"quiet", "quiet", {}}}});
    CHECK(fleet.freshness(*fleet.find("quiet"), 0).level == FreshnessLevel::never);
    fleet.apply_samples(frame(1, {"other"}), 10);
    const auto f = fleet.freshness(*fleet.find("quiet"), 20);
    CHECK(f.level == FreshnessLevel::never);
    CHECK(f.age_ms == 0);
    CHECK(Fleet().link_freshness(1e9).level == FreshnessLevel::never);
}

TEST_CASE("the stale limit follows the hub's interval and the configured number of intervals") {
    Fleet fleet;
    fleet.set_interval_ms(5000);
    fleet.apply_samples(frame(1, {"a"}), 0);
    CHECK(fleet.freshness(*fleet.find("a"), 15'000).level == FreshnessLevel::fresh);
    CHECK(fleet.freshness(*fleet.find("a"), 15'001).level == FreshnessLevel::stale);
    fleet.set_stale_after_intervals(5);
    CHECK(fleet.freshness(*fleet.find("a"), 25'000).level == FreshnessLevel::fresh);
    CHECK(fleet.freshness(*fleet.find("a"), 25'001).level == FreshnessLevel::stale);
}

TEST_CASE("age adds how far a host is behind the fleet to how long the link has been silent") {
    FreshnessInputs in;
    in.ever_sampled = true;
    in.sample_wall_ms = 10'000;
    in.head_wall_ms = 11'000;
    in.head_local_ms = 500;
    in.now_local_ms = 1'500;
    const auto f = judge_freshness(in);
    CHECK(f.age_ms == 2000);
    CHECK(f.level == FreshnessLevel::fresh);
    in.now_local_ms = 100;  // a clock read before the head arrived never gives a negative age
    CHECK(judge_freshness(in).age_ms == 1000);
}

TEST_CASE("the age reads as 'last update 37 s ago'") {
    Fleet fleet;
    fleet.apply_samples(frame(1, {"a"}), 0);
    const auto f = fleet.freshness(*fleet.find("a"), 37'400);
    CHECK(vigil::model::format_last_update(f.age_ms, vigil::model::Lang::en) == "last update 37 s ago");
    CHECK(vigil::model::format_last_update(f.age_ms, vigil::model::Lang::zh_CN) == "最后更新于 37 秒前");
}

TEST_CASE("a metric left out of the frames goes stale after 3 intervals while its host stays fresh") {
    Fleet fleet;
    const std::int64_t base = 1'700'000'000'000;
    const auto with = [&](vigil::protocol::Seq seq, bool net) {
        Samples s{seq, base + static_cast<std::int64_t>(seq) * 1000, {}};
        HostSamples h{"a", {{"cpu", 10}}};
        if (net) {
            h.values.emplace_back("net_rx", 100);
            h.values.emplace_back("net_tx", 50);
        }
        s.hosts.push_back(h);
        return s;
    };
    fleet.apply_samples(with(1, true), 1000);
    for (vigil::protocol::Seq seq = 2; seq <= 4; ++seq) fleet.apply_samples(with(seq, false), seq * 1000.0);
    const auto& h = *fleet.find("a");
    // Last net reading at seq 1: 3 intervals behind the head at seq 4, not more: still fresh.
    CHECK(fleet.metric_freshness(h, "net_rx", 4000).fresh());
    fleet.apply_samples(with(5, false), 5000);
    CHECK(fleet.metric_freshness(h, "net_rx", 5000).level == FreshnessLevel::stale);
    CHECK(fleet.metric_freshness(h, "net_tx", 5000).level == FreshnessLevel::stale);
    CHECK(fleet.metric_freshness(h, "net_rx", 5000).age_ms == doctest::Approx(4000));
    CHECK(fleet.metric_freshness(h, "cpu", 5000).fresh());
    CHECK(fleet.freshness(h, 5000).fresh());
    CHECK(fleet.metric_freshness(h, "temp", 5000).level == FreshnessLevel::never);
    CHECK(h.latest.at("net_rx") == 100);  // kept, but drawn as no reading
    fleet.apply_samples(with(6, true), 6000);
    CHECK(fleet.metric_freshness(h, "net_rx", 6000).fresh());
}

TEST_CASE("a page's own alarm on a metric with no reading is marked stale; the hub's is not") {
    Fleet fleet;
    fleet.apply_catalog(Catalog{{{"a", "a", {{"cpu", "CPU", "%", 80.0, 95.0}, {"mem", "Memory", "%", 80.0, 95.0}}}}});
    const std::int64_t base = 1'700'000'000'000;
    fleet.apply_samples(Samples{1, base + 1000, {HostSamples{"a", {{"cpu", 99}, {"mem", 10}}}}}, 1000);
    fleet.apply_alarm(vigil::protocol::Alarm{"a", "disk", vigil::protocol::AlarmLevel::warn, 91, base + 1000}, 1000);
    for (vigil::protocol::Seq seq = 2; seq <= 6; ++seq)
        fleet.apply_samples(Samples{seq, base + static_cast<std::int64_t>(seq) * 1000, {HostSamples{"a", {{"mem", 10}}}}},
                            seq * 1000.0);
    fleet.tick(6000);
    const auto* cpu = fleet.alarms().find("a", "cpu");
    REQUIRE(cpu != nullptr);
    CHECK(cpu->stale);
    const auto* disk = fleet.alarms().find("a", "disk");
    REQUIRE(disk != nullptr);
    CHECK_FALSE(disk->stale);
}
