// The overview's layout (every host a cell, grouped, worst first, the largest cell that fits)
// and which hosts needing attention get a detail tile (critical ones never rotated out while
// they fit).
#include <doctest/doctest.h>

#include "model/overview.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

using vigil::model::AttentionPick;
using vigil::model::CellState;
using vigil::model::layout_overview;
using vigil::model::OverviewHost;
using vigil::model::OverviewLimits;
using vigil::model::pick_attention;
using vigil::model::pick_tile_page;
using vigil::model::OverviewGroup;

namespace {
std::vector<OverviewHost> fleet_of(int n, int groups = 1, CellState s = CellState::ok) {
    std::vector<OverviewHost> hosts;
    for (int i = 0; i < n; ++i) hosts.push_back({groups > 1 ? "g" + std::to_string(i % groups) : "", s});
    return hosts;
}
}  // namespace

TEST_CASE("1,000 hosts in 4 groups fit the wall's fleet area with cells of at least the minimum") {
    // The fleet area of the 1920x1080 design (1370 x 890, screen.cpp) below one row of attention
    // tiles (170) with their page bar (30) and the space before the mosaic (16).
    const auto l = layout_overview(fleet_of(1000, 4), 1370, 890 - 170 - 30 - 16);
    CHECK(l.fits);
    CHECK_FALSE(l.below_minimum);
    CHECK(l.cell >= OverviewLimits{}.min_cell);
    CHECK(l.cells.size() == 1000);
    REQUIRE(l.groups.size() == 4);
    // Every cell inside the area, none overlapping the next, the groups one below the other.
    std::set<std::pair<int, int>> seen;
    for (const auto& c : l.cells) {
        CHECK(c.x >= 0);
        CHECK(c.x + l.cell <= 1370);
        CHECK(c.y + l.cell <= l.height + 0.01f);
        CHECK(seen.insert({static_cast<int>(c.x), static_cast<int>(c.y)}).second);
    }
    for (std::size_t g = 1; g < l.groups.size(); ++g) CHECK(l.groups[g].y > l.cells[l.groups[g - 1].end - 1].y);
}

TEST_CASE("a small fleet gets large cells, capped; 5,000 hosts go below the minimum but still fit") {
    const auto small = layout_overview(fleet_of(20), 1370, 854);
    CHECK(small.cell == OverviewLimits{}.max_cell);
    const auto huge = layout_overview(fleet_of(5000, 10), 1370, 854);
    CHECK(huge.fits);
    CHECK(huge.below_minimum);
    CHECK(huge.cell >= OverviewLimits{}.floor_cell);
    CHECK(huge.cells.size() == 5000);
}

TEST_CASE("groups by name, hosts without the label last; worst state first within each group") {
    std::vector<OverviewHost> hosts = {{"B", CellState::ok}, {"A", CellState::ok}, {"", CellState::crit},
                                       {"B", CellState::warn}, {"A", CellState::down}, {"B", CellState::crit},
                                       {"A", CellState::stale}};
    const auto l = layout_overview(hosts, 1370, 854);
    REQUIRE(l.groups.size() == 3);
    CHECK(l.groups[0].name == "A");
    CHECK(l.groups[1].name == "B");
    CHECK(l.groups[2].name == "");
    std::vector<std::size_t> a, b;
    for (std::size_t i = l.groups[0].begin; i < l.groups[0].end; ++i) a.push_back(l.cells[i].host);
    for (std::size_t i = l.groups[1].begin; i < l.groups[1].end; ++i) b.push_back(l.cells[i].host);
    CHECK(a == std::vector<std::size_t>{4, 6, 1});  // down, stale, ok
    CHECK(b == std::vector<std::size_t>{5, 3, 0});  // crit, warn, ok
    CHECK(l.groups[0].worst == CellState::down);
    CHECK(l.groups[1].worst == CellState::crit);
    CHECK(l.groups[1].counts[static_cast<int>(CellState::warn)] == 1);
    CHECK(l.groups[1].hosts() == 3);
}

TEST_CASE("critical hosts stay in the detail tiles on every page while they fit; the others rotate") {
    // 2 crit, then 6 warn, in 4 slots: both crit on every page, the warn ones 2 at a time.
    std::vector<CellState> att = {CellState::down, CellState::crit};
    for (int i = 0; i < 6; ++i) att.push_back(CellState::warn);
    std::set<std::size_t> warn_seen;
    for (double t = 0; t < 60000; t += 10000) {
        const AttentionPick p = pick_attention(att, 4, t, 10, 0);
        CHECK(p.pages == 3);
        REQUIRE(p.shown.size() == 4);
        CHECK(p.shown[0] == 0);
        CHECK(p.shown[1] == 1);
        warn_seen.insert(p.shown[2]);
        warn_seen.insert(p.shown[3]);
    }
    CHECK(warn_seen.size() == 6);  // every warn host comes round
}

TEST_CASE("more critical hosts than slots: the pages rotate through the critical ones only") {
    std::vector<CellState> att(6, CellState::crit);
    att.push_back(CellState::warn);
    std::set<std::size_t> seen;
    for (double t = 0; t < 40000; t += 10000) {
        const AttentionPick p = pick_attention(att, 4, t, 10, 0);
        CHECK(p.pages == 2);
        for (auto i : p.shown) {
            CHECK(i < 6);
            seen.insert(i);
        }
    }
    CHECK(seen.size() == 6);
    CHECK(pick_attention({}, 4, 0, 10, 0).shown.empty());
}

namespace {
// What the page's health line needs: 8 design px a character of its 20 px words (the page's font
// takes about 6.5: "site B · 250 hosts" is 116 px) plus the mark and margins (32, ui/mosaic.cpp;
// 38 here): "rack r07 · 25 hosts · 1 CRIT · 24 OK", "rack r07 · 25 · 1 CRIT", "r07 · 25 · 1 CRIT".
float wide_heading(const OverviewGroup& g, int tier) {
    std::string text = (tier >= 2 ? g.name : "rack " + g.name) + " · " + std::to_string(g.hosts()) + (tier == 0 ? " hosts" : "");
    for (int i = 0; i < vigil::model::kCellStateCount; ++i)
        if (g.counts[i] && (tier == 0 || i != static_cast<int>(CellState::ok))) text += " · " + std::to_string(g.counts[i]) + " CRIT";
    std::size_t chars = 0;  // UTF-8: "·" is one character in two bytes
    for (const char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return 8.0f * static_cast<float>(chars) + 38.0f;
}
}  // namespace

TEST_CASE("1,000 hosts in 5, 8, 25 or 40 groups still fit at 24 px or more below the detail tiles") {
    // The mosaic's area with the attention tiles and their page bar above it (as the first case).
    const float w = 1370, h = 890 - 170 - 30 - 16;
    for (const int n : {5, 8, 25, 40}) {
        CAPTURE(n);
        std::vector<OverviewHost> hosts;
        char name[8];
        for (int i = 0; i < 1000; ++i) {
            std::snprintf(name, sizeof name, "r%02d", i % n);
            hosts.push_back({name, i == 999 ? CellState::crit : (i % 97 == 0 ? CellState::warn : CellState::ok)});
        }
        const auto l = layout_overview(hosts, w, h, {}, wide_heading);
        CHECK(l.fits);
        CHECK_FALSE(l.below_minimum);
        CHECK(l.cell >= OverviewLimits{}.min_cell);
        CHECK(l.height <= h);
        CHECK(l.flowed);  // 4 groups of 250 are banded (the first case); these share rows
        REQUIRE(l.cells.size() == 1000);
        REQUIRE(l.groups.size() == static_cast<std::size_t>(n));
        const float pitch = l.cell + l.gap;
        // Every cell and every line inside the area, on the grid; nothing overlaps anything.
        std::set<std::pair<int, int>> taken;
        const auto take = [&](float x, float y) {
            CHECK(x >= 0);
            CHECK(x + l.cell <= w + 0.01f);
            CHECK(y + l.cell <= h + 0.01f);
            CHECK(taken.insert({static_cast<int>(std::lround(x / pitch)), static_cast<int>(std::lround(y / pitch))}).second);
        };
        for (const auto& c : l.cells) take(c.x, c.y);
        std::size_t crit_group = 0;
        for (std::size_t gi = 0; gi < l.groups.size(); ++gi) {
            const auto& g = l.groups[gi];
            CAPTURE(gi);
            CHECK(g.name == hosts[l.cells[g.begin].host].group);
            // The line is as wide as its words at its tier, on one row, right before its first cell.
            CHECK(g.w >= wide_heading(g, g.tier));
            CHECK(g.h == l.cell);
            for (float x = g.x; x < g.x + g.w; x += pitch) take(x, g.y);
            const auto& first = l.cells[g.begin];
            CHECK(first.y == g.y);
            CHECK(std::fabs(first.x - (g.x + g.w + l.gap)) < 0.01f);
            // Its own hosts, worst first.
            for (std::size_t i = g.begin; i < g.end; ++i) {
                CHECK(hosts[l.cells[i].host].group == g.name);
                if (i > g.begin) CHECK(static_cast<int>(hosts[l.cells[i - 1].host].state) <= static_cast<int>(hosts[l.cells[i].host].state));
            }
            if (g.worst == CellState::crit) crit_group = gi;
        }
        // Host 999's group has its crit host first, right after its line.
        CHECK(hosts[l.cells[l.groups[crit_group].begin].host].state == CellState::crit);
        CHECK(l.cells[l.groups[crit_group].begin].host == 999);
    }
}

TEST_CASE("the flowed lines keep the fullest words that fit: every word for 5 groups, shorter ones for 40") {
    const float w = 1370, h = 890 - 170 - 30 - 16;
    const auto make = [](int groups) {
        std::vector<OverviewHost> hosts;
        for (int i = 0; i < 1000; ++i) hosts.push_back({"r" + std::to_string(10 + i % groups), CellState::ok});
        return hosts;
    };
    const auto five = layout_overview(make(5), w, h, {}, wide_heading);
    CHECK(five.flowed);
    CHECK(five.groups[0].tier == 0);
    const auto forty = layout_overview(make(40), w, h, {}, wide_heading);
    CHECK(forty.flowed);
    CHECK(forty.groups[0].tier > 0);
    CHECK(forty.fits);
    // One group never flows; 5,000 hosts in 40 groups fall back below the minimum, banded.
    CHECK_FALSE(layout_overview(fleet_of(1000), w, h, {}, wide_heading).flowed);
    const auto huge = layout_overview(fleet_of(5000, 40), w, 854, {}, wide_heading);
    CHECK(huge.below_minimum);
    CHECK_FALSE(huge.flowed);
}

TEST_CASE("tile pages keep the critical hosts on every page while a slot is left; every host comes round") {
    // 65 hosts on pages of 16: DOWN first, one crit at the end of the order, then the others.
    std::vector<CellState> states(65, CellState::ok);
    states[0] = CellState::down;
    states[1] = CellState::crit;
    states[2] = CellState::warn;
    const AttentionPick p0 = pick_tile_page(states, 16, 0, 10, 0);
    CHECK(p0.pages == 5);  // 63 others in 14 slots
    std::set<std::size_t> seen;
    for (int k = 0; k < p0.pages; ++k) {
        const AttentionPick p = pick_tile_page(states, 16, 10000.0 * k + 1, 10, 0);
        CHECK(p.page == k);
        REQUIRE(p.shown.size() >= 2);
        CHECK(p.shown.size() <= 16);
        CHECK(p.shown[0] == 0);
        CHECK(p.shown[1] == 1);
        seen.insert(p.shown.begin(), p.shown.end());
    }
    CHECK(seen.size() == 65);
    // One page: everyone.
    CHECK(pick_tile_page(std::vector<CellState>(10, CellState::crit), 16, 0, 10, 0).shown.size() == 10);
}

TEST_CASE("tile pages with more critical hosts than a page holds rotate through the critical hosts alone") {
    // 40 hosts on pages of 16, 20 of them critical (DOWN first): pages of critical hosts only,
    // balanced (10 + 10), every critical host comes round, no OK host takes a page meanwhile.
    std::vector<CellState> many(40, CellState::ok);
    for (std::size_t i = 0; i < 20; ++i) many[i] = i < 3 ? CellState::down : CellState::crit;
    const AttentionPick q = pick_tile_page(many, 16, 0, 10, 0);
    CHECK(q.pages == 2);
    std::set<std::size_t> seen;
    for (int k = 0; k < 4; ++k) {  // two rounds
        const AttentionPick p = pick_tile_page(many, 16, 10000.0 * k + 1, 10, 0);
        CHECK(p.page == k % 2);
        CHECK(p.shown.size() == 10);
        for (std::size_t i : p.shown) CHECK(i < 20);  // critical only
        seen.insert(p.shown.begin(), p.shown.end());
    }
    CHECK(seen.size() == 20);
    // Exactly a page of critical hosts: that page, every turn (the OK hosts wait).
    std::vector<CellState> full(40, CellState::ok);
    for (std::size_t i = 0; i < 16; ++i) full[i] = CellState::crit;
    for (double t : {0.0, 10001.0, 20001.0, 30001.0}) {
        const AttentionPick p = pick_tile_page(full, 16, t, 10, 0);
        CHECK(p.pages == 1);
        REQUIRE(p.shown.size() == 16);
        CHECK(p.shown.back() == 15);
    }
    // Everyone critical, more than a page: plain balanced pages of all of them.
    const AttentionPick all = pick_tile_page(std::vector<CellState>(20, CellState::crit), 16, 10001, 10, 0);
    CHECK(all.pages == 2);
    CHECK(all.shown.size() == 10);
    CHECK(all.shown.back() == 19);
}

TEST_CASE("the overview's focus turns: the hosts needing attention each round, then the next other host") {
    using vigil::model::focus_turn;
    // 2 needing attention, 3 others: 0 1 2 | 0 1 3 | 0 1 4 | 0 1 2 ...
    std::vector<std::size_t> turns;
    for (int t = 0; t < 10; ++t) turns.push_back(focus_turn(2, 3, 10000.0 * t + 1, 10, 0));
    CHECK(turns == std::vector<std::size_t>{0, 1, 2, 0, 1, 3, 0, 1, 4, 0});
    CHECK(focus_turn(0, 3, 20001, 10, 0) == 2);  // none needing attention: every host in turn
    CHECK(focus_turn(3, 0, 40001, 10, 0) == 1);
    CHECK(focus_turn(2, 3, 1000, 0.5, 0) == 0);  // at least 2 s a turn
}
