// The big screen, drawn with Dear ImGui only, on the fixed 1920x1080 design canvas:
// header (title, connection banner, wall clock), fleet tiles (paged), focus charts of one host
// (rotating, or pinned by a click on its tile), summary counters, the alarm board and ticker,
// config errors, and the debug overlay.
// Knows no sockets and no timers: everything comes in a ScreenView, clicks through ImGui's IO.
#pragma once

#include "model/banner_state.h"
#include "model/fleet.h"
#include "model/flop_counter.h"
#include "model/focus_selection.h"
#include "model/i18n.h"
#include "model/overview.h"
#include "model/paging.h"
#include "model/series.h"
#include "model/wall_profile.h"
#include "ui/burn_in.h"
#include "ui/font_set.h"

#include "imgui.h"

#include <string>
#include <vector>

namespace vigil::ui {

// The banner's kinds and words are the model's (model/banner_state.h): judged without ImGui.
using model::BannerKind;
using model::banner_word;
using model::kBannerKindCount;

struct ScreenView {
    model::Lang lang = model::Lang::en;
    std::string title;
    BannerKind banner = BannerKind::Connecting;
    std::string banner_detail;      // "attempt 3, retry in 2 s — closed 1006", "back in ~2 s", ...
    const model::Fleet* fleet = nullptr;
    double now_local_ms = 0;        // page monotonic time
    std::string clock, date;        // local wall time: ticks every second, so a frozen page shows
    double rotate_s = 10;           // seconds per fleet page and per focus host
    bool motion = true;             // scrolling board and ticker; off when the data is not live,
                                    // so a wall showing STALE for hours draws once a second
    long long motion_step = 0;      // the clock's half-second step: pulses blink on it (the page
                                    // draws animations on these steps only: model/draw_cadence.h)
    // Shown under the header until they go: what the page leaves out (hosts, alarms not shown,
    // the font, unknown hosts) first, then config errors; at most 4 rows, "+N more" past them.
    std::vector<std::string> notices;
    std::vector<std::string> config_notices;
    std::string status_line;        // link summary in the footer (clipped to its slot)
    std::string clock_skew;         // "this PC's clock is 7 min 13 s slow (hub time shown)": drawn whole
    BurnInOffset burn_in;           // burn-in care: the whole screen's shift (ui/burn_in.h)
    bool debug = false;
    std::vector<std::string> debug_lines;
    // The wall profile (config.json `walls`, ?wall=NAME): which hosts, grouped how, which
    // metrics on the tiles, which layout. nullptr: every host, one group, auto layout.
    const model::WallProfile* wall = nullptr;
};

// A rectangle in design units, from the top-left corner of the canvas.
struct DesignRect {
    float x = 0, y = 0, w = 0, h = 0;
};

// What the screen drew, for window.vigil and tests.
struct ScreenReport {
    // Of this wall's hosts (its filter applied): the counters, the footer's "N down", the board
    // and the ticker count and show only these.
    int hosts = 0, hosts_stale = 0, hosts_never = 0, hosts_down = 0;
    int alarms = 0, alarms_crit = 0, alarms_warn = 0;
    std::string ticker;  // the footer's ticker line as drawn (this wall's newest alarm transitions)
    int page = 0, pages = 1, tiles_on_page = 0;
    std::string focus_host;
    bool focus_pinned = false;  // focus_host is the pinned host: the panel stays on it
    std::string focus_pin;      // the host pinned, shown or not ("" = rotate)
    struct Tile {
        std::string host;
        DesignRect rect;
        const char* state = "ok";  // down, never, stale, crit, warn, ok (tile_state())
        std::string text;          // DOWN: the words drawn ("UNREACHABLE: <reason>, since 10:41:07")
    };
    std::vector<Tile> tiles;    // the fleet page shown, in display order
    DesignRect focus_panel;
    // Every metric key the focus panel shows for focus_host: charted ones, then the value list
    // (all of its pages, which come round every 4 s).
    std::vector<std::string> focus_keys;

    // "tiles" (pages of detail tiles) or "overview" (every host a cell, detail tiles above it
    // for hosts needing attention; `tiles` and page/pages are then those).
    const char* layout = "tiles";
    struct Cell {
        const model::HostState* host;
        DesignRect rect;
        model::CellState state;
        std::size_t group = 0;  // index into groups
    };
    struct Group {
        std::string name;  // the label's value ("" = none, or no grouping)
        std::string text;  // the health line's words
        DesignRect rect;   // the health line
        int counts[model::kCellStateCount] = {};
        model::CellState worst = model::CellState::ok;
        int hosts = 0;
    };
    struct Overview {
        float cell = 0, gap = 0;
        bool fits = true, below_minimum = false;
        std::string group_by;
        std::vector<Cell> cells;    // every host on this wall, grouped, in display order
        std::vector<Group> groups;
        int attention = 0;          // hosts needing attention (anything but ok)
    } overview;
    int wall_hosts = 0;             // hosts on this wall (the profile's filter applied)
    std::vector<std::string> notices;  // the notice rows as drawn (a "+N more" row included)
    std::string status;             // the footer's right part as drawn: clock skew, then the status line (clipped)
};

// What a tile shows, in one word: "down" (the hub cannot reach the host: samples.down), else
// "never" or "stale" (freshness), else the worst alarm "crit" / "warn", else "ok".
const char* tile_state(const model::Fleet& fleet, const model::HostState& host, double now_local_ms);

class Screen {
public:
    explicit Screen(const FontSet& fonts);

    // Draws a frame. A click (or tap) on a fleet tile pins that host in the focus panel, a click
    // on the focus panel makes it rotate again; both show in the frame that sees the click.
    void draw(const ScreenView& view);

    // Pins the focus panel to host `id` ("" = rotate), as a click on its tile would.
    void pin_focus(std::string id) { focus_.pin(std::move(id)); }

    // Something moves by itself (rolling digits, a pulse, the ticker), or the last drawn frame
    // showed it mid-motion: draw on the next animation step (once more at rest after it ends).
    bool animating(double now_local_ms) const;

    const ScreenReport& report() const { return report_; }

private:
    struct PlacedTile {
        const model::HostState* host;
        ImVec2 min, max;
    };

    void layout_fleet(const ScreenView& v, ImVec2 o, ImVec2 size);
    void layout_overview(const ScreenView& v, ImVec2 o, ImVec2 size);
    void draw_overview(const ScreenView& v);
    void take_clicks(ImVec2 focus_min, ImVec2 focus_max);
    void draw_header(const ScreenView& v, ImVec2 o);
    void draw_fleet(const ScreenView& v, ImVec2 o, ImVec2 size);
    // Returns what a DOWN tile says ("" for a host that is up).
    std::string draw_tile(const ScreenView& v, const model::HostState& h, ImVec2 min, ImVec2 max);
    void draw_summary(const ScreenView& v, ImVec2 o, ImVec2 size);
    void draw_focus(const ScreenView& v, ImVec2 o, ImVec2 size);
    void draw_alarms(const ScreenView& v, ImVec2 o, ImVec2 size);
    void draw_footer(const ScreenView& v, ImVec2 o, ImVec2 size);
    void draw_notices(const ScreenView& v, ImVec2 o, float width);
    void draw_debug(const ScreenView& v, ImVec2 o);
    // The host is on this wall (no filter, or its labels pass it). Unknown hosts pass only
    // without a filter.
    bool on_wall(const ScreenView& v, const std::string& host) const;

    const FontSet& fonts_;
    model::FlopCounter hosts_live_, alarms_total_, frames_;
    model::SeriesWindow scratch_;
    std::vector<const model::HostState*> order_;
    std::vector<const model::ActiveAlarm*> wall_alarms_;  // this frame's alarms of this wall's hosts
    model::AlarmCounts wall_counts_;
    int wall_down_ = 0;                                   // this wall's DOWN hosts
    std::vector<PlacedTile> tiles_;  // this frame's fleet page (overview: the attention tiles)
    bool overview_on_ = false;
    model::OverviewLayout overview_;
    std::vector<model::OverviewHost> overview_hosts_;
    ImVec2 overview_o_;              // top-left of the mosaic
    ImVec2 overview_max_;            // bottom-right of the fleet area: the mosaic is clipped there
    ImVec2 strip_bar_;               // overview: where the attention tiles' page bar goes (x, y)
    float strip_w_ = 0;
    model::AttentionPick attention_;
    std::vector<std::size_t> attention_at_;  // overview: positions in order_ of the hosts needing attention
    model::GridLayout grid_;
    model::PageRotation rotation_;
    int tile_pages_ = 1;             // pages of tiles (critical hosts on each: model::pick_tile_page)
    model::FocusSelection focus_;
    ScreenReport report_;
    double start_ms_ = -1;
    bool animating_ = false;
};

}  // namespace vigil::ui
