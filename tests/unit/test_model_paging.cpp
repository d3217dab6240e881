// Paging: legible tile grids on the 1920x1080 design canvas, balanced pages, rotation, order.
#include <doctest/doctest.h>

#include "model/fleet.h"
#include "model/paging.h"

#include <cmath>
#include <set>
#include <string>
#include <vector>

using vigil::model::AlarmLevel;
using vigil::model::choose_grid;
using vigil::model::Fleet;
using vigil::model::FreshnessLevel;
using vigil::model::GridLayout;
using vigil::model::order_tiles;
using vigil::model::page_at;
using vigil::model::page_slice;
using vigil::model::tile_rect;
using vigil::model::TileLimits;
using vigil::model::TileRank;

namespace {
constexpr float kW = 1920, kH = 1000;  // the fleet view below an 80 px banner
}

TEST_CASE("hosts that fit on one page get the largest tiles that still fit") {
    const GridLayout g = choose_grid(6, kW, kH);
    CHECK(g.pages == 1);
    CHECK(g.cols == 3);
    CHECK(g.rows == 2);
    CHECK(g.tile_w == doctest::Approx(632));
    CHECK(g.tile_h == doctest::Approx(494));
    CHECK_FALSE(g.below_minimum);
    const GridLayout one = choose_grid(1, kW, kH);
    CHECK(one.cols == 1);
    CHECK(one.rows == 1);
    CHECK(one.tile_w == kW);
}

TEST_CASE("a full page is one page; one host more makes two balanced pages of legible tiles") {
    // 300x170 tiles with 12 px gaps: 6 columns x 5 rows fit in 1920x1000.
    const GridLayout full = choose_grid(30, kW, kH);
    CHECK(full.pages == 1);
    CHECK(full.per_page == 30);
    CHECK(full.cols * full.rows >= 30);
    const GridLayout more = choose_grid(31, kW, kH);
    CHECK(more.pages == 2);
    CHECK(more.per_page == 16);
    CHECK(page_slice(more, 0).end - page_slice(more, 0).begin == 16);
    CHECK(page_slice(more, 1).end - page_slice(more, 1).begin == 15);
    for (int n : {1, 7, 29, 30, 31, 59, 60, 61, 200, 1000}) {
        const GridLayout g = choose_grid(n, kW, kH);
        INFO("hosts: " << n);
        CHECK(g.tile_w >= TileLimits{}.min_w);
        CHECK(g.tile_h >= TileLimits{}.min_h);
        CHECK(g.cols * g.rows >= g.per_page);
        CHECK(g.pages * g.per_page >= n);
        CHECK((g.pages - 1) * g.per_page < n);  // no empty page
        CHECK(g.tile_w * static_cast<float>(g.cols) + g.gap * static_cast<float>(g.cols - 1) <= kW + 0.01f);
        CHECK(g.tile_h * static_cast<float>(g.rows) + g.gap * static_cast<float>(g.rows - 1) <= kH + 0.01f);
    }
}

TEST_CASE("pages cover every host exactly once, in order") {
    const GridLayout g = choose_grid(73, kW, kH);
    std::vector<int> seen;
    for (int p = 0; p < g.pages; ++p)
        for (int i = page_slice(g, p).begin; i < page_slice(g, p).end; ++i) seen.push_back(i);
    REQUIRE(seen.size() == 73);
    for (int i = 0; i < 73; ++i) CHECK(seen[static_cast<std::size_t>(i)] == i);
    CHECK(page_slice(g, g.pages).begin == page_slice(g, g.pages).end);  // past the end: empty
    CHECK(page_slice(g, -1).begin == page_slice(g, -1).end);
}

TEST_CASE("an area too small for one legible tile still shows one tile per page, flagged") {
    const GridLayout g = choose_grid(3, 200, 100);
    CHECK(g.cols == 1);
    CHECK(g.rows == 1);
    CHECK(g.pages == 3);
    CHECK(g.below_minimum);
}

TEST_CASE("no hosts: one page with nothing on it") {
    const GridLayout g = choose_grid(0, kW, kH);
    CHECK(g.pages == 1);
    CHECK(g.per_page == 0);
    CHECK(page_slice(g, 0).begin == page_slice(g, 0).end);
}

TEST_CASE("tiles are laid out row by row with the gap between them") {
    const GridLayout g = choose_grid(6, kW, kH);
    const auto r0 = tile_rect(g, 0), r2 = tile_rect(g, 2), r3 = tile_rect(g, 3);
    CHECK(r0.x == 0);
    CHECK(r0.y == 0);
    CHECK(r2.x == doctest::Approx(2 * (632 + 12)));
    CHECK(r3.x == 0);
    CHECK(r3.y == doctest::Approx(494 + 12));
    CHECK(r3.w == g.tile_w);
}

TEST_CASE("pages rotate every rotate_s seconds and wrap; a single page never rotates") {
    CHECK(page_at(0, 10, 3).page == 0);
    CHECK(page_at(9'999, 10, 3).page == 0);
    CHECK(page_at(10'000, 10, 3).page == 1);
    CHECK(page_at(25'000, 10, 3).page == 2);
    CHECK(page_at(25'000, 10, 3).progress == doctest::Approx(0.5));
    CHECK(page_at(30'000, 10, 3).page == 0);
    CHECK(page_at(1e12, 10, 1).page == 0);
    CHECK(page_at(15'000, 10, 2, 10'000).page == 0);  // counted from the start time
    CHECK(page_at(5'000, 10, 2, 10'000).page == 0);   // before it: the first page
    CHECK(page_at(86'400'000.0 * 180, 10, 7).page >= 0);  // months later, still in range
}

TEST_CASE("hosts are ordered crit, warn, stale, never heard, fresh; by name then id within each") {
    const std::vector<TileRank> ranks = {
        {"web-02", "w2", AlarmLevel::ok, FreshnessLevel::fresh},
        {"db-01", "d1", AlarmLevel::warn, FreshnessLevel::fresh},
        {"web-01", "w1", AlarmLevel::ok, FreshnessLevel::stale},
        {"app", "a2", AlarmLevel::ok, FreshnessLevel::fresh},
        {"zz", "z", AlarmLevel::crit, FreshnessLevel::stale},
        {"app", "a1", AlarmLevel::ok, FreshnessLevel::fresh},
        {"new", "n", AlarmLevel::ok, FreshnessLevel::never},
    };
    CHECK(order_tiles(ranks) == std::vector<std::size_t>{4, 1, 2, 6, 5, 3, 0});
}

TEST_CASE("the order depends on states, not values: tiles do not move while values change") {
    Fleet fleet;
    auto names = [&](double now) {
        std::vector<std::string> out;
        for (const auto* h : fleet.screen_order(now)) out.push_back(h->id);
        return out;
    };
    for (int seq = 1; seq <= 20; ++seq) {
        fleet.apply_samples({static_cast<vigil::protocol::Seq>(seq), seq * 1000,
                             {{"c", {{"cpu", seq % 2 ? 10.0 : 60.0}}}, {"a", {{"cpu", seq % 3 * 20.0}}}, {"b", {{"cpu", 5}}}}},
                            seq * 1000.0);
        CHECK(names(seq * 1000.0) == std::vector<std::string>{"a", "b", "c"});
    }
    // (A catalog replaces the host list: it names all three, thresholds for c only.)
    fleet.apply_catalog({{{"a", "a", {}}, {"b", "b", {}}, {"c", "c", {{"cpu", "CPU", "%", 80.0, 95.0}}}}});
    fleet.apply_samples({21, 21000, {{"c", {{"cpu", 99.0}}}, {"a", {{"cpu", 1}}}, {"b", {{"cpu", 1}}}}}, 21000);
    CHECK(names(21000) == std::vector<std::string>{"c", "a", "b"});
}

TEST_CASE("the alarm set key changes when one alarm clears as another appears, not with their order") {
    using vigil::model::ActiveAlarm;
    using vigil::model::alarm_set_key;
    const auto alarm = [](const char* host, const char* metric, AlarmLevel level) {
        ActiveAlarm a;
        a.host = host;
        a.metric = metric;
        a.level = level;
        return a;
    };
    const std::vector<ActiveAlarm> before{alarm("a", "cpu", AlarmLevel::crit), alarm("b", "mem", AlarmLevel::warn)};
    // b's mem alarm cleared and c's disk alarm came: the total is 2 either way.
    const std::vector<ActiveAlarm> swapped{alarm("a", "cpu", AlarmLevel::crit), alarm("c", "disk", AlarmLevel::warn)};
    const std::vector<ActiveAlarm> reordered{before[1], before[0]};
    const std::vector<ActiveAlarm> escalated{alarm("a", "cpu", AlarmLevel::crit), alarm("b", "mem", AlarmLevel::crit)};
    // The same texts split differently between host and metric are another alarm.
    const std::vector<ActiveAlarm> split{alarm("a", "cpu", AlarmLevel::crit), alarm("bm", "em", AlarmLevel::warn)};
    CHECK(alarm_set_key(before) != alarm_set_key(swapped));
    CHECK(alarm_set_key(before) == alarm_set_key(reordered));
    CHECK(alarm_set_key(before) != alarm_set_key(escalated));
    CHECK(alarm_set_key(before) != alarm_set_key(split));
    CHECK(alarm_set_key({}) != alarm_set_key(before));
    CHECK(alarm_set_key({}) == alarm_set_key({}));
}

TEST_CASE("a scrolling line moves as smoothly after half a year as in its first minute") {
    using vigil::model::scroll_offset;
    CHECK(scroll_offset(1500, 60, 1000) == doctest::Approx(90));
    CHECK(scroll_offset(20000, 60, 1000) == doctest::Approx(200));  // 1200 px wrapped at 1000
    CHECK(scroll_offset(1000, 60, 0) == 0);
    CHECK(scroll_offset(-5, 60, 1000) == 0);
    // 180 days in, one drawn frame (~330 ms at 3 draws/s) later: the ticker moved 20 px, the board 6.
    const double half_year_ms = 180.0 * 86400e3 + 123.0;
    for (double px_per_s : {60.0, 18.0}) {
        CAPTURE(px_per_s);
        const double span = 1877.0;
        const float a = scroll_offset(half_year_ms, px_per_s, span);
        const float b = scroll_offset(half_year_ms + 330.0, px_per_s, span);
        const double moved = std::fmod(double(b) - double(a) + span, span);
        CHECK(moved == doctest::Approx(px_per_s * 0.33).epsilon(0.001));
        // What the old float-first arithmetic gave: steps of many pixels, here no move or a jump.
        const float old_a = std::fmod(static_cast<float>(half_year_ms / 1000.0 * px_per_s), float(span));
        const float old_b = std::fmod(static_cast<float>((half_year_ms + 330.0) / 1000.0 * px_per_s), float(span));
        CHECK(std::fabs(std::fmod(double(old_b) - double(old_a) + span, span) - px_per_s * 0.33) > 1.0);
    }
}
