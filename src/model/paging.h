// Where host tiles go on the fixed 1920x1080 design canvas: a grid of legible tiles, pages when
// they do not fit, a stable order (alarmed, then stale, then by name) and timed page rotation.
// Pure functions: sizes are design pixels, times are passed in.
#pragma once

#include "model/alarms.h"
#include "model/freshness.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::model {

struct TileLimits {
    float min_w = 300, min_h = 170;  // smallest tile that stays legible across a control room
    float gap = 12;                  // between tiles
};

struct GridLayout {
    int cols = 1, rows = 1;
    float tile_w = 0, tile_h = 0, gap = 0;
    int hosts = 0;
    int per_page = 0;  // hosts on each page (the last may hold fewer); pages are balanced
    int pages = 1;
    bool below_minimum = false;  // the area cannot hold even one tile of the minimum size
};

// The grid for `hosts` tiles in an area_w x area_h area: every tile at least the minimum size,
// as large as possible; when they cannot all fit, as many pages as needed with the hosts spread
// evenly over them (13 hosts on 12 slots: 7 + 6, not 12 + 1).
GridLayout choose_grid(int hosts, float area_w, float area_h, const TileLimits& limits = {});

struct TileRect {
    float x = 0, y = 0, w = 0, h = 0;  // relative to the area's top-left corner
};
// The rect of the slot-th tile of a page (row-major).
TileRect tile_rect(const GridLayout& grid, int slot);

// Which hosts (positions in the ordered list) a page shows: [begin, end).
struct PageSlice {
    int begin = 0, end = 0;
};
PageSlice page_slice(const GridLayout& grid, int page);

struct PageRotation {
    int page = 0;
    double progress = 0;  // 0..1 through this page's time, for a progress bar
};
// The page shown at now_ms when pages rotate every rotate_s seconds, counted from start_ms.
PageRotation page_at(double now_ms, double rotate_s, int pages, double start_ms = 0);

struct TileRank {
    std::string_view name, id;
    AlarmLevel level = AlarmLevel::ok;  // the host's worst active alarm
    FreshnessLevel freshness = FreshnessLevel::fresh;
    bool down = false;  // the hub cannot reach it: ranks as crit (its alarm), first among them
};
// Display order as indices into `ranks`: DOWN, crit, then warn, then stale, never heard, fresh;
// by name then id within each. It depends only on states that change rarely (alarms have
// hysteresis), never on values, so tiles do not jump between frames.
std::vector<std::size_t> order_tiles(const std::vector<TileRank>& ranks);

// Which alarms are active, as a short string that changes whenever an alarm appears, clears or
// changes level (whatever the total does: one clearing while another appears changes it too) and
// does not depend on their order: window.vigil.alarmsKey, which the page's loader watches for a
// quiet moment to reload in.
std::string alarm_set_key(const std::vector<ActiveAlarm>& active);

// How far a scrolling line (the ticker, a long alarm board) has moved after `elapsed_ms` at
// `px_per_s`, wrapped to [0, span): computed in double and only then made a float, so a page
// months old still moves smoothly (a float of the distance since start has 16 px steps after 30
// days at 60 px/s). 0 for a span that is not positive.
float scroll_offset(double elapsed_ms, double px_per_s, double span);

}  // namespace vigil::model
