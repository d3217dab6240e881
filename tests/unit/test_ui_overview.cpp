// The screen at fleet scale, with Dear ImGui and no backend (test_ui_support.h): a fleet beyond
// one page of tiles is an overview of every host (cells, group lines) with detail tiles for the
// hosts needing attention; a click on a cell pins its host; a wall profile filters and groups.
#include <doctest/doctest.h>

#if __has_include("imgui.h")  // the ui room is built only with Dear ImGui's sources

#include "ui/screen.h"
#include "test_ui_support.h"

#include <set>
#include <string>

using vigil::model::CellState;
using vigil::model::Fleet;
using vigil::model::FleetLimits;
using vigil::model::WallLayout;
using vigil::model::WallProfile;
using vigil::protocol::Catalog;
using vigil::protocol::HostInfo;
using vigil::protocol::HostSamples;
using vigil::protocol::Samples;
using vigil::ui::ScreenReport;
using vigil::ui::Screen;
using vigil::ui::testing::Ui;
using vigil::ui::testing::frame;

namespace {
constexpr std::int64_t kT0 = 1'700'000'000'000LL;

std::string host_id(int i) {
    char id[16];
    std::snprintf(id, sizeof id, "h%04d", i);
    return id;
}

// One frame of samples (seq, at kT0 + now_ms) for fleet_of's hosts.
Samples samples_of(int n, int down, int crit, vigil::protocol::Seq seq, double now_ms) {
    Samples frame{seq, kT0 + static_cast<std::int64_t>(now_ms), {}};
    for (int i = 0; i < n; ++i) {
        frame.hosts.push_back(HostSamples{host_id(i), {{"cpu", i == crit ? 99.0 : (i == 8 ? 85.0 : 10.0)}}});
        if (i == down) frame.down.push_back(vigil::protocol::HostDown{host_id(i), "connection refused", kT0 - 5000});
    }
    return frame;
}

// n hosts h0000.., site A/B/C by i % 3, rack r00..r07 by i % 8; host `crit` (7) at cpu 99 (crit),
// host 8 at 85 (warn), the rest 10; host `down` (if any) DOWN.
Fleet fleet_of(int n, int down = -1, int crit = 7) {
    Fleet fleet;
    Catalog cat;
    for (int i = 0; i < n; ++i)
        cat.hosts.push_back(HostInfo{host_id(i), host_id(i), {{"cpu", "CPU", "%", 80.0, 95.0}},
                                     {{"site", std::string(1, char('A' + i % 3))}, {"rack", "r0" + std::to_string(i % 8)}}});
    fleet.apply_catalog(cat);
    fleet.apply_samples(samples_of(n, down, crit, 1, 0), 0);
    return fleet;
}

const ScreenReport::Cell* cell_of(const ScreenReport& r, const std::string& host) {
    for (const auto& c : r.overview.cells)
        if (c.host->id == host) return &c;
    return nullptr;
}
}  // namespace

TEST_CASE("16 hosts stay detail tiles on one page; 65 become an overview of all of them") {
    Ui ui;
    {
        const Fleet fleet = fleet_of(16);
        Screen screen(ui.fonts);
        const auto& r = frame(screen, fleet, 100);
        CHECK(std::string(r.layout) == "tiles");
        CHECK(r.pages == 1);
        CHECK(r.tiles.size() == 16);
    }
    const Fleet fleet = fleet_of(65);
    Screen screen(ui.fonts);
    const auto& r = frame(screen, fleet, 100);
    CHECK(std::string(r.layout) == "overview");
    CHECK(r.overview.cells.size() == 65);
    CHECK(r.overview.cell >= 24);
    CHECK(r.overview.attention == 2);
    // The detail tiles are the hosts needing attention, the critical one first.
    REQUIRE(r.tiles.size() == 2);
    CHECK(r.tiles[0].host == "h0007");
    CHECK(std::string(r.tiles[0].state) == "crit");
    CHECK(r.tiles[1].host == "h0008");
    // No group-by label: one group, whose line counts every state.
    REQUIRE(r.overview.groups.size() == 1);
    CHECK(r.overview.groups[0].hosts == 65);
    CHECK(r.overview.groups[0].text.find("65 hosts") != std::string::npos);
    CHECK(r.overview.groups[0].text.find("1 CRIT") != std::string::npos);
    CHECK(r.overview.groups[0].text.find("1 WARN") != std::string::npos);
    CHECK(r.overview.groups[0].text.find("63 OK") != std::string::npos);
    CHECK(r.overview.cells[0].host->id == "h0007");  // critical first
    CHECK(r.overview.cells[0].state == CellState::crit);
    // Every cell inside the fleet area, below the attention tiles.
    for (const auto& c : r.overview.cells) {
        CHECK(c.rect.x >= 20);
        CHECK(c.rect.x + c.rect.w <= 1390.5f);
        CHECK(c.rect.y > r.tiles[0].rect.y + r.tiles[0].rect.h);
        CHECK(c.rect.y + c.rect.h <= 1020.5f);
    }
}

TEST_CASE("1,000 hosts grouped by site: every host a cell of at least 24 design px, one line per group") {
    Ui ui;
    const Fleet fleet = fleet_of(1000);
    WallProfile wall;
    wall.name = "sites";
    wall.group_by = "site";
    Screen screen(ui.fonts);
    const auto& r = frame(screen, fleet, 100, nullptr, &wall);
    CHECK(std::string(r.layout) == "overview");
    CHECK(r.overview.cells.size() == 1000);
    CHECK(r.overview.fits);
    CHECK_FALSE(r.overview.below_minimum);
    CHECK(r.overview.cell >= 24);
    REQUIRE(r.overview.groups.size() == 3);
    CHECK(r.overview.groups[0].name == "A");
    CHECK(r.overview.groups[1].text.find("site B · 333 hosts") == 0);
    // h0007 is site B (7 % 3 == 1): first of its group, after group A's 334 cells.
    CHECK(r.overview.cells[334].host->id == "h0007");
    std::set<std::string> ids;
    for (const auto& c : r.overview.cells) ids.insert(c.host->id);
    CHECK(ids.size() == 1000);
}

TEST_CASE("a click on an overview cell pins its host in the focus panel") {
    Ui ui;
    const Fleet fleet = fleet_of(200);
    Screen screen(ui.fonts);
    const auto& r0 = frame(screen, fleet, 100);
    const ScreenReport::Cell* c = cell_of(r0, "h0150");
    REQUIRE(c != nullptr);
    const ImVec2 at(c->rect.x + c->rect.w * 0.5f, c->rect.y + c->rect.h * 0.5f);
    const auto& r1 = frame(screen, fleet, 200, &at);
    CHECK(r1.focus_host == "h0150");
    CHECK(r1.focus_pinned);
    // A click in the gap between two cells pins nothing new.
    const ScreenReport::Cell* d = cell_of(r1, "h0100");
    REQUIRE(d != nullptr);
    const ImVec2 gap(d->rect.x + d->rect.w + r1.overview.gap * 0.5f, d->rect.y + 2);
    frame(screen, fleet, 300);  // the button up again
    const auto& r2 = frame(screen, fleet, 400, &gap);
    CHECK(r2.focus_host == "h0150");
}

TEST_CASE("a wall's filter keeps other hosts off it, its layout and metrics apply") {
    Ui ui;
    const Fleet fleet = fleet_of(30);
    WallProfile wall;
    wall.name = "a";
    wall.filter = {{"site", {"A"}}};
    wall.layout = WallLayout::overview;
    Screen screen(ui.fonts);
    const auto& r = frame(screen, fleet, 100, nullptr, &wall);
    CHECK(std::string(r.layout) == "overview");
    CHECK(r.wall_hosts == 10);
    CHECK(r.overview.cells.size() == 10);
    for (const auto& c : r.overview.cells) CHECK(c.host->labels[0].second == "A");
    // The counters, the footer's "N down" and the ticker are this wall's: site A has no alarm.
    CHECK(r.alarms == 0);
    CHECK(r.alarms_crit == 0);
    CHECK(r.alarms_warn == 0);
    CHECK(r.ticker.empty());
    wall.layout = WallLayout::tiles;
    wall.filter.clear();
    const auto& t = frame(screen, fleet_of(65), 200, nullptr, &wall);
    CHECK(std::string(t.layout) == "tiles");
    CHECK(t.pages >= 2);
}

TEST_CASE("a filtered wall counts, and tickers, only its own hosts' alarms and DOWN hosts") {
    Ui ui;
    // h0004 DOWN and h0007 crit are site B (i % 3 == 1), h0008 warn is site C.
    const Fleet fleet = fleet_of(30, 4);
    REQUIRE(fleet.alarms().counts().total() == 3);
    REQUIRE(fleet.down_count() == 1);
    WallProfile a;
    a.name = "a";
    a.filter = {{"site", {"A"}}};
    Screen sa(ui.fonts);
    const ScreenReport ra = frame(sa, fleet, 100, nullptr, &a);
    CHECK(ra.wall_hosts == 10);
    CHECK(ra.alarms == 0);
    CHECK(ra.hosts_down == 0);
    CHECK(ra.ticker.empty());
    WallProfile b;
    b.name = "b";
    b.filter = {{"site", {"B"}}};
    Screen sb(ui.fonts);
    const ScreenReport rb = frame(sb, fleet, 100, nullptr, &b);
    CHECK(rb.alarms == 2);  // h0004's DOWN (crit) and h0007's cpu
    CHECK(rb.alarms_crit == 2);
    CHECK(rb.alarms_warn == 0);
    CHECK(rb.hosts_down == 1);
    CHECK(rb.ticker.find("h0007") != std::string::npos);
    CHECK(rb.ticker.find("h0004") != std::string::npos);
    CHECK(rb.ticker.find("h0008") == std::string::npos);
    // No profile: the whole fleet's.
    Screen all(ui.fonts);
    const ScreenReport r = frame(all, fleet, 100);
    CHECK(r.alarms == 3);
    CHECK(r.hosts_down == 1);
    CHECK(r.ticker.find("h0008") != std::string::npos);
}

TEST_CASE("layout: tiles keeps the critical hosts on every page; every other host comes round") {
    Ui ui;
    // h0064 crit (last by name, first in display order), h0003 DOWN, h0008 warn.
    Fleet fleet = fleet_of(65, 3, 64);
    WallProfile wall;
    wall.name = "paged";
    wall.layout = WallLayout::tiles;
    Screen screen(ui.fonts);
    const ScreenReport first = frame(screen, fleet, 100, nullptr, &wall);
    REQUIRE(std::string(first.layout) == "tiles");
    REQUIRE(first.pages >= 2);
    std::set<std::string> seen;
    // rotate_s 10: one frame in each page's turn, over every page.
    for (int k = 0; k < first.pages; ++k) {
        const double now = 100 + 10000.0 * k + 5000;
        fleet.apply_samples(samples_of(65, 3, 64, 2 + k, now), now);  // fresh: no host goes stale
        const ScreenReport r = frame(screen, fleet, now, nullptr, &wall);
        CHECK(r.page == k);
        CHECK(r.pages == first.pages);
        REQUIRE(r.tiles.size() >= 3);
        CHECK(r.tiles[0].host == "h0003");  // DOWN first, then crit
        CHECK(std::string(r.tiles[0].state) == "down");
        CHECK(r.tiles[1].host == "h0064");
        CHECK(std::string(r.tiles[1].state) == "crit");
        int critical = 0;
        for (const auto& t : r.tiles) {
            seen.insert(t.host);
            if (t.host == "h0003" || t.host == "h0064") ++critical;
            CHECK(t.rect.y + t.rect.h <= 1020.5f);
        }
        CHECK(critical == 2);  // each once
    }
    CHECK(seen.size() == 65);  // every host came round
}

TEST_CASE("1,000 hosts in 8 racks: the groups share rows, each line inline before its cells; a click still pins") {
    Ui ui;
    const Fleet fleet = fleet_of(1000);
    WallProfile wall;
    wall.name = "racks";
    wall.group_by = "rack";
    Screen screen(ui.fonts);
    const ScreenReport r = frame(screen, fleet, 100, nullptr, &wall);
    REQUIRE(std::string(r.layout) == "overview");
    CHECK(r.overview.fits);
    CHECK_FALSE(r.overview.below_minimum);
    CHECK(r.overview.cell >= 24);
    CHECK_FALSE(r.tiles.empty());  // the detail tiles kept above the mosaic
    REQUIRE(r.overview.groups.size() == 8);
    // h0007 (crit) is rack r07: first in its group, right after its line, on the line's row.
    const auto& g7 = r.overview.groups[7];
    CHECK(g7.name == "r07");
    CHECK(g7.text.find("rack r07 · 125 hosts") == 0);
    CHECK(g7.text.find("1 CRIT") != std::string::npos);
    const ScreenReport::Cell* c7 = cell_of(r, "h0007");
    REQUIRE(c7 != nullptr);
    CHECK(c7->group == 7);
    CHECK(c7->rect.y == doctest::Approx(g7.rect.y));
    CHECK(c7->rect.x > g7.rect.x + g7.rect.w);
    // Every line inline (a cell high, on its first cell's row) and clear of every cell.
    for (const auto& g : r.overview.groups) {
        CHECK(g.rect.h == doctest::Approx(r.overview.cell));
        for (const auto& c : r.overview.cells)
            CHECK_FALSE((c.rect.y < g.rect.y + g.rect.h && g.rect.y < c.rect.y + c.rect.h && c.rect.x < g.rect.x + g.rect.w &&
                         g.rect.x < c.rect.x + c.rect.w));
    }
    // A click on a cell pins its host, on a group's first row and on the row after; on a line, none.
    const ImVec2 at(c7->rect.x + c7->rect.w * 0.5f, c7->rect.y + c7->rect.h * 0.5f);
    CHECK(frame(screen, fleet, 200, &at, &wall).focus_host == "h0007");
    frame(screen, fleet, 300, nullptr, &wall);
    const auto& group = r.overview.groups[3];
    const ScreenReport::Cell* later = nullptr;
    for (const auto& c : r.overview.cells)
        if (c.group == 3 && c.rect.y > group.rect.y + 1) {
            later = &c;
            break;
        }
    REQUIRE(later != nullptr);
    const std::string later_id = later->host->id;
    const ImVec2 at2(later->rect.x + 2, later->rect.y + later->rect.h - 2);
    CHECK(frame(screen, fleet, 400, &at2, &wall).focus_host == later_id);
    frame(screen, fleet, 500, nullptr, &wall);
    const ImVec2 on_line(group.rect.x + group.rect.w * 0.5f, group.rect.y + group.rect.h * 0.5f);
    CHECK(frame(screen, fleet, 600, &on_line, &wall).focus_pin == later_id);
}

TEST_CASE("in the overview the focus panel turns to the hosts needing attention first, one other host a round") {
    Ui ui;
    Fleet fleet = fleet_of(65);  // h0007 crit, h0008 warn
    Screen screen(ui.fonts);
    std::vector<std::string> shown;
    for (int k = 0; k < 6; ++k) {
        const double now = 100 + 10000.0 * k + 500;
        fleet.apply_samples(samples_of(65, -1, 7, 2 + k, now), now);  // fresh: no host goes stale
        const ScreenReport& r = frame(screen, fleet, now);
        REQUIRE(std::string(r.layout) == "overview");
        CHECK_FALSE(r.focus_pinned);
        shown.push_back(r.focus_host);
    }
    CHECK(shown == std::vector<std::string>{"h0007", "h0008", "h0000", "h0007", "h0008", "h0001"});
    // A pin still holds, whatever its host's state.
    screen.pin_focus("h0030");
    fleet.apply_samples(samples_of(65, -1, 7, 9, 70100), 70100);
    CHECK(frame(screen, fleet, 70100).focus_host == "h0030");
}

#endif
