// The fleet model: catalog, samples, what is known about each host.
#include <doctest/doctest.h>

#include "model/fleet.h"

using vigil::model::Fleet;
using vigil::protocol::Catalog;
using vigil::protocol::HostSamples;

TEST_CASE("a sample updates the host's latest values and its last-heard times") {
    Fleet fleet;
    fleet.apply_samples({1, 1000, {HostSamples{"local", {{"cpu", 12.5}, {"mem", 40.0}}}}}, 50.0);
    const auto* h = fleet.find("local");
    REQUIRE(h != nullptr);
    CHECK(h->latest.at("cpu") == doctest::Approx(12.5));
    CHECK(h->latest.at("mem") == doctest::Approx(40.0));
    CHECK(h->last_sample_wall_ms == 1000.0);
    CHECK(h->last_sample_local_ms == 50.0);
    CHECK(fleet.last_sample_wall_ms() == 1000.0);
}

TEST_CASE("a host never seen in a catalog is shown under its id with its raw metric keys") {
    Fleet fleet;
    fleet.apply_host(HostSamples{"legacy", {{"temperature", 41.0}}}, 5.0, 5.0);
    const auto* h = fleet.find("legacy");
    REQUIRE(h != nullptr);
    CHECK(h->name == "legacy");
    REQUIRE(h->metrics.size() == 1);
    CHECK(h->metrics[0].key == "temperature");
}

TEST_CASE("a catalog names hosts and keeps the values already received") {
    Fleet fleet;
    fleet.apply_host(HostSamples{"h1", {{"cpu", 3.0}}}, 10.0, 10.0);
    fleet.apply_catalog(Catalog{{{"h1", "数据库-01", {{"cpu", "CPU", "%", 80.0, 95.0}}}}});
    const auto* h = fleet.find("h1");
    REQUIRE(h != nullptr);
    CHECK(h->name == "数据库-01");
    CHECK(h->latest.at("cpu") == 3.0);
    REQUIRE(h->metrics.size() == 1);
    CHECK(h->metrics[0].crit.value() == 95.0);
}

TEST_CASE("an older frame arriving late never moves a host's last-sample time backwards") {
    Fleet fleet;
    fleet.apply_host(HostSamples{"h", {{"cpu", 1.0}}}, 2000.0, 1.0);
    fleet.apply_host(HostSamples{"h", {{"cpu", 2.0}}}, 1000.0, 2.0);
    CHECK(fleet.find("h")->last_sample_wall_ms == 2000.0);
    CHECK(fleet.last_sample_wall_ms() == 2000.0);
}

TEST_CASE("an older frame arriving late does not overwrite the newer latest value") {
    Fleet fleet;
    fleet.apply_host(HostSamples{"h", {{"cpu", 1.0}}}, 2000.0, 1.0);
    fleet.apply_host(HostSamples{"h", {{"cpu", 2.0}}}, 1000.0, 2.0);
    CHECK(fleet.find("h")->latest.at("cpu") == 1.0);
    CHECK(fleet.find("h")->last_sample_local_ms == 1.0);
}

TEST_CASE("a runaway hub cannot grow the fleet without bound: hosts and metrics are capped and counted") {
    vigil::model::FleetLimits limits;
    limits.max_hosts = 3;
    limits.max_metrics_per_host = 2;
    Fleet fleet(limits);
    for (int i = 0; i < 10; ++i)
        fleet.apply_host(HostSamples{"h" + std::to_string(i), {{"a", 1.0}, {"b", 2.0}, {"c", 3.0}}}, i, i);
    CHECK(fleet.hosts().size() == 3);
    CHECK(fleet.refused_hosts() == 7);
    CHECK(fleet.find("h0")->metrics.size() == 2);
    CHECK(fleet.find("h0")->series.size() == 2);
    CHECK(fleet.find("h0")->latest.count("c") == 0);
    CHECK(fleet.refused_metrics() == 3);
}

TEST_CASE("a frame's seq is remembered with the host's newest sample") {
    Fleet fleet;
    fleet.apply_samples({41, 1000, {HostSamples{"h", {{"cpu", 1.0}}}}}, 5.0);
    CHECK(fleet.find("h")->last_seq == 41);
    CHECK(fleet.head_local_ms() == 5.0);
}

TEST_CASE("a frame with no hosts still says the link is alive") {
    Fleet fleet;
    fleet.apply_samples({1, 1000, {}}, 5.0);
    fleet.apply_samples({2, 2000, {}}, 6.0);
    CHECK(fleet.head_local_ms() == 6.0);
    CHECK(fleet.last_sample_wall_ms() == 2000.0);
}

TEST_CASE("a hub alarm follows the catalog: refused for a host it does not list, gone when a new one drops its host") {
    Fleet fleet;
    vigil::protocol::HostInfo a;
    a.id = "a";
    fleet.apply_catalog(Catalog{{a}});
    vigil::protocol::Alarm alarm;
    alarm.host = "ghost";
    alarm.metric = "cpu";
    alarm.level = vigil::protocol::AlarmLevel::crit;
    fleet.apply_alarm(alarm, 1.0);
    CHECK(fleet.alarms().active().empty());
    CHECK(fleet.unknown_hosts() == 1);
    alarm.host = "a";  // a listed host that never sent a sample
    fleet.apply_alarm(alarm, 2.0);
    CHECK(fleet.alarms().active().size() == 1);
    fleet.apply_catalog(Catalog{});
    CHECK(fleet.alarms().active().empty());
}

TEST_CASE("hub alarms hold within their epoch: a welcome of another epoch drops them") {
    Fleet fleet;
    vigil::protocol::Alarm alarm;
    alarm.host = "a";
    alarm.metric = "cpu";
    alarm.level = vigil::protocol::AlarmLevel::crit;
    fleet.apply_alarm(alarm, 1.0);
    REQUIRE(fleet.alarms().active().size() == 1);
    fleet.on_new_epoch();
    CHECK(fleet.alarms().active().empty());
}
