// What a DOWN host's tile says, as the screen reports it (tiles' state and text) and as
// window.vigil gets it (hostsDown, downCount, hostLabels, tiles[].state/.text), with Dear ImGui
// and no backend (test_ui_support.h).
#include <doctest/doctest.h>

#if __has_include("imgui.h")  // the ui room is built only with Dear ImGui's sources

#include "model/format.h"
#include "ui/host_health_json.h"
#include "ui/screen.h"
#include "test_ui_support.h"

#include <string>

using vigil::model::Fleet;
using vigil::protocol::Catalog;
using vigil::protocol::HostInfo;
using vigil::protocol::Samples;
using vigil::ui::Screen;
using vigil::ui::testing::Ui;
using vigil::ui::testing::frame;

namespace {
constexpr std::int64_t kT0 = 1'700'000'000'000LL;

Fleet fleet_with_db_down() {
    Fleet fleet;
    fleet.apply_catalog(Catalog{{HostInfo{"db-01", "db-01", {{"cpu", "CPU", "%", 80.0, 95.0}}, {{"site", "A"}, {"rack", "r3"}}},
                                 HostInfo{"web-01", "web-01", {{"cpu", "CPU", "%", 80.0, 95.0}}},
                                 HostInfo{"web-02", "web-02", {{"cpu", "CPU", "%", 80.0, 95.0}}}}});
    fleet.apply_samples(Samples{1, kT0, {{"db-01", {{"cpu", 5.0}}}, {"web-01", {{"cpu", 99.0}}}, {"web-02", {{"cpu", 5.0}}}}}, 0);
    fleet.apply_samples(Samples{2, kT0 + 1000, {{"web-01", {{"cpu", 99.0}}}, {"web-02", {{"cpu", 5.0}}}},
                                {{"db-01", "connection refused", kT0 + 600}}},
                        1000);
    return fleet;
}
}  // namespace

TEST_CASE("a DOWN tile reports state down and the words it draws; the others their own state") {
    Ui ui;
    const Fleet fleet = fleet_with_db_down();
    Screen screen(ui.fonts);
    const auto& r = frame(screen, fleet, 1000);
    REQUIRE(r.tiles.size() == 3);
    CHECK(r.tiles[0].host == "db-01");
    CHECK(std::string(r.tiles[0].state) == "down");
    CHECK(r.tiles[0].text == "UNREACHABLE: connection refused, since " + vigil::model::format_local_clock(kT0 + 600));
    CHECK(r.tiles[1].host == "web-01");
    CHECK(std::string(r.tiles[1].state) == "crit");
    CHECK(r.tiles[1].text.empty());
    CHECK(std::string(r.tiles[2].state) == "ok");
    CHECK(r.hosts_down == 1);
    CHECK(r.alarms_crit == 2);  // web-01's cpu and db-01's DOWN
}

TEST_CASE("window.vigil gets hostsDown, downCount, hostLabels and each tile's state and text") {
    Ui ui;
    const Fleet fleet = fleet_with_db_down();
    Screen screen(ui.fonts);
    const auto& r = frame(screen, fleet, 1000);
    nlohmann::json j;
    j["tiles"] = nlohmann::json::array();
    for (const auto& t : r.tiles) j["tiles"].push_back({{"host", t.host}});
    vigil::ui::add_host_health(j, fleet, r);
    CHECK(j["downCount"] == 1);
    CHECK(j["hostsDown"]["db-01"]["reason"] == "connection refused");
    CHECK(j["hostsDown"]["db-01"]["since"] == kT0 + 600);
    CHECK_FALSE(j["hostsDown"].contains("web-01"));
    CHECK(j["hostLabels"]["db-01"] == nlohmann::json{{"site", "A"}, {"rack", "r3"}});
    CHECK_FALSE(j["hostLabels"].contains("web-01"));
    CHECK(j["tiles"][0]["state"] == "down");
    CHECK(j["tiles"][0]["text"] == r.tiles[0].text);
    CHECK(j["tiles"][1]["state"] == "crit");
    CHECK_FALSE(j["tiles"][1].contains("text"));
}

#endif
