// Alarms: thresholds with hysteresis, active alarms, pulses, a bounded log, hub alarms, staleness.
#include <doctest/doctest.h>

#include "model/alarms.h"
#include "model/fleet.h"

#include <cmath>
#include <vector>

using vigil::model::AlarmBoard;
using vigil::model::AlarmLevel;
using vigil::model::AlarmRules;
using vigil::model::Fleet;
using vigil::model::Thresholds;
using vigil::model::effective_thresholds;
using vigil::model::next_alarm_level;
using vigil::protocol::Alarm;
using vigil::protocol::Catalog;
using vigil::protocol::HostSamples;
using vigil::protocol::Samples;

namespace {
const Thresholds kCpu{80.0, 95.0};  // bands at 5 %: warn held down to 76, crit down to 90.25
}

TEST_CASE("a metric enters warn at warn and crit at crit, not below") {
    CHECK(next_alarm_level(AlarmLevel::ok, 79.99, kCpu, 0.05) == AlarmLevel::ok);
    CHECK(next_alarm_level(AlarmLevel::ok, 80.0, kCpu, 0.05) == AlarmLevel::warn);
    CHECK(next_alarm_level(AlarmLevel::ok, 94.99, kCpu, 0.05) == AlarmLevel::warn);
    CHECK(next_alarm_level(AlarmLevel::ok, 95.0, kCpu, 0.05) == AlarmLevel::crit);
    CHECK(next_alarm_level(AlarmLevel::warn, 95.0, kCpu, 0.05) == AlarmLevel::crit);
}

TEST_CASE("a level is left only below its threshold minus the band") {
    CHECK(next_alarm_level(AlarmLevel::warn, 76.0, kCpu, 0.05) == AlarmLevel::warn);
    CHECK(next_alarm_level(AlarmLevel::warn, 75.99, kCpu, 0.05) == AlarmLevel::ok);
    CHECK(next_alarm_level(AlarmLevel::crit, 90.25, kCpu, 0.05) == AlarmLevel::crit);
    CHECK(next_alarm_level(AlarmLevel::crit, 90.2, kCpu, 0.05) == AlarmLevel::warn);
    CHECK(next_alarm_level(AlarmLevel::crit, 77.0, kCpu, 0.05) == AlarmLevel::warn);  // still in warn's band
    CHECK(next_alarm_level(AlarmLevel::crit, 10.0, kCpu, 0.05) == AlarmLevel::ok);    // straight to ok
    CHECK(next_alarm_level(AlarmLevel::warn, 77.0, kCpu, 0.0) == AlarmLevel::ok);     // no band, no hold
}

TEST_CASE("a value jittering around a threshold does not flap") {
    AlarmBoard board;
    const std::vector<double> jitter = {79.5, 80.2, 79.1, 80.4, 78.0, 81.0, 77.5, 79.9, 80.0, 76.5};
    double t = 0;
    for (double v : jitter) {
        t += 1000;
        board.evaluate("h", "cpu", v, kCpu, t, t);
    }
    CHECK(board.log().size() == 1);  // entered warn once, never left
    CHECK(board.level("h", "cpu") == AlarmLevel::warn);
    board.evaluate("h", "cpu", 70.0, kCpu, t + 1000, t + 1000);
    CHECK(board.log().size() == 2);
    CHECK(board.level("h", "cpu") == AlarmLevel::ok);
    CHECK(board.active().empty());
}

TEST_CASE("the hysteresis band is configurable") {
    AlarmRules rules;
    rules.hysteresis = 0.20;  // warn held down to 64
    AlarmBoard board(rules);
    board.evaluate("h", "cpu", 85, kCpu, 1, 1);
    board.evaluate("h", "cpu", 65, kCpu, 2, 2);
    CHECK(board.level("h", "cpu") == AlarmLevel::warn);
    board.evaluate("h", "cpu", 63, kCpu, 3, 3);
    CHECK(board.level("h", "cpu") == AlarmLevel::ok);
}

TEST_CASE("a lower-is-worse metric (crit set below warn) alarms as it falls, with mirrored bands") {
    const Thresholds free_disk{20.0, 10.0};
    CHECK(next_alarm_level(AlarmLevel::ok, 25, free_disk, 0.05) == AlarmLevel::ok);
    CHECK(next_alarm_level(AlarmLevel::ok, 20, free_disk, 0.05) == AlarmLevel::warn);
    CHECK(next_alarm_level(AlarmLevel::ok, 9, free_disk, 0.05) == AlarmLevel::crit);
    CHECK(next_alarm_level(AlarmLevel::crit, 10.4, free_disk, 0.05) == AlarmLevel::crit);
    CHECK(next_alarm_level(AlarmLevel::crit, 10.6, free_disk, 0.05) == AlarmLevel::warn);
    CHECK(next_alarm_level(AlarmLevel::warn, 21.0, free_disk, 0.05) == AlarmLevel::warn);
    CHECK(next_alarm_level(AlarmLevel::warn, 21.1, free_disk, 0.05) == AlarmLevel::ok);
}

TEST_CASE("a metric without thresholds never alarms, one with only crit skips warn") {
    CHECK(next_alarm_level(AlarmLevel::ok, 1e12, Thresholds{}, 0.05) == AlarmLevel::ok);
    const Thresholds only_crit{std::nullopt, 90.0};
    CHECK(next_alarm_level(AlarmLevel::ok, 89, only_crit, 0.05) == AlarmLevel::ok);
    CHECK(next_alarm_level(AlarmLevel::ok, 91, only_crit, 0.05) == AlarmLevel::crit);
    CHECK(next_alarm_level(AlarmLevel::crit, 80, only_crit, 0.05) == AlarmLevel::ok);
}

TEST_CASE("a value that is not finite changes no level") {
    CHECK(next_alarm_level(AlarmLevel::crit, std::nan(""), kCpu, 0.05) == AlarmLevel::crit);
    CHECK(next_alarm_level(AlarmLevel::ok, INFINITY, kCpu, 0.05) == AlarmLevel::ok);
}

TEST_CASE("config thresholds override the catalog's field by field") {
    AlarmRules rules;
    rules.overrides["cpu"] = Thresholds{70.0, std::nullopt};
    const Thresholds t = effective_thresholds(rules, "cpu", 80.0, 95.0);
    CHECK(t.warn == 70.0);
    CHECK(t.crit == 95.0);
    CHECK(effective_thresholds(rules, "mem", 85.0, std::nullopt) == Thresholds{85.0, std::nullopt});
}

TEST_CASE("an alarm's change time lets the UI pulse for 2 s, and repeats of the level do not re-pulse") {
    AlarmBoard board;
    board.evaluate("h", "cpu", 85, kCpu, 1'000, 10'000);
    const auto* a = board.find("h", "cpu");
    REQUIRE(a != nullptr);
    CHECK(a->changed_at_local == 10'000);
    CHECK(a->since_t == 1'000);
    CHECK(AlarmBoard::pulsing(*a, 11'999));
    CHECK_FALSE(AlarmBoard::pulsing(*a, 12'000));
    board.evaluate("h", "cpu", 88, kCpu, 2'000, 11'000);
    a = board.find("h", "cpu");
    CHECK(a->changed_at_local == 10'000);
    CHECK(a->value == 88);  // the board shows the newest value
    board.evaluate("h", "cpu", 97, kCpu, 3'000, 12'000);
    a = board.find("h", "cpu");
    CHECK(a->level == AlarmLevel::crit);
    CHECK(a->changed_at_local == 12'000);
    CHECK(a->since_t == 3'000);
}

TEST_CASE("the transition log keeps the newest 200 transitions") {
    AlarmBoard board;
    for (int i = 0; i < 300; ++i) board.evaluate("h", "cpu", i % 2 ? 99.0 : 0.0, kCpu, i, i);
    CHECK(board.log().size() == AlarmBoard::kDefaultLogCapacity);
    CHECK(board.log().back().t == 299);
    CHECK(board.log().back().to == AlarmLevel::crit);
    CHECK(board.log().front().t == 100);
}

TEST_CASE("alarms are counted by level, a host's level is its worst, and the board lists worst first") {
    AlarmBoard board;
    board.evaluate("a", "cpu", 85, kCpu, 1, 1);
    board.evaluate("a", "mem", 99, kCpu, 2, 2);
    board.evaluate("b", "cpu", 81, kCpu, 3, 3);
    const auto c = board.counts();
    CHECK(c.warn == 2);
    CHECK(c.crit == 1);
    CHECK(c.total() == 3);
    CHECK(board.host_level("a") == AlarmLevel::crit);
    CHECK(board.host_level("b") == AlarmLevel::warn);
    CHECK(board.host_level("nobody") == AlarmLevel::ok);
    REQUIRE(board.active().size() == 3);
    CHECK(board.active()[0].metric == "mem");
    CHECK(board.active()[1].host == "b");  // the newer warn first
    board.set_host_stale("b", true);
    CHECK(board.active()[1].host == "a");  // fresh before stale
    CHECK(board.active()[2].stale);
    CHECK(board.counts().stale == 1);
}

TEST_CASE("hub alarm messages set and clear levels and are logged as the hub's") {
    AlarmBoard board;
    board.apply_hub_alarm(Alarm{"h", "cpu", AlarmLevel::crit, 97.2, 1'764'138'000'000}, 50);
    const auto* a = board.find("h", "cpu");
    REQUIRE(a != nullptr);
    CHECK(a->level == AlarmLevel::crit);
    CHECK(a->from_hub);
    CHECK(a->since_t == 1'764'138'000'000.0);
    CHECK(a->changed_at_local == 50);
    board.apply_hub_alarm(Alarm{"h", "cpu", AlarmLevel::ok, 50, 1'764'138'005'000}, 60);
    CHECK(board.find("h", "cpu") == nullptr);
    REQUIRE(board.log().size() == 2);
    CHECK(board.log()[1].from == AlarmLevel::crit);
    CHECK(board.log()[1].to == AlarmLevel::ok);
    CHECK(board.log()[1].from_hub);
    board.apply_hub_alarm(Alarm{"h", "cpu", AlarmLevel::ok, 50, 1}, 70);  // ok while ok: nothing
    CHECK(board.log().size() == 2);
}

TEST_CASE("the board holds a bounded number of alarms and counts the ones it refused") {
    AlarmBoard board(AlarmRules{}, 10, 3);
    for (int i = 0; i < 5; ++i) board.evaluate("h" + std::to_string(i), "cpu", 99, kCpu, i, i);
    CHECK(board.active().size() == 3);
    CHECK(board.refused() == 2);
    CHECK(board.log().size() == 3);
}

TEST_CASE("a full board keeps the most severe: a crit evicts the oldest warn, never the reverse, and the rest is counted") {
    AlarmBoard board(AlarmRules{}, 50, 3);
    auto on_board = [&](const std::string& host) { return board.find(host, "cpu") != nullptr; };
    for (int i = 0; i < 3; ++i) board.evaluate("h" + std::to_string(i), "cpu", 85, kCpu, i, i);  // 3 warns: full
    CHECK(board.not_shown_count() == 0);
    board.evaluate("h3", "cpu", 99, kCpu, 3, 3);  // a crit in a wide incident
    CHECK(on_board("h3"));
    CHECK_FALSE(on_board("h0"));  // the oldest warn made room
    CHECK(board.not_shown_count() == 1);
    CHECK(board.level("h0", "cpu") == AlarmLevel::warn);  // still judged, still the host's level
    CHECK(board.host_level("h0") == AlarmLevel::warn);
    board.evaluate("h4", "cpu", 85, kCpu, 4, 4);  // a warn evicts no warn (no churn) and no crit
    CHECK_FALSE(on_board("h4"));
    CHECK(board.not_shown_count() == 2);
    board.evaluate("h5", "cpu", 99, kCpu, 5, 5);
    board.evaluate("h6", "cpu", 99, kCpu, 6, 6);
    REQUIRE(board.active().size() == 3);
    for (const auto& a : board.active()) CHECK(a.level == AlarmLevel::crit);
    board.evaluate("h7", "cpu", 99, kCpu, 7, 7);  // a crit evicts no crit
    CHECK_FALSE(on_board("h7"));
    CHECK(board.host_level("h7") == AlarmLevel::crit);  // its cell is crit all the same
    CHECK(board.not_shown_count() == 5);
    CHECK(board.counts().crit == 3);
    // Room frees: the best alarm not shown (the crit) comes back first, with its own change time.
    board.evaluate("h3", "cpu", 10, kCpu, 8, 8);
    REQUIRE(on_board("h7"));
    CHECK(board.find("h7", "cpu")->changed_at_local == 7);
    CHECK(board.not_shown_count() == 4);
    // A not-shown alarm keeps its hysteresis and leaves when its metric is back to ok.
    board.evaluate("h4", "cpu", 77, kCpu, 9, 9);  // inside warn's band: still warn
    CHECK(board.level("h4", "cpu") == AlarmLevel::warn);
    board.evaluate("h4", "cpu", 10, kCpu, 10, 10);
    CHECK(board.level("h4", "cpu") == AlarmLevel::ok);
    CHECK(board.not_shown_count() == 3);
    // A stale crit goes before a fresh one; a DOWN host before any metric's crit.
    board.set_host_stale("h6", true);
    board.evaluate("h8", "cpu", 99, kCpu, 11, 11);
    CHECK(on_board("h8"));
    CHECK_FALSE(on_board("h6"));
    board.set_host_down("h9", true, 12, 12);
    CHECK(board.find("h9", AlarmBoard::kDownMetric) != nullptr);
    CHECK(board.not_shown_count() == 5);  // h0, h1, h2 (warns), h6 (stale crit), one fresh crit
    for (const auto& a : board.not_shown()) CHECK((a.level == AlarmLevel::warn || a.stale || a.changed_at_local <= 7));
    // The hub's word goes the same way: a hub crit evicts no crit, its ok clears it unseen.
    board.apply_hub_alarm(Alarm{"hx", "disk", AlarmLevel::crit, 99, 13}, 13);
    CHECK(board.find("hx", "disk") == nullptr);
    CHECK(board.level("hx", "disk") == AlarmLevel::crit);
    board.apply_hub_alarm(Alarm{"hx", "disk", AlarmLevel::ok, 1, 14}, 14);
    CHECK(board.level("hx", "disk") == AlarmLevel::ok);
    CHECK(board.not_shown_count() == 5);
}

TEST_CASE("a host whose alarm the full board does not show still ranks as alarmed") {
    Fleet fleet;  // the default board (4,096) below the host cap (5,000): a wide incident
    Catalog catalog;
    for (int i = 0; i < 5000; ++i)
        catalog.hosts.push_back({"h" + std::to_string(i), "", {{"cpu", "CPU", "%", 80.0, 95.0}}});
    fleet.apply_catalog(catalog);
    Samples frame{1, 1000, {}};
    for (int i = 0; i < 5000; ++i) frame.hosts.push_back(HostSamples{"h" + std::to_string(i), {{"cpu", i < 4500 ? 85.0 : 99.0}}});
    fleet.apply_samples(frame, 1000);
    fleet.tick(1000);
    CHECK(fleet.alarms().active().size() == AlarmBoard::kDefaultMaxActive);
    CHECK(fleet.alarms().counts().crit == 500);  // every crit is on the board, warns made room
    CHECK(fleet.alarms().not_shown_count() == 5000 - AlarmBoard::kDefaultMaxActive);
    const auto levels = fleet.host_levels();
    CHECK(levels.size() == 5000);  // no host reads ok
    CHECK(levels.at("h4999") == AlarmLevel::crit);
}

TEST_CASE("samples raise alarms with the catalog's thresholds, overridden by config") {
    Fleet fleet;
    fleet.apply_catalog(Catalog{{{"h", "h", {{"cpu", "CPU", "%", 80.0, 95.0}, {"mem", "Memory", "%", 85.0, 95.0}}}}});
    AlarmRules rules;
    rules.overrides["mem"] = Thresholds{50.0, std::nullopt};
    fleet.set_alarm_rules(rules);
    fleet.apply_samples(Samples{1, 1000, {HostSamples{"h", {{"cpu", 96}, {"mem", 60}}}}}, 5);
    CHECK(fleet.alarms().level("h", "cpu") == AlarmLevel::crit);
    CHECK(fleet.alarms().level("h", "mem") == AlarmLevel::warn);
    CHECK(fleet.thresholds(*fleet.find("h"), "mem").warn == 50.0);
    // An older frame arriving late does not move alarms.
    fleet.apply_host(HostSamples{"h", {{"cpu", 10}}}, 500, 6);
    CHECK(fleet.alarms().level("h", "cpu") == AlarmLevel::crit);
}

TEST_CASE("a stale host keeps its alarms, marked stale, until it reports again") {
    Fleet fleet;
    fleet.apply_catalog(Catalog{{{"a", "a", {{"cpu", "CPU", "%", 80.0, 95.0}}}, {"b", "b", {}}}});
    fleet.apply_samples(Samples{1, 1000, {HostSamples{"a", {{"cpu", 99}}}, HostSamples{"b", {{"x", 1}}}}}, 1000);
    for (int seq = 2; seq <= 6; ++seq)
        fleet.apply_samples(Samples{static_cast<vigil::protocol::Seq>(seq), seq * 1000, {HostSamples{"b", {{"x", 1}}}}},
                            seq * 1000.0);
    fleet.tick(6000);
    REQUIRE(fleet.alarms().active().size() == 1);
    CHECK(fleet.alarms().active()[0].stale);
    CHECK(fleet.alarms().active()[0].level == AlarmLevel::crit);
    fleet.apply_samples(Samples{7, 7000, {HostSamples{"a", {{"cpu", 99}}}}}, 7000);
    fleet.tick(7000);
    CHECK_FALSE(fleet.alarms().active()[0].stale);
    fleet.apply_alarm(Alarm{"a", "cpu", AlarmLevel::ok, 10, 7000}, 7001);
    CHECK(fleet.alarms().active().empty());
}

TEST_CASE("a hub alarm for a host that never reported counts as stale: nothing vouches for it") {
    Fleet fleet;
    fleet.apply_alarm(Alarm{"ghost", "cpu", AlarmLevel::warn, 85, 1000}, 1);
    fleet.tick(2);
    REQUIRE(fleet.alarms().active().size() == 1);
    CHECK(fleet.alarms().active()[0].stale);
    CHECK(fleet.alarms().counts().stale == 1);
}

TEST_CASE("a hub alarm holds until the hub sends ok: the page's thresholds do not overwrite it") {
    AlarmBoard board;
    board.apply_hub_alarm(Alarm{"h", "cpu", AlarmLevel::crit, 97, 1000}, 1);
    // Samples below the page's thresholds, and above them: the hub's level stays.
    CHECK(board.evaluate("h", "cpu", 10, kCpu, 2000, 2) == AlarmLevel::crit);
    CHECK(board.evaluate("h", "cpu", 85, kCpu, 3000, 3) == AlarmLevel::crit);
    CHECK(board.find("h", "cpu")->value == 85);
    CHECK(board.log().size() == 1);
    board.apply_hub_alarm(Alarm{"h", "cpu", AlarmLevel::warn, 85, 4000}, 4);
    CHECK(board.evaluate("h", "cpu", 99, kCpu, 5000, 5) == AlarmLevel::warn);
    board.apply_hub_alarm(Alarm{"h", "cpu", AlarmLevel::ok, 99, 6000}, 6);
    CHECK(board.find("h", "cpu") == nullptr);
    // Released: the next sample is the page's to judge.
    CHECK(board.evaluate("h", "cpu", 99, kCpu, 7000, 7) == AlarmLevel::crit);
    CHECK_FALSE(board.find("h", "cpu")->from_hub);
    // Another metric of the same host is the page's all along.
    CHECK(board.evaluate("h", "mem", 99, kCpu, 7000, 7) == AlarmLevel::crit);
}
