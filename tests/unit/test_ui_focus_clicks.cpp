// The screen with Dear ImGui and no backend (as imgui_impl_null does): a click on a fleet tile
// pins that host in the focus panel, a click on the panel makes it rotate again, and the frame
// that sees the click already shows it. Mouse input is set on ImGuiIO as a backend would.
#include <doctest/doctest.h>

#if __has_include("imgui.h")  // the ui room is built only with Dear ImGui's sources

#include "model/fleet.h"
#include "ui/font_set.h"
#include "ui/screen.h"
#include "test_ui_support.h"

#include "imgui.h"

#include <cfloat>
#include <string>
#include <vector>

using vigil::model::Fleet;
using vigil::protocol::Catalog;
using vigil::protocol::HostInfo;
using vigil::protocol::HostSamples;
using vigil::protocol::Samples;
using vigil::ui::DesignRect;
using vigil::ui::Screen;
using vigil::ui::ScreenReport;
using vigil::ui::testing::Ui;
using vigil::ui::testing::frame;

namespace {

// Four hosts heard just now (fresh), no alarms: shown by name.
Fleet fleet_of_four() {
    Fleet fleet;
    Catalog catalog;
    for (const char* id : {"alpha", "bravo", "charlie", "delta"}) catalog.hosts.push_back(HostInfo{id, id, {}});
    fleet.apply_catalog(catalog);
    Samples frame{1, 1000000, {}};
    for (const auto& h : catalog.hosts) frame.hosts.push_back(HostSamples{h.id, {{"cpu", 10.0}}});
    fleet.apply_samples(frame, 0);
    return fleet;
}

ImVec2 centre(const DesignRect& r) { return ImVec2(r.x + r.w * 0.5f, r.y + r.h * 0.5f); }

const ScreenReport::Tile& tile_of(const ScreenReport& r, const std::string& host) {
    for (const auto& t : r.tiles)
        if (t.host == host) return t;
    FAIL("no tile for " << host);
    return r.tiles.front();
}

}  // namespace

TEST_CASE("without clicks the focus panel rotates and reports every tile of the page where it is drawn") {
    Ui ui;
    const Fleet fleet = fleet_of_four();
    Screen screen(ui.fonts);
    const ScreenReport& r = frame(screen, fleet, 0);
    REQUIRE(r.tiles.size() == 4);
    CHECK(r.tiles[0].host == "alpha");
    CHECK(r.tiles[0].rect.x >= 20);
    CHECK(r.tiles[0].rect.w > 100);
    CHECK(r.focus_panel.x == 1410);
    CHECK(r.focus_host == "alpha");
    CHECK_FALSE(r.focus_pinned);
    CHECK(frame(screen, fleet, 10000).focus_host == "bravo");
}

TEST_CASE("a click on a tile pins its host in the frame that sees it; it stays past rotate_s") {
    Ui ui;
    const Fleet fleet = fleet_of_four();
    Screen screen(ui.fonts);
    const ImVec2 at = centre(tile_of(frame(screen, fleet, 0), "charlie").rect);
    const ScreenReport& r = frame(screen, fleet, 100, &at);
    CHECK(r.focus_host == "charlie");
    CHECK(r.focus_pinned);
    CHECK(r.focus_pin == "charlie");
    for (double t : {10000.0, 20000.0, 30000.0, 40000.0}) {
        const ScreenReport& later = frame(screen, fleet, t);
        CHECK(later.focus_host == "charlie");
        CHECK(later.focus_pinned);
    }
}

TEST_CASE("a click on another tile switches the pin; a click on the focus panel rotates again") {
    Ui ui;
    const Fleet fleet = fleet_of_four();
    Screen screen(ui.fonts);
    const ScreenReport& first = frame(screen, fleet, 0);
    const ImVec2 bravo = centre(tile_of(first, "bravo").rect), delta = centre(tile_of(first, "delta").rect);
    const ImVec2 panel = centre(first.focus_panel);
    frame(screen, fleet, 100, &bravo);
    frame(screen, fleet, 200);  // released
    CHECK(frame(screen, fleet, 300, &delta).focus_host == "delta");
    frame(screen, fleet, 400);
    const ScreenReport& r = frame(screen, fleet, 500, &panel);
    CHECK_FALSE(r.focus_pinned);
    CHECK(r.focus_pin.empty());
    CHECK(r.focus_host == "alpha");  // the rotation's host at 0.5 s
    CHECK(frame(screen, fleet, 20000).focus_host == "charlie");
}

TEST_CASE("a held button is one click; a click on the header changes nothing") {
    Ui ui;
    const Fleet fleet = fleet_of_four();
    Screen screen(ui.fonts);
    const ScreenReport& first = frame(screen, fleet, 0);
    const ImVec2 alpha = centre(tile_of(first, "alpha").rect);
    const ImVec2 header(960, 60);
    frame(screen, fleet, 100, &alpha);
    frame(screen, fleet, 200);
    CHECK(frame(screen, fleet, 300, &header).focus_pin == "alpha");
    frame(screen, fleet, 400);
    screen.pin_focus("");
    const ScreenReport& r = frame(screen, fleet, 20000, &alpha);  // pressed again: pinned again
    CHECK(r.focus_pin == "alpha");
    screen.pin_focus("");
    CHECK(frame(screen, fleet, 20100, &alpha).focus_pin.empty());  // still held: not a new click
}

TEST_CASE("pin_focus (config focus_host, ?focus=) pins before any click; an unknown host rotates") {
    Ui ui;
    const Fleet fleet = fleet_of_four();
    Screen screen(ui.fonts);
    screen.pin_focus("delta");
    const ScreenReport& r = frame(screen, fleet, 0);
    CHECK(r.focus_host == "delta");
    CHECK(r.focus_pinned);
    screen.pin_focus("no-such-host");
    const ScreenReport& away = frame(screen, fleet, 10000);
    CHECK_FALSE(away.focus_pinned);
    CHECK(away.focus_pin == "no-such-host");
    CHECK(away.focus_host == "bravo");
}

#endif
