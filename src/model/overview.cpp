// Overview mosaic layout and the choice of detail tiles (see the header).
#include "model/overview.h"

#include "model/paging.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace vigil::model {

const char* cell_state_word(CellState s) {
    switch (s) {
        case CellState::down: return "down";
        case CellState::crit: return "crit";
        case CellState::warn: return "warn";
        case CellState::stale: return "stale";
        case CellState::never: return "never";
        case CellState::ok: return "ok";
    }
    return "ok";
}

namespace {

// The gap between cells grows with them: an eighth of the side, at least one design pixel.
float gap_for(float cell) { return std::max(1.0f, std::round(cell / 8.0f)); }

struct Fit {
    int cols = 0;
    float height = 0;
};

Fit fit_at(float cell, float area_w, const std::vector<std::size_t>& group_sizes, const OverviewLimits& l) {
    const float gap = gap_for(cell);
    Fit f;
    f.cols = std::max(1, static_cast<int>(std::floor((area_w + gap) / (cell + gap))));
    for (std::size_t i = 0; i < group_sizes.size(); ++i) {
        const auto rows = static_cast<float>((group_sizes[i] + static_cast<std::size_t>(f.cols) - 1) /
                                             static_cast<std::size_t>(f.cols));
        f.height += l.header_h + rows * (cell + gap) - (rows > 0 ? gap : 0);
        if (i + 1 < group_sizes.size()) f.height += l.group_gap;
    }
    return f;
}

}  // namespace

OverviewLayout layout_overview(const std::vector<OverviewHost>& hosts, float area_w, float area_h,
                               const OverviewLimits& limits) {
    OverviewLayout out;
    // Groups by name; hosts without the label ("") after all the named ones.
    std::map<std::string, std::vector<std::size_t>> named;
    std::vector<std::size_t> unnamed;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        if (hosts[i].group.empty()) unnamed.push_back(i);
        else named[hosts[i].group].push_back(i);
    }
    // Within a group, worst state first; display order within a state (std::map keeps it stable).
    const auto by_state = [&](std::vector<std::size_t>& members) {
        std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
            return static_cast<int>(hosts[a].state) < static_cast<int>(hosts[b].state);
        });
    };
    for (auto& kv : named) by_state(kv.second);
    by_state(unnamed);
    std::vector<std::pair<std::string, std::vector<std::size_t>*>> groups;
    for (auto& [name, members] : named) groups.emplace_back(name, &members);
    if (!unnamed.empty() || groups.empty()) groups.emplace_back("", &unnamed);
    std::vector<std::size_t> sizes;
    for (const auto& g : groups) sizes.push_back(g.second->size());

    // The largest cell at which it all fits, in whole design pixels.
    float cell = std::max(limits.floor_cell, std::floor(limits.max_cell));
    Fit fit = fit_at(cell, area_w, sizes, limits);
    while (cell > limits.floor_cell && fit.height > area_h) {
        cell -= 1;
        fit = fit_at(cell, area_w, sizes, limits);
    }
    out.cell = cell;
    out.gap = gap_for(cell);
    out.cols = fit.cols;
    out.height = fit.height;
    out.fits = fit.height <= area_h;
    out.below_minimum = cell < limits.min_cell;

    float y = 0;
    out.cells.reserve(hosts.size());
    for (const auto& [name, members] : groups) {
        OverviewGroup g;
        g.name = name;
        g.y = y;
        g.begin = out.cells.size();
        y += limits.header_h;
        for (std::size_t k = 0; k < members->size(); ++k) {
            const std::size_t host = (*members)[k];
            const auto col = static_cast<float>(k % static_cast<std::size_t>(out.cols));
            const auto row = static_cast<float>(k / static_cast<std::size_t>(out.cols));
            out.cells.push_back({host, col * (cell + out.gap), y + row * (cell + out.gap)});
            const CellState s = hosts[host].state;
            ++g.counts[static_cast<int>(s)];
            if (static_cast<int>(s) < static_cast<int>(g.worst)) g.worst = s;
        }
        g.end = out.cells.size();
        const auto rows = static_cast<float>((members->size() + static_cast<std::size_t>(out.cols) - 1) /
                                             static_cast<std::size_t>(out.cols));
        y += rows * (cell + out.gap) - (rows > 0 ? out.gap : 0) + limits.group_gap;
        out.groups.push_back(std::move(g));
    }
    return out;
}

AttentionPick pick_attention(const std::vector<CellState>& attention, int slots, double now_ms, double rotate_s,
                             double start_ms) {
    AttentionPick out;
    if (slots <= 0 || attention.empty()) return out;
    const auto n = attention.size();
    const auto s = static_cast<std::size_t>(slots);
    std::vector<std::size_t> critical, others;
    for (std::size_t i = 0; i < n; ++i) (is_critical(attention[i]) ? critical : others).push_back(i);

    // What rotates, in how many places; what stays.
    std::vector<std::size_t> fixed, rotating;
    std::size_t places = s;
    if (critical.size() > s) {
        rotating = critical;
    } else {
        fixed = critical;
        rotating = others;
        places = s - critical.size();
    }
    out.shown = fixed;
    if (places == 0 || rotating.empty()) return out;
    out.pages = static_cast<int>((rotating.size() + places - 1) / places);
    const PageRotation rot = page_at(now_ms, rotate_s, out.pages, start_ms);
    out.page = rot.page;
    out.progress = rot.progress;
    // Balanced pages, as the tile pages are: 5 on 4 places is 3 + 2, not 4 + 1.
    const std::size_t per = (rotating.size() + static_cast<std::size_t>(out.pages) - 1) / static_cast<std::size_t>(out.pages);
    const std::size_t begin = std::min(rotating.size(), static_cast<std::size_t>(rot.page) * per);
    for (std::size_t i = begin; i < std::min(rotating.size(), begin + per); ++i) out.shown.push_back(rotating[i]);
    std::sort(out.shown.begin(), out.shown.end());
    return out;
}

std::size_t focus_turn(std::size_t attention, std::size_t others, double now_ms, double rotate_s, double start_ms) {
    const double rotate_ms = std::max(2.0, std::isfinite(rotate_s) ? rotate_s : 10.0) * 1000.0;
    const double elapsed = std::isfinite(now_ms - start_ms) ? std::max(0.0, now_ms - start_ms) : 0.0;
    const auto turn = static_cast<std::size_t>(elapsed / rotate_ms);
    if (attention == 0 || others == 0) return attention + others == 0 ? 0 : turn % (attention + others);
    const std::size_t in_round = turn % (attention + 1), round = turn / (attention + 1);
    return in_round < attention ? in_round : attention + round % others;
}

AttentionPick pick_tile_page(const std::vector<CellState>& states, int slots, double now_ms, double rotate_s,
                             double start_ms) {
    AttentionPick out;
    if (slots <= 0 || states.empty()) return out;
    const auto s = static_cast<std::size_t>(slots);
    std::vector<std::size_t> fixed, rotating;
    for (std::size_t i = 0; i < states.size(); ++i) (is_critical(states[i]) ? fixed : rotating).push_back(i);
    if (fixed.size() >= s || rotating.empty()) {
        // No room to keep them all and still show the others (or nothing else to show): pages
        // of everyone in display order.
        rotating.resize(states.size());
        for (std::size_t i = 0; i < states.size(); ++i) rotating[i] = i;
        fixed.clear();
    }
    const std::size_t places = s - fixed.size();
    out.pages = static_cast<int>((rotating.size() + places - 1) / places);
    const PageRotation rot = page_at(now_ms, rotate_s, out.pages, start_ms);
    out.page = rot.page;
    out.progress = rot.progress;
    // Balanced pages, as the tile pages are: 13 on 12 places is 7 + 6, not 12 + 1.
    const std::size_t per = (rotating.size() + static_cast<std::size_t>(out.pages) - 1) / static_cast<std::size_t>(out.pages);
    const std::size_t begin = std::min(rotating.size(), static_cast<std::size_t>(rot.page) * per);
    out.shown = fixed;
    for (std::size_t i = begin; i < std::min(rotating.size(), begin + per); ++i) out.shown.push_back(rotating[i]);
    std::sort(out.shown.begin(), out.shown.end());
    return out;
}

}  // namespace vigil::model
