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

int cols_for(float cell, float area_w) {
    const float gap = gap_for(cell);
    return std::max(1, static_cast<int>(std::floor((area_w + gap) / (cell + gap))));
}

// Banded: each group's health line above its rows.
float banded_height(float cell, int cols, const std::vector<std::size_t>& sizes, const OverviewLimits& l) {
    const float gap = gap_for(cell);
    float h = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        const auto rows = static_cast<float>((sizes[i] + static_cast<std::size_t>(cols) - 1) / static_cast<std::size_t>(cols));
        h += l.header_h + rows * (cell + gap) - (rows > 0 ? gap : 0);
        if (i + 1 < sizes.size()) h += l.group_gap;
    }
    return h;
}

// Slots an inline health line of width w takes: k slots span k pitches less one gap.
std::size_t heading_slots(float w, float pitch, float gap) {
    return static_cast<std::size_t>(std::max(1.0f, std::ceil((w + gap) / pitch)));
}

// Flowed: the groups one after another in rows of `cols` slots, each a health line of
// slots[i] slots, then its cells. A line is never split across rows, nor left at a row's end
// without its first cell. Puts in `starts` (if given) the slot where each group's line starts and
// in `used` the slots taken; false when a line does not fit a row at all.
bool flow(const std::vector<std::size_t>& sizes, const std::vector<std::size_t>& slots, std::size_t cols,
          std::vector<std::size_t>* starts, std::size_t& used) {
    std::size_t pos = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        const std::size_t need = slots[i] + (sizes[i] > 0 ? 1 : 0);
        if (need > cols) return false;
        const std::size_t col = pos % cols;
        if (col + need > cols) pos += cols - col;
        if (starts) starts->push_back(pos);
        pos += slots[i] + sizes[i];
    }
    used = pos;
    return true;
}

float flowed_height(float cell, std::size_t used, std::size_t cols) {
    const auto rows = static_cast<float>((used + cols - 1) / cols);
    return rows * (cell + gap_for(cell)) - (rows > 0 ? gap_for(cell) : 0);
}

// Without the screen's font: about 11 design px a character of its words at 20 px, plus the
// mark and margins (the page's font is narrower: this errs on the wide side).
float estimate_heading(const OverviewGroup& g, int tier) {
    std::size_t chars = g.name.size() + 3 + std::to_string(g.hosts()).size();
    if (tier == 0) chars += 6;  // " hosts"
    for (int i = 0; i < kCellStateCount; ++i) {
        if (g.counts[i] == 0 || (tier > 0 && i == static_cast<int>(CellState::ok))) continue;
        chars += 3 + std::to_string(g.counts[i]).size() + 6;
    }
    return 11.0f * static_cast<float>(chars) + 40.0f;
}

}  // namespace

OverviewLayout layout_overview(const std::vector<OverviewHost>& hosts, float area_w, float area_h,
                               const OverviewLimits& limits, const HeadingWidth& heading_w) {
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
    std::size_t begin = 0;
    for (const auto& [name, members] : groups) {
        sizes.push_back(members->size());
        OverviewGroup g;
        g.name = name;
        g.begin = begin;
        g.end = begin += members->size();
        for (const std::size_t host : *members) {
            const CellState st = hosts[host].state;
            ++g.counts[static_cast<int>(st)];
            if (static_cast<int>(st) < static_cast<int>(g.worst)) g.worst = st;
        }
        out.groups.push_back(std::move(g));
    }

    // The cell size and arrangement (see the header), in whole design pixels.
    const float top = std::max(limits.floor_cell, std::floor(limits.max_cell));
    const float low = std::max(limits.floor_cell, std::ceil(limits.min_cell));
    float cell = 0;
    int tier = -1;  // -1: banded
    for (float c = top; c >= low && cell == 0; c -= 1)
        if (banded_height(c, cols_for(c, area_w), sizes, limits) <= area_h) cell = c;
    std::vector<float> widths(out.groups.size());
    std::size_t used = 0;
    for (int t = 0; t < kHeadingTiers && cell == 0 && out.groups.size() > 1; ++t) {
        for (std::size_t i = 0; i < out.groups.size(); ++i)
            widths[i] = heading_w ? heading_w(out.groups[i], t) : estimate_heading(out.groups[i], t);
        for (float c = top; c >= low && cell == 0; c -= 1) {
            const float pitch = c + gap_for(c);
            std::vector<std::size_t> slots;
            for (const float w : widths) slots.push_back(heading_slots(w, pitch, gap_for(c)));
            const auto cols = static_cast<std::size_t>(cols_for(c, area_w));
            if (flow(sizes, slots, cols, nullptr, used) && flowed_height(c, used, cols) <= area_h) {
                cell = c;
                tier = t;
            }
        }
    }
    if (cell == 0) {
        // Below the minimum: banded, as large as fits, else the floor (and it does not fit).
        cell = std::max(limits.floor_cell, low - 1);
        while (cell > limits.floor_cell && banded_height(cell, cols_for(cell, area_w), sizes, limits) > area_h) cell -= 1;
    }
    out.cell = cell;
    out.gap = gap_for(cell);
    out.cols = cols_for(cell, area_w);
    out.flowed = tier >= 0;
    out.below_minimum = cell < limits.min_cell;
    const float pitch = cell + out.gap;
    const auto cols = static_cast<std::size_t>(out.cols);
    out.cells.reserve(hosts.size());

    if (out.flowed) {
        std::vector<std::size_t> slots, starts;
        for (const float w : widths) slots.push_back(heading_slots(w, pitch, out.gap));
        flow(sizes, slots, cols, &starts, used);
        out.height = flowed_height(cell, used, cols);
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            OverviewGroup& g = out.groups[gi];
            const std::size_t at = starts[gi];
            g.x = static_cast<float>(at % cols) * pitch;
            g.y = static_cast<float>(at / cols) * pitch;
            g.w = static_cast<float>(slots[gi]) * pitch - out.gap;
            g.h = cell;
            g.tier = tier;
            for (std::size_t k = 0; k < groups[gi].second->size(); ++k) {
                const std::size_t slot = at + slots[gi] + k;
                out.cells.push_back({(*groups[gi].second)[k], static_cast<float>(slot % cols) * pitch,
                                     static_cast<float>(slot / cols) * pitch});
            }
        }
    } else {
        out.height = banded_height(cell, out.cols, sizes, limits);
        float y = 0;
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            OverviewGroup& g = out.groups[gi];
            g.y = y;
            g.w = area_w;
            g.h = limits.header_h;
            y += limits.header_h;
            const auto& members = *groups[gi].second;
            for (std::size_t k = 0; k < members.size(); ++k)
                out.cells.push_back({members[k], static_cast<float>(k % cols) * pitch, y + static_cast<float>(k / cols) * pitch});
            const auto rows = static_cast<float>((members.size() + cols - 1) / cols);
            y += rows * pitch - (rows > 0 ? out.gap : 0) + limits.group_gap;
        }
    }
    out.fits = out.height <= area_h;
    return out;
}

namespace {

// `out.shown` holds what stays; adds this moment's page of `rotating` in `places` (> 0) places,
// balanced as the tile pages are (5 on 4 places is 3 + 2, not 4 + 1), and sorts it.
AttentionPick turn_page(AttentionPick out, const std::vector<std::size_t>& rotating, std::size_t places, double now_ms,
                        double rotate_s, double start_ms) {
    out.pages = static_cast<int>((rotating.size() + places - 1) / places);
    const PageRotation rot = page_at(now_ms, rotate_s, out.pages, start_ms);
    out.page = rot.page;
    out.progress = rot.progress;
    const std::size_t per = (rotating.size() + static_cast<std::size_t>(out.pages) - 1) / static_cast<std::size_t>(out.pages);
    const std::size_t begin = std::min(rotating.size(), static_cast<std::size_t>(rot.page) * per);
    for (std::size_t i = begin; i < std::min(rotating.size(), begin + per); ++i) out.shown.push_back(rotating[i]);
    std::sort(out.shown.begin(), out.shown.end());
    return out;
}

}  // namespace

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
    return turn_page(std::move(out), rotating, places, now_ms, rotate_s, start_ms);
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
    if (rotating.empty() || fixed.size() > s) {
        // Every host critical, or more critical hosts than a page holds: the pages rotate through
        // the critical hosts alone (as pick_attention), so no page shows an OK host while a
        // critical one waits; the others come back once the critical hosts leave them a slot.
        rotating = std::move(fixed);
        fixed.clear();
    } else if (fixed.size() == s) {
        out.shown = std::move(fixed);  // a page of critical hosts exactly: that page, kept
        return out;
    }
    out.shown = fixed;
    return turn_page(std::move(out), rotating, s - fixed.size(), now_ms, rotate_s, start_ms);
}

}  // namespace vigil::model
