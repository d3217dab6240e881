// Grid, pages, rotation and tile order (see the header).
#include "model/paging.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>

namespace vigil::model {

namespace {

int fitting(float area, float min_size, float gap) {
    if (!(area > 0) || !(min_size > 0)) return 1;
    const double n = std::floor((static_cast<double>(area) + gap) / (static_cast<double>(min_size) + gap));
    return static_cast<int>(std::clamp(n, 1.0, 1000.0));
}

float cell(float area, int count, float gap) {
    return std::max(0.0f, (area - gap * static_cast<float>(count - 1)) / static_cast<float>(count));
}

int freshness_rank(FreshnessLevel f) {
    switch (f) {
        case FreshnessLevel::stale: return 0;
        case FreshnessLevel::never: return 1;
        case FreshnessLevel::fresh: return 2;
    }
    return 2;
}

}  // namespace

GridLayout choose_grid(int hosts, float area_w, float area_h, const TileLimits& limits) {
    GridLayout g;
    g.gap = std::max(0.0f, limits.gap);
    g.hosts = std::max(0, hosts);
    const int max_cols = fitting(area_w, limits.min_w, g.gap);
    const int max_rows = fitting(area_h, limits.min_h, g.gap);
    const int capacity = max_cols * max_rows;
    const int shown = std::max(1, g.hosts);  // an empty fleet is laid out as one tile ("no data")
    g.pages = (shown + capacity - 1) / capacity;
    g.per_page = (shown + g.pages - 1) / g.pages;

    double best_score = -1;
    int best_empty = 0;
    for (int cols = 1; cols <= max_cols; ++cols) {
        const int rows = (g.per_page + cols - 1) / cols;
        if (rows > max_rows) continue;
        const float w = cell(area_w, cols, g.gap), h = cell(area_h, rows, g.gap);
        // How large a tile of the design's proportions fits in a cell: bigger is more legible.
        const double score = std::min(w / limits.min_w, h / limits.min_h);
        const int empty = cols * rows - g.per_page;
        if (score > best_score + 1e-9 || (std::fabs(score - best_score) <= 1e-9 && empty < best_empty)) {
            best_score = score;
            best_empty = empty;
            g.cols = cols;
            g.rows = rows;
            g.tile_w = w;
            g.tile_h = h;
        }
    }
    g.below_minimum = g.tile_w < limits.min_w || g.tile_h < limits.min_h;
    if (g.hosts == 0) g.per_page = 0;
    return g;
}

TileRect tile_rect(const GridLayout& g, int slot) {
    const int cols = std::max(1, g.cols);
    const int col = slot % cols, row = slot / cols;
    return {static_cast<float>(col) * (g.tile_w + g.gap), static_cast<float>(row) * (g.tile_h + g.gap), g.tile_w,
            g.tile_h};
}

PageSlice page_slice(const GridLayout& g, int page) {
    if (page < 0 || page >= g.pages) return {0, 0};
    const int begin = std::min(g.hosts, page * g.per_page);
    return {begin, std::min(g.hosts, begin + g.per_page)};
}

PageRotation page_at(double now_ms, double rotate_s, int pages, double start_ms) {
    if (pages <= 1 || !std::isfinite(now_ms) || !std::isfinite(start_ms)) return {0, 0};
    const double period = std::max(1000.0, std::isfinite(rotate_s) ? rotate_s * 1000.0 : 10000.0);
    const double elapsed = std::max(0.0, now_ms - start_ms);
    const double turns = std::floor(elapsed / period);
    const int page = static_cast<int>(std::fmod(turns, static_cast<double>(pages)));
    return {page, (elapsed - turns * period) / period};
}

std::vector<std::size_t> order_tiles(const std::vector<TileRank>& ranks) {
    std::vector<std::size_t> order(ranks.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t ia, std::size_t ib) {
        const TileRank& a = ranks[ia];
        const TileRank& b = ranks[ib];
        const int sa = a.down ? 2 : severity(a.level), sb = b.down ? 2 : severity(b.level);
        if (sa != sb) return sa > sb;
        if (a.down != b.down) return a.down;
        if (a.down && a.name != b.name) return a.name < b.name;  // DOWN says it all: by name, whatever their age
        if (a.level != b.level) return severity(a.level) > severity(b.level);
        if (a.freshness != b.freshness) return freshness_rank(a.freshness) < freshness_rank(b.freshness);
        if (a.name != b.name) return a.name < b.name;
        return a.id < b.id;
    });
    return order;
}

std::string alarm_set_key(const std::vector<ActiveAlarm>& active) {
    // Each alarm's FNV-1a hash of host, metric and level, summed (order-free), with the count.
    std::uint64_t sum = 0;
    for (const ActiveAlarm& a : active) {
        std::uint64_t h = 1469598103934665603ull;
        const auto mix = [&](const std::string& s) {
            for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
            h = (h ^ 0xffu) * 1099511628211ull;  // a separator no UTF-8 text has: ("ab","c") != ("a","bc")
        };
        mix(a.host);
        mix(a.metric);
        h = (h ^ static_cast<unsigned>(severity(a.level))) * 1099511628211ull;
        sum += h;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%zu-%016llx", active.size(), static_cast<unsigned long long>(sum));
    return buf;
}

float scroll_offset(double elapsed_ms, double px_per_s, double span) {
    if (!(span > 0) || !std::isfinite(elapsed_ms) || !std::isfinite(px_per_s)) return 0;
    const double at = std::fmod(std::max(0.0, elapsed_ms) / 1000.0 * px_per_s, span);
    return static_cast<float>(at);
}

}  // namespace vigil::model
