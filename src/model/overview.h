// The fleet overview for fleets that outgrow the detail tiles: every host as one small cell of a
// mosaic, grouped by a catalog label (site, rack, role) with one health line per group, critical
// first within each group; and which hosts that need attention get a detail tile beside it.
// Pure functions: sizes are design pixels on the 1920x1080 canvas, times are passed in.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace vigil::model {

// A host's state on the wall, worst first (the order of the screen: DOWN, crit, warn, stale,
// never heard, ok). Its word is tile_state()'s: "down", "crit", "warn", "stale", "never", "ok".
enum class CellState { down, crit, warn, stale, never, ok };
inline constexpr int kCellStateCount = 6;
const char* cell_state_word(CellState s);
// Needs attention: anything but ok (a detail tile, and the focus panel's turn).
inline bool needs_attention(CellState s) { return s != CellState::ok; }
// Critical: never rotated out of the detail tiles while they can hold every critical host.
inline bool is_critical(CellState s) { return s == CellState::down || s == CellState::crit; }

struct OverviewLimits {
    // The smallest cell readable from 5 m on a 1920x1080 wall (README "What you see"): its colour
    // and its shape (a cross, a bang, a triangle, a ring) stay distinct at this size.
    float min_cell = 24;
    float max_cell = 56;    // a small fleet's cells stop growing here
    float floor_cell = 4;   // below the minimum only when nothing larger fits (5,000 hosts)
    float header_h = 28;    // one group's health line (20 px text)
    float group_gap = 6;    // between a group's last row and the next health line
};

// A group's health line in words, from the fullest to the shortest: the overview flows many small
// groups with each line inline before its cells, as long as the shortest of these fits.
//   0: "site A · 250 hosts · 1 DOWN · 2 CRIT · 247 OK"
//   1: "site A · 250 · 1 DOWN · 2 CRIT" (no "hosts", no OK count)
//   2: "A · 250 · 1 DOWN · 2 CRIT" (nor the label's name)
inline constexpr int kHeadingTiers = 3;

// One group: its health line (x, y, w, h), its cells [begin, end) in OverviewLayout::cells.
struct OverviewGroup {
    std::string name;  // the label's value ("" when the host has none, or no grouping)
    float y = 0;       // top of the health line, from the area's top
    float x = 0;       // left of the health line (0 unless flowed)
    float w = 0, h = 0;  // the health line's size: the area's width x header_h, or inline its slots
    int tier = 0;        // which words the line has room for (kHeadingTiers)
    std::size_t begin = 0, end = 0;
    int counts[kCellStateCount] = {};  // hosts per CellState
    CellState worst = CellState::ok;
    int hosts() const { return static_cast<int>(end - begin); }
};

// The design width an inline health line of `group` needs at `tier` (its mark, words and
// margins); the screen measures its font. Without one, a conservative estimate.
using HeadingWidth = std::function<float(const OverviewGroup& group, int tier)>;

struct OverviewCell {
    std::size_t host = 0;  // index into the hosts given to layout_overview()
    float x = 0, y = 0;    // top-left, from the area's top-left
};

struct OverviewLayout {
    float cell = 0, gap = 0;  // cell side and the gap between cells
    int cols = 0;
    // false (banded): each group's health line on a line of its own above its rows. true: the
    // groups follow one another in rows, each line inline before its cells (many small groups).
    bool flowed = false;
    float height = 0;            // what it uses of the area
    bool fits = false;           // everything fits in the area at `cell`
    bool below_minimum = false;  // cell < OverviewLimits::min_cell (too many hosts for the area)
    std::vector<OverviewGroup> groups;
    std::vector<OverviewCell> cells;
};

// One host as the overview sees it.
struct OverviewHost {
    std::string group;  // the group-by label's value ("" = none)
    CellState state = CellState::ok;
};

// `hosts` in display order (model::order_tiles). Groups are sorted by name, hosts without the
// label last; within a group the worst state comes first (DOWN, crit, warn, stale, never, ok),
// in display order within a state.
// In that order of preference: banded at the largest cell from max_cell down to min_cell; else
// flowed (the lines inline, full words first, then shorter: kHeadingTiers) at the largest cell
// down to min_cell; else (too many hosts for min_cell) banded below it; when none fits even at
// floor_cell, floor_cell is used and `fits` is false. Every step is arithmetic over the groups'
// sizes: the hosts are placed once.
OverviewLayout layout_overview(const std::vector<OverviewHost>& hosts, float area_w, float area_h,
                               const OverviewLimits& limits = {}, const HeadingWidth& heading_w = {});

// Which hosts needing attention get one of `slots` detail tiles at now_ms. `attention` holds
// their states in display order (critical ones first). While the critical hosts fit the slots
// they are on every page and only the others rotate in the slots left; when there are more
// critical hosts than slots, the pages rotate through the critical hosts alone (all of them are
// on the overview at every frame either way).
struct AttentionPick {
    std::vector<std::size_t> shown;  // indices into `attention`, in display order
    int page = 0, pages = 1;
    double progress = 0;  // 0..1 through this page's time
};
AttentionPick pick_attention(const std::vector<CellState>& attention, int slots, double now_ms, double rotate_s,
                             double start_ms);

// The focus panel's turn while the overview is shown: each of the `attention` hosts needing
// attention in turn, then one of the `others` (the next one each round), rotate_s seconds each (at
// least 2, as model::FocusSelection), counted from start_ms. A round is attention + 1 turns, so
// the hosts needing attention come back within it and every other host still comes round.
// Returns an index into attention ++ others (i < attention: the i-th host needing attention).
std::size_t focus_turn(std::size_t attention, std::size_t others, double now_ms, double rotate_s, double start_ms);

// The page of detail tiles (layout: tiles, or a fleet that fits pages of them) at now_ms: `states`
// are every host's, in display order, `slots` the tiles a page holds. The critical ones (DOWN,
// crit) are on every page while they leave at least one slot for the others (which then rotate in
// the slots left, on balanced pages: every host comes round); a page's worth of critical hosts
// exactly is that one page; with more, the pages rotate through the critical hosts alone (balanced,
// as pick_attention): the others wait until the critical hosts leave them a slot, and no page
// ever shows an OK host while a critical one is off screen. `shown` indexes `states`, in display order.
AttentionPick pick_tile_page(const std::vector<CellState>& states, int slots, double now_ms, double rotate_s,
                             double start_ms);

}  // namespace vigil::model
