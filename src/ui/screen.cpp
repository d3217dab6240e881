// The big screen (see the header). Layout in design units on the 1920x1080 canvas:
//   header 0..120 | fleet tiles 20..1390 x 130..1020 | right column 1410..1900 (summary, focus
//   charts, alarm board) | footer 1030..1075 (ticker, page, link status).
#include "ui/screen.h"

#include "model/alarms.h"
#include "model/format.h"
#include "model/paging.h"
#include "ui/draw.h"
#include "ui/mosaic.h"
#include "ui/theme.h"

#include "imgui.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vigil::ui {
namespace {

using model::Lang;
using model::TextId;
using model::tr;

constexpr float kW = 1920, kH = 1080;
constexpr double kFocusWindowMs = 10 * 60 * 1000;  // the focus charts show the last 10 minutes
constexpr double kSparkWindowMs = 5 * 60 * 1000;   // tile sparklines: the last 5 minutes
constexpr float kMaxTileW = 560, kMaxTileH = 320;  // beyond this a tile only gets emptier
constexpr std::size_t kNoticeRows = 4;             // notice rows under the header, "+N more" the last

ImU32 banner_colour(BannerKind k) {
    switch (k) {
        case BannerKind::Live: return theme::kBannerLive;
        case BannerKind::Stale: return theme::kBannerStale;
        case BannerKind::CatchingUp: return theme::kBannerCatchingUp;
        case BannerKind::Waiting: return theme::kBannerCatchingUp;
        case BannerKind::Maintenance: return theme::kBannerMaintenance;
        case BannerKind::Unauthorized: return theme::kBannerUnauthorized;
        default: return theme::kBannerDown;
    }
}

TextId banner_text(BannerKind k) {
    switch (k) {
        case BannerKind::Connecting: return TextId::connecting;
        case BannerKind::Waiting: return TextId::waiting;
        case BannerKind::CatchingUp: return TextId::catching_up;
        case BannerKind::Live: return TextId::live;
        case BannerKind::Stale: return TextId::stale;
        case BannerKind::Reconnecting: return TextId::reconnecting;
        case BannerKind::Maintenance: return TextId::maintenance;
        case BannerKind::Offline: return TextId::offline;
        case BannerKind::Unauthorized: return TextId::unauthorized;
    }
    return TextId::connecting;
}

ImU32 level_colour(model::AlarmLevel level) {
    switch (level) {
        case model::AlarmLevel::crit: return theme::kCrit;
        case model::AlarmLevel::warn: return theme::kWarn;
        default: return theme::kOk;
    }
}

const char* level_word(Lang lang, model::AlarmLevel level) {
    switch (level) {
        case model::AlarmLevel::crit: return tr(lang, TextId::level_crit);
        case model::AlarmLevel::warn: return tr(lang, TextId::level_warn);
        default: return tr(lang, TextId::level_ok);
    }
}

std::string metric_label(Lang lang, const model::HostState& h, const std::string& key) {
    if (auto id = model::metric_text(key)) return tr(lang, *id);
    for (const auto& m : h.metrics)
        if (m.key == key) return m.label;
    return key;
}

const model::MetricInfo* metric_info(const model::HostState& h, const std::string& key) {
    for (const auto& m : h.metrics)
        if (m.key == key) return &m;
    return nullptr;
}

std::optional<double> latest(const model::HostState& h, const std::string& key) {
    auto it = h.latest.find(key);
    if (it == h.latest.end()) return std::nullopt;
    return it->second;
}

// How one metric of a host is drawn: as a reading, or (no reading for stale_after intervals
// while its host may still be fresh) greyed with " · 12 s" after its label. A stale host's
// metrics are greyed by the host's own overlay, so they carry no suffix of their own.
struct MetricShown {
    bool reading = true;
    std::string age_suffix;
};

MetricShown metric_shown(const model::Fleet& fleet, const model::HostState& h, const std::string& key, double now,
                         bool host_live, Lang lang) {
    const model::Freshness f = fleet.metric_freshness(h, key, now);
    if (f.fresh() || !host_live) return {true, ""};  // a stale host: its overlay greys it all
    if (f.level == model::FreshnessLevel::never) return {false, ""};
    return {false, " · " + model::format_age(f.age_ms, lang)};
}

// What an alarm is about: the metric's label, or for a DOWN host the hub's reason.
std::string alarm_subject(Lang lang, const model::HostState* host, const std::string& metric) {
    if (metric == model::AlarmBoard::kDownMetric)
        return host && host->down ? model::fill(tr(lang, TextId::unreachable), host->down->reason) : tr(lang, TextId::host_down);
    return host ? metric_label(lang, *host, metric) : metric;
}

// "site A · rack r3 · role db": the host's catalog labels, in the catalog's order.
std::string labels_line(const model::HostState& h) {
    std::string out;
    for (const auto& [name, value] : h.labels) {
        if (!out.empty()) out += " · ";
        out += name + " " + value;
    }
    return out;
}

// A group's line title ("site A", "no site", "All hosts") and the same without the label's name.
std::pair<std::string, std::string> group_titles(Lang lang, const std::string& group_by, const std::string& name) {
    if (group_by.empty()) return {tr(lang, TextId::all_hosts), tr(lang, TextId::all_hosts)};
    if (name.empty()) {
        const std::string none = model::fill(tr(lang, TextId::no_label), group_by);
        return {none, none};
    }
    return {group_by + " " + name, name};
}

}  // namespace

static model::CellState host_cell_state(const model::Fleet& fleet, const model::HostState& h, double now,
                                 model::AlarmLevel level) {
    using model::CellState;
    if (h.down) return CellState::down;
    const model::Freshness f = fleet.freshness(h, now);
    if (f.level == model::FreshnessLevel::never) return CellState::never;
    if (f.level == model::FreshnessLevel::stale) return CellState::stale;
    switch (level) {
        case model::AlarmLevel::crit: return CellState::crit;
        case model::AlarmLevel::warn: return CellState::warn;
        default: return CellState::ok;
    }
}

const char* tile_state(const model::Fleet& fleet, const model::HostState& h, double now) {
    return model::cell_state_word(host_cell_state(fleet, h, now, fleet.alarms().host_level(h.id)));
}

// The counters roll in 400 ms, under one half-second animation step (model/draw_cadence.h): the
// step after a change shows the digits settled, before the next 1 Hz frame retargets them (a
// 600 ms roll sampled at those steps could be caught mid-roll every time and never show at rest).
Screen::Screen(const FontSet& fonts)
    : fonts_(fonts),
      hosts_live_(model::FlopStyle{0, true, 400}),
      alarms_total_(model::FlopStyle{0, true, 400}),
      frames_(model::FlopStyle{1, false, 400}) {}

bool Screen::animating(double now) const {
    if (!hosts_live_.settled(now) || !alarms_total_.settled(now) || !frames_.settled(now)) return true;
    return animating_;
}

void Screen::draw(const ScreenView& v) {
    if (start_ms_ < 0) start_ms_ = v.now_local_ms;
    animating_ = false;
    report_ = ScreenReport{};

    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, theme::kBackground);
    ImGui::Begin("vigil-screen", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    // The design canvas sits centred; a screen of another shape gets even margins. The burn-in
    // shift moves it all (and the tiles' click areas with it) from this one place.
    const ImVec2 o((io.DisplaySize.x - kW) * 0.5f + v.burn_in.dx, (io.DisplaySize.y - kH) * 0.5f + v.burn_in.dy);

    if (v.fleet) order_ = v.fleet->screen_order(v.now_local_ms);
    else order_.clear();
    // A wall profile's filter: the other hosts are not on this wall at all (tiles, overview,
    // focus, counts, alarm board).
    if (v.wall && !v.wall->filter.empty())
        order_.erase(std::remove_if(order_.begin(), order_.end(), [&](const model::HostState* h) { return !v.wall->shows(h->labels); }),
                     order_.end());
    report_.wall_hosts = static_cast<int>(order_.size());
    // This wall's alarms and DOWN hosts: what its counters, footer, board and ticker show.
    wall_alarms_.clear();
    wall_counts_ = model::AlarmCounts{};
    wall_down_ = 0;
    if (v.fleet) {
        for (const auto& al : v.fleet->alarms().active()) {
            if (!on_wall(v, al.host)) continue;
            wall_alarms_.push_back(&al);
            wall_counts_.add(al);
        }
        for (const auto* h : order_)
            if (h->down) ++wall_down_;
    }

    float top = 130;
    const std::size_t notices = v.notices.size() + v.config_notices.size();
    if (notices) top += 12 + 34.0f * static_cast<float>(std::min<std::size_t>(notices, kNoticeRows));
    const ImVec2 fleet_o(o.x + 20, o.y + top), fleet_size(1370, 1020 - top);
    const ImVec2 focus_o(o.x + 1410, o.y + top + 160), focus_size(490, 420);
    // Where the tiles go, then the clicks, then the drawing: a click shows in the frame that saw it.
    layout_fleet(v, fleet_o, fleet_size);
    take_clicks(focus_o, ImVec2(focus_o.x + focus_size.x, focus_o.y + focus_size.y));

    draw_header(v, o);
    report_.notices.clear();
    if (notices) draw_notices(v, ImVec2(o.x + 20, o.y + 130), 1880);
    draw_fleet(v, fleet_o, fleet_size);
    draw_summary(v, ImVec2(o.x + 1410, o.y + top), ImVec2(490, 150));
    draw_focus(v, focus_o, focus_size);
    draw_alarms(v, ImVec2(o.x + 1410, o.y + top + 590), ImVec2(490, 1020 - top - 590));
    draw_footer(v, ImVec2(o.x + 20, o.y + 1030), ImVec2(1880, 45));
    if (v.debug) draw_debug(v, ImVec2(o.x + 30, o.y + 140));

    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(2);
}

bool Screen::on_wall(const ScreenView& v, const std::string& host) const {
    if (!v.wall || v.wall->filter.empty()) return true;
    const model::HostState* h = v.fleet ? v.fleet->find(host) : nullptr;
    return h && v.wall->shows(h->labels);
}

void Screen::draw_header(const ScreenView& v, ImVec2 o) {
    Painter p(ImGui::GetWindowDrawList(), fonts_);
    p.text_fit(FontSize::Title, ImVec2(o.x + 24, o.y + 38), 500, theme::kText, v.title);

    // The banner: a colour AND a word in large type, with why and what next beside it.
    const ImVec2 a(o.x + 560, o.y + 14), b(o.x + 1440, o.y + 108);
    p.list()->AddRectFilled(a, b, banner_colour(v.banner), 10.0f);
    const char* word = tr(v.lang, banner_text(v.banner));
    const ImVec2 ws = p.measure(FontSize::Huge, word);
    p.text(FontSize::Huge, ImVec2(a.x + 28, (a.y + b.y - ws.y) * 0.5f), theme::kText, word);
    if (!v.banner_detail.empty()) {
        // One line when it fits, else two broken at a space: the reason (what to change, for a
        // URL that can never work) comes last and must not be the part that is cut.
        const float x = a.x + 28 + ws.x + 28, w = b.x - x - 20, mid = (a.y + b.y) * 0.5f;
        const std::string_view detail = v.banner_detail;
        if (p.measure(FontSize::Body, detail).x <= w) {
            p.text_fit(FontSize::Body, ImVec2(x, mid - 16), w, theme::kText, detail);
        } else {
            std::size_t cut = 0;
            for (auto at = detail.find(' '); at != std::string_view::npos; at = detail.find(' ', at + 1)) {
                if (p.measure(FontSize::Body, detail.substr(0, at)).x > w) break;
                cut = at;
            }
            p.text_fit(FontSize::Body, ImVec2(x, mid - 33), w, theme::kText, detail.substr(0, cut ? cut : detail.size()));
            if (cut) p.text_fit(FontSize::Body, ImVec2(x, mid + 1), w, theme::kText, detail.substr(cut + 1));
        }
    }

    p.text_right(FontSize::Title, ImVec2(o.x + 1896, o.y + 22), theme::kText, v.clock);
    p.text_right(FontSize::Small, ImVec2(o.x + 1896, o.y + 74), theme::kTextDim, v.date);
    p.list()->AddLine(ImVec2(o.x + 20, o.y + 120), ImVec2(o.x + 1900, o.y + 120), theme::kPanelEdge, 2.0f);
}

void Screen::draw_notices(const ScreenView& v, ImVec2 o, float width) {
    Painter p(ImGui::GetWindowDrawList(), fonts_);
    // The page's own notices (what it leaves out) before config errors, so a broken config.json
    // never hides "N hosts not shown"; past the rows, the last one says how many more there are.
    const std::size_t total = v.notices.size() + v.config_notices.size();
    const std::size_t n = std::min(total, kNoticeRows);
    const std::size_t shown = total > kNoticeRows ? kNoticeRows - 1 : n;
    auto& rows = report_.notices;
    for (std::size_t i = 0; i < shown; ++i)
        rows.push_back(i < v.notices.size() ? v.notices[i] : v.config_notices[i - v.notices.size()]);
    if (shown < total) rows.push_back(model::fill(tr(v.lang, TextId::more_notices), std::to_string(total - shown)));
    p.list()->AddRectFilled(o, ImVec2(o.x + width, o.y + 34.0f * static_cast<float>(n) + 4), theme::rgba(90, 60, 8), 6.0f);
    for (std::size_t i = 0; i < n; ++i)
        p.text_fit(FontSize::Small, ImVec2(o.x + 14, o.y + 6 + 34.0f * static_cast<float>(i)), width - 28, theme::kText,
                   "▲ " + rows[i]);
}

void Screen::layout_fleet(const ScreenView& v, ImVec2 o, ImVec2 size) {
    tiles_.clear();
    grid_ = model::GridLayout{};
    rotation_ = model::PageRotation{};
    tile_pages_ = 1;
    overview_on_ = false;
    overview_ = model::OverviewLayout{};
    attention_ = model::AttentionPick{};
    attention_at_.clear();
    if (!v.fleet || order_.empty()) return;
    grid_ = model::choose_grid(static_cast<int>(order_.size()), size.x, size.y - 36);
    // The overview once the fleet outgrows one page of detail tiles: every host on screen at once.
    const model::WallLayout layout = v.wall ? v.wall->layout : model::WallLayout::automatic;
    if (layout == model::WallLayout::overview || (layout == model::WallLayout::automatic && grid_.pages > 1)) {
        overview_on_ = true;
        return layout_overview(v, o, size);
    }
    // Pages of tiles: the critical hosts (DOWN, crit) on every page while they leave a slot for
    // the others, which take turns in the slots left; with more critical hosts than a page holds
    // the pages rotate through the critical ones alone (only a forced "tiles" layout gets here
    // with more hosts than a page: the automatic layout shows the overview, every host at once).
    tile_pages_ = 1;
    std::vector<std::size_t> shown;
    if (grid_.pages > 1) {
        std::vector<model::CellState> states;
        states.reserve(order_.size());
        const auto levels = v.fleet->host_levels();
        for (const auto* h : order_) {
            const auto lv = levels.find(h->id);
            states.push_back(host_cell_state(*v.fleet, *h, v.now_local_ms, lv == levels.end() ? model::AlarmLevel::ok : lv->second));
        }
        const model::AttentionPick pick =
            model::pick_tile_page(states, grid_.cols * grid_.rows, v.now_local_ms, v.rotate_s, start_ms_);
        rotation_ = model::PageRotation{pick.page, pick.progress};
        tile_pages_ = pick.pages;
        shown = pick.shown;
    } else {
        for (std::size_t i = 0; i < order_.size(); ++i) shown.push_back(i);
    }
    // A small fleet gets large tiles, but not wall-sized ones: rings and text stop growing here.
    const float scale = std::min({1.0f, kMaxTileW / std::max(1.0f, grid_.tile_w), kMaxTileH / std::max(1.0f, grid_.tile_h)});
    for (std::size_t k = 0; k < shown.size(); ++k) {
        const model::TileRect r = model::tile_rect(grid_, static_cast<int>(k));
        const float x = o.x + r.x * scale, y = o.y + r.y * scale;
        tiles_.push_back({order_[shown[k]], ImVec2(x, y), ImVec2(x + r.w * scale, y + r.h * scale)});
    }
}

void Screen::layout_overview(const ScreenView& v, ImVec2 o, ImVec2 size) {
    // The hosts as the overview sees them, and those needing attention (in display order).
    overview_hosts_.clear();
    overview_max_ = ImVec2(o.x + size.x, o.y + size.y);
    std::vector<model::CellState> attention;
    std::vector<std::size_t>& attention_at = attention_at_;  // positions in order_
    attention_at.clear();
    const auto levels = v.fleet->host_levels();
    for (std::size_t i = 0; i < order_.size(); ++i) {
        const model::HostState& h = *order_[i];
        const auto lv = levels.find(h.id);
        const model::CellState s =
            host_cell_state(*v.fleet, h, v.now_local_ms, lv == levels.end() ? model::AlarmLevel::ok : lv->second);
        overview_hosts_.push_back({v.wall ? v.wall->group_of(h.labels) : std::string(), s});
        if (model::needs_attention(s)) {
            attention.push_back(s);
            attention_at.push_back(i);
        }
    }
    // One row of detail tiles above the mosaic for the hosts needing attention, while the mosaic
    // below still fits with cells of at least the minimum size; else the mosaic takes it all (the
    // hosts needing attention are still in it, in the focus panel's turn and on the alarm board).
    // Many small groups flow in rows, each line inline before its cells, in as many words as fit.
    const std::string group_by = v.wall ? v.wall->group_by : std::string();
    const Painter measure(ImGui::GetWindowDrawList(), fonts_);
    const model::HeadingWidth heading_w = [&](const model::OverviewGroup& g, int tier) {
        const auto titles = group_titles(v.lang, group_by, g.name);
        return group_heading_width(measure, group_words(g, titles.first, titles.second, tier, v.lang));
    };
    const model::TileLimits tl;
    const int slots = std::max(1, static_cast<int>((size.x + tl.gap) / (tl.min_w + tl.gap)));
    const float tile_w = (size.x - tl.gap * static_cast<float>(slots - 1)) / static_cast<float>(slots);
    const float strip_h = tl.min_h;
    bool strip = false;
    if (!attention.empty()) {
        attention_ = model::pick_attention(attention, slots, v.now_local_ms, v.rotate_s, start_ms_);
        const float bar = attention_.pages > 1 ? 30.0f : 0.0f;
        overview_ = model::layout_overview(overview_hosts_, size.x, size.y - strip_h - bar - 16, {}, heading_w);
        strip = overview_.fits && !overview_.below_minimum;
        if (strip) {
            for (std::size_t k = 0; k < attention_.shown.size(); ++k) {
                const float x = o.x + (tile_w + tl.gap) * static_cast<float>(k);
                tiles_.push_back({order_[attention_at[attention_.shown[k]]], ImVec2(x, o.y), ImVec2(x + tile_w, o.y + strip_h)});
            }
            strip_bar_ = ImVec2(o.x, o.y + strip_h + 4);
            strip_w_ = size.x;
            overview_o_ = ImVec2(o.x, o.y + strip_h + bar + 16);
        }
    }
    if (!strip) {
        attention_ = model::AttentionPick{};
        overview_ = model::layout_overview(overview_hosts_, size.x, size.y, {}, heading_w);
        overview_o_ = o;
    }
}

void Screen::draw_overview(const ScreenView& v) {
    Painter p(ImGui::GetWindowDrawList(), fonts_);
    ScreenReport::Overview& r = report_.overview;
    r.cell = overview_.cell;
    r.gap = overview_.gap;
    r.fits = overview_.fits;
    r.below_minimum = overview_.below_minimum;
    r.group_by = v.wall ? v.wall->group_by : std::string();
    const float cell = overview_.cell;
    const ImVec2 o = overview_o_;
    const float width = overview_max_.x - o.x;
    // Clipped to the fleet area: a fleet too large even at the floor size is cut (fits: false).
    p.list()->PushClipRect(o, overview_max_, true);
    const std::string& pinned = focus_.pinned_id();
    for (const model::OverviewGroup& g : overview_.groups) {
        const auto titles = group_titles(v.lang, r.group_by, g.name);
        const ImVec2 at(o.x + g.x, o.y + g.y);
        ScreenReport::Group rg;
        rg.name = g.name;
        if (overview_.flowed) {
            // Inline before its cells, in the words it has room for; window.vigil gets them all.
            draw_group_heading(p, at, ImVec2(at.x + g.w, at.y + g.h), g, group_words(g, titles.first, titles.second, g.tier, v.lang));
            rg.text = group_words(g, titles.first, titles.second, 0, v.lang).text();
            rg.rect = DesignRect{at.x, at.y, g.w, g.h};
        } else {
            rg.text = draw_group_line(p, ImVec2(at.x, at.y + 2), width, g, titles.first, v.lang);
            rg.rect = DesignRect{at.x, at.y, width, g.h};
        }
        std::copy(std::begin(g.counts), std::end(g.counts), std::begin(rg.counts));
        rg.worst = g.worst;
        rg.hosts = g.hosts();
        r.groups.push_back(std::move(rg));
        for (std::size_t i = g.begin; i < g.end; ++i) {
            const model::OverviewCell& c = overview_.cells[i];
            const model::OverviewHost& oh = overview_hosts_[c.host];
            const model::HostState* h = order_[c.host];
            const ImVec2 a(o.x + c.x, o.y + c.y);
            draw_cell(p.list(), a, cell, oh.state);
            if (!pinned.empty() && h->id == pinned)
                p.list()->AddRect(ImVec2(a.x - 2, a.y - 2), ImVec2(a.x + cell + 2, a.y + cell + 2), theme::kAccent, 0.0f, 0, 2.0f);
            r.cells.push_back({h, DesignRect{a.x, a.y, cell, cell}, oh.state, r.groups.size() - 1});
            if (model::needs_attention(oh.state)) ++r.attention;
        }
    }
    p.list()->PopClipRect();
    if (attention_.pages > 1) {
        // Which page of the attention tiles, and how long until the next: a bar under them.
        const float y = strip_bar_.y;
        p.text(FontSize::Small, ImVec2(strip_bar_.x, y - 2), theme::kTextDim, model::format_page(attention_.page, attention_.pages, v.lang));
        const float x0 = strip_bar_.x + 160, x1 = strip_bar_.x + strip_w_;
        p.list()->AddRectFilled(ImVec2(x0, y + 8), ImVec2(x1, y + 14), theme::kTrack, 3.0f);
        p.list()->AddRectFilled(ImVec2(x0, y + 8), ImVec2(x0 + (x1 - x0) * static_cast<float>(attention_.progress), y + 14),
                                theme::kAccent, 3.0f);
    }
}

void Screen::take_clicks(ImVec2 focus_min, ImVec2 focus_max) {
    // On press, as a touch screen expects. The backend reports a press even when the button was
    // released again before this frame (a quick click between two idle frames).
    if (!ImGui::IsMouseClicked(ImGuiMouseButton_Left)) return;
    if (ImGui::IsMouseHoveringRect(focus_min, focus_max)) return focus_.rotate();
    for (const auto& t : tiles_)
        if (ImGui::IsMouseHoveringRect(t.min, t.max)) return focus_.pin(t.host->id);
    if (!overview_on_) return;
    // A cell of the overview pins its host as its tile would: found from the grid, not by a
    // scan of 1,000 rectangles.
    const ImVec2 m = ImGui::GetIO().MousePos;
    // A group's cells follow its first one row by row (banded: from column 0; flowed: the first
    // row from after its inline line).
    const float pitch = overview_.cell + overview_.gap;
    const float dx = m.x - overview_o_.x;
    if (dx < 0 || pitch <= 0) return;
    const int col = static_cast<int>(dx / pitch);
    if (col >= overview_.cols || dx - static_cast<float>(col) * pitch > overview_.cell) return;
    for (const model::OverviewGroup& g : overview_.groups) {
        if (g.begin == g.end) continue;
        const model::OverviewCell& first = overview_.cells[g.begin];
        const float dy = m.y - (overview_o_.y + first.y);
        if (dy < 0) continue;
        const int row = static_cast<int>(dy / pitch);
        if (dy - static_cast<float>(row) * pitch > overview_.cell) continue;
        const long slot = static_cast<long>(row) * overview_.cols + col - std::lround(first.x / pitch);
        if (slot >= 0 && slot < g.hosts()) return focus_.pin(order_[overview_.cells[g.begin + static_cast<std::size_t>(slot)].host]->id);
    }
}

void Screen::draw_fleet(const ScreenView& v, ImVec2 o, ImVec2 size) {
    Painter p(ImGui::GetWindowDrawList(), fonts_);
    if (!v.fleet || order_.empty()) {
        p.panel(o, ImVec2(o.x + size.x, o.y + size.y), theme::kPanelEdge);
        p.text_centred(FontSize::Title, ImVec2(o.x + size.x * 0.5f, o.y + size.y * 0.5f), theme::kTextDim,
                       tr(v.lang, TextId::waiting_for_data));
        return;
    }
    const model::PageRotation& rot = rotation_;
    report_.layout = overview_on_ ? "overview" : "tiles";
    report_.page = overview_on_ ? attention_.page : rot.page;
    report_.pages = overview_on_ ? attention_.pages : tile_pages_;
    report_.tiles_on_page = static_cast<int>(tiles_.size());
    for (const auto& t : tiles_) {
        std::string said = draw_tile(v, *t.host, t.min, t.max);
        report_.tiles.push_back({t.host->id, DesignRect{t.min.x, t.min.y, t.max.x - t.min.x, t.max.y - t.min.y},
                                 tile_state(*v.fleet, *t.host, v.now_local_ms), std::move(said)});
    }
    for (const auto* h : order_) {
        const model::Freshness f = v.fleet->freshness(*h, v.now_local_ms);
        ++report_.hosts;
        if (h->down) ++report_.hosts_down;
        if (f.level == model::FreshnessLevel::stale) ++report_.hosts_stale;
        if (f.level == model::FreshnessLevel::never) ++report_.hosts_never;
    }
    if (overview_on_) return draw_overview(v);
    if (tile_pages_ > 1) {
        // Which page, and how long until the next: a bar under the tiles.
        const float y = o.y + size.y - 26;
        p.text(FontSize::Small, ImVec2(o.x, y - 4), theme::kTextDim, model::format_page(rot.page, tile_pages_, v.lang));
        const float x0 = o.x + 160, x1 = o.x + size.x;
        p.list()->AddRectFilled(ImVec2(x0, y + 6), ImVec2(x1, y + 12), theme::kTrack, 3.0f);
        p.list()->AddRectFilled(ImVec2(x0, y + 6), ImVec2(x0 + (x1 - x0) * static_cast<float>(rot.progress), y + 12),
                                theme::kAccent, 3.0f);
    }
}

std::string Screen::draw_tile(const ScreenView& v, const model::HostState& h, ImVec2 a, ImVec2 b) {
    Painter p(ImGui::GetWindowDrawList(), fonts_);
    const model::Fleet& fleet = *v.fleet;
    const model::Freshness fresh = fleet.freshness(h, v.now_local_ms);
    const bool down = h.down.has_value();
    // A DOWN host's values are its last ones, kept for context: drawn like a stale host's, never
    // as current, even in the few intervals before they would go stale by age.
    const bool live = fresh.level == model::FreshnessLevel::fresh && !down;
    const model::AlarmLevel worst = fleet.alarms().host_level(h.id);

    bool pulse = false;
    for (const auto& al : fleet.alarms().active())
        if (al.host == h.id && !al.stale && model::AlarmBoard::pulsing(al, v.now_local_ms)) pulse = true;
    if (pulse) animating_ = true;

    ImU32 edge = theme::kPanelEdge;
    float edge_w = 1.5f;
    if (worst != model::AlarmLevel::ok) {
        edge = level_colour(worst);
        edge_w = 3.0f;
    }
    // A blink on the half-second steps, not a smooth swell: the page draws animations only on
    // those steps (model/draw_cadence.h), so a continuous one would be sampled at random phases.
    if (pulse && v.motion_step % 2 == 0) edge_w += 3.0f;
    if (!live) edge = theme::kStale;
    if (down) {
        edge = theme::kDown;
        edge_w = std::max(edge_w, 3.0f);
    }
    p.panel(a, b, edge, edge_w);

    const float w = b.x - a.x, hgt = b.y - a.y;
    // Name, and the state in a word (the border colour alone would not do).
    const char* state = down ? tr(v.lang, TextId::host_down)
                        : !live ? tr(v.lang, fresh.level == model::FreshnessLevel::never ? TextId::no_data : TextId::stale)
                                : (worst != model::AlarmLevel::ok ? level_word(v.lang, worst) : tr(v.lang, TextId::live));
    const ImU32 state_colour = down ? theme::kDown : !live ? theme::kStale : level_colour(worst);
    const float state_w = p.measure(FontSize::Small, state).x;
    p.list()->AddCircleFilled(ImVec2(a.x + 18, a.y + 24), 6, state_colour);
    p.text_fit(FontSize::Body, ImVec2(a.x + 32, a.y + 8), w - 60 - state_w, live ? theme::kText : theme::kTextDim, h.name);
    p.text_right(FontSize::Small, ImVec2(b.x - 12, a.y + 12), state_colour, state);

    // Rings: CPU, memory, and temperature (or load) as a fraction of their critical threshold.
    struct RingSpec {
        const char* key;
        double full;  // value that fills the ring
    };
    std::vector<RingSpec> rings;
    if (v.wall && !v.wall->metrics.empty()) {
        // The wall profile's metrics: a % fills at 100, anything else at its crit threshold.
        for (const auto& key : v.wall->metrics) {
            const model::MetricInfo* info = metric_info(h, key);
            const auto t = fleet.thresholds(h, key);
            rings.push_back({key.c_str(), info && info->unit == "%" ? 100.0 : t.crit.value_or(t.warn.value_or(100.0))});
        }
    } else {
        rings = {{"cpu", 100}, {"mem", 100}};
        if (h.latest.count("temp")) rings.push_back({"temp", 100});
        else if (h.latest.count("load1")) {
            const auto t = fleet.thresholds(h, "load1");
            rings.push_back({"load1", t.crit.value_or(8.0)});
        }
    }
    const float ring_area_w = w * 0.62f;
    const float spark_h = std::max(22.0f, hgt * 0.16f);
    const float ring_top = a.y + 48, ring_bottom = b.y - spark_h - 12;
    const float slot = ring_area_w / static_cast<float>(rings.size());
    const float radius = std::max(12.0f, std::min(slot * 0.5f - 10, (ring_bottom - ring_top) * 0.5f - 12));
    for (std::size_t i = 0; i < rings.size(); ++i) {
        const ImVec2 c(a.x + slot * (static_cast<float>(i) + 0.5f) + 4, ring_top + (ring_bottom - ring_top) * 0.5f - 6);
        const MetricShown m = metric_shown(fleet, h, rings[i].key, v.now_local_ms, live, v.lang);
        std::optional<double> value;
        if (m.reading) value = latest(h, rings[i].key);
        const model::AlarmLevel lvl = fleet.alarms().level(h.id, rings[i].key);
        const ImU32 col = !m.reading || !live ? theme::kStale : (lvl == model::AlarmLevel::ok ? theme::kAccent : level_colour(lvl));
        p.ring(c, radius, std::max(4.0f, radius * 0.22f), value ? static_cast<float>(*value / rings[i].full) : 0.0f, col);
        const model::MetricInfo* info = metric_info(h, rings[i].key);
        const std::string text = value ? model::format_value(*value, info ? info->unit : "") : "—";
        p.text_centred(FontSize::Small, c, live && m.reading ? theme::kText : theme::kTextDim, text);
        // The label fits its slot (a long one is cut, never drawn over its neighbour's); a metric
        // with no recent reading says how old its last one is.
        const std::string label = metric_label(v.lang, h, rings[i].key) + m.age_suffix;
        const float lw = std::min(p.measure(FontSize::Small, label).x, slot - 6);
        p.text_fit(FontSize::Small, ImVec2(c.x - lw * 0.5f, c.y + radius + 2), slot - 6, theme::kTextDim, label);
    }

    // Rates on the right: network in/out with arrows, disk read/write with R/W (the focus
    // panel spells them out); values keep their full text, labels give way.
    float y = a.y + 52;
    const float x = a.x + ring_area_w + 8;
    const struct {
        const char* key;
        const char* mark;
        ImU32 colour;
    } rates[] = {{"net_rx", "↓ ", theme::kAccent}, {"net_tx", "↑ ", theme::kAccent2},
                 {"disk_r", "R ", theme::kTextDim}, {"disk_w", "W ", theme::kTextDim}};
    for (const auto& r : rates) {
        const auto value = latest(h, r.key);
        if (!value || y > ring_bottom - 18) continue;
        const MetricShown m = metric_shown(fleet, h, r.key, v.now_local_ms, live, v.lang);
        p.text_fit(FontSize::Small, ImVec2(x, y), b.x - x - 10, live && m.reading ? r.colour : theme::kTextFaint,
                   r.mark + (m.reading ? model::format_bytes_per_s(*value) : std::string("—") + m.age_suffix));
        y += 26;
    }

    // CPU sparkline: the last minutes, gaps left open.
    auto s = h.series.find("cpu");
    if (s != h.series.end() && !s->second.empty()) {
        const double t_to = fleet.last_sample_wall_ms();
        s->second.window(t_to - kSparkWindowMs, t_to, scratch_);
        const ImVec2 sa(a.x + 12, b.y - spark_h - 8), sb(b.x - 12, b.y - 8);
        p.list()->AddRectFilled(sa, sb, theme::rgba(12, 20, 36), 3.0f);
        p.series(sa, sb, scratch_, t_to - kSparkWindowMs, t_to, 0, 100, live ? theme::kAccent : theme::kStale, 2.0f);
    }

    // DOWN: the hub's words across the tile, on the DOWN colour: what failed and since when (the
    // local time of the outage's first failure). The last values stay visible behind, dimmed.
    if (down) {
        // The header (name, the word DOWN) stays bright: only the values behind are dimmed.
        p.list()->AddRectFilled(ImVec2(a.x, a.y + 44), b, theme::rgba(8, 12, 20, 150), 6.0f);
        const std::string what = model::fill(tr(v.lang, TextId::unreachable), h.down->reason);
        const std::string since = model::fill(tr(v.lang, TextId::since_clock), model::format_local_clock(h.down->since));
        const float cy = (a.y + b.y) * 0.5f + 8;
        p.list()->AddRectFilled(ImVec2(a.x + 6, cy - 36), ImVec2(b.x - 6, cy + 36), theme::kDownBand, 6.0f);
        const float tw = w - 44;
        const float w1 = std::min(p.measure(FontSize::Body, what).x, tw), w2 = std::min(p.measure(FontSize::Small, since).x, tw);
        p.text_fit(FontSize::Body, ImVec2((a.x + b.x - w1) * 0.5f, cy - 32), tw, theme::kText, what);
        p.text_fit(FontSize::Small, ImVec2((a.x + b.x - w2) * 0.5f, cy + 6), tw, theme::kText, since);
        return what + ", " + since;  // the words drawn, as model::format_unreachable() says them
    }

    // Stale: say so, with the age; the old values stay visible but dimmed, never as current.
    if (!live) {
        p.list()->AddRectFilled(a, b, theme::rgba(8, 12, 20, 150), 6.0f);
        const std::string why = fresh.level == model::FreshnessLevel::never
                                    ? std::string(tr(v.lang, TextId::never_reported))
                                    : model::format_last_update(fresh.age_ms, v.lang);
        const ImVec2 c((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f + 8);
        const ImVec2 ts = p.measure(FontSize::Body, why);
        p.list()->AddRectFilled(ImVec2(c.x - ts.x * 0.5f - 12, c.y - ts.y * 0.5f - 6),
                                ImVec2(c.x + ts.x * 0.5f + 12, c.y + ts.y * 0.5f + 6), theme::rgba(60, 66, 78, 235), 6.0f);
        p.text_centred(FontSize::Body, c, theme::kText, why);
    }
    return {};
}

void Screen::draw_summary(const ScreenView& v, ImVec2 o, ImVec2 size) {
    Painter p(ImGui::GetWindowDrawList(), fonts_);
    p.panel(o, ImVec2(o.x + size.x, o.y + size.y), theme::kPanelEdge);
    int live = 0;
    double cpu_sum = 0;
    int cpu_n = 0;
    if (v.fleet) {
        for (const auto* h : order_) {
            if (h->down || !v.fleet->freshness(*h, v.now_local_ms).fresh()) continue;
            ++live;
            if (auto c = latest(*h, "cpu")) {
                cpu_sum += *c;
                ++cpu_n;
            }
        }
    }
    const model::AlarmCounts counts = wall_counts_;  // this wall's: other walls' alarms are theirs
    report_.alarms = counts.total();
    report_.alarms_crit = counts.crit;
    report_.alarms_warn = counts.warn;
    if (hosts_live_.target() != live) hosts_live_.set_target(live, v.now_local_ms);
    if (alarms_total_.target() != counts.total()) alarms_total_.set_target(counts.total(), v.now_local_ms);
    const double cpu_avg = cpu_n ? std::round(cpu_sum / cpu_n * 10) / 10 : 0;
    if (frames_.target() != cpu_avg) frames_.set_target(cpu_avg, v.now_local_ms);
    // Digits drawn mid-roll are drawn again at the next step, settled or not: never left mid-roll.
    for (const model::FlopCounter* c : {&hosts_live_, &alarms_total_, &frames_})
        if (!c->settled(v.now_local_ms)) animating_ = true;

    const float col = size.x / 3;
    const struct {
        model::FlopCounter* counter;
        std::string label;
        ImU32 colour;
    } cells[] = {
        {&hosts_live_, std::string(tr(v.lang, TextId::hosts)) + " " + tr(v.lang, TextId::live), theme::kOk},
        {&alarms_total_, tr(v.lang, TextId::alarms), counts.crit ? theme::kCrit : (counts.warn ? theme::kWarn : theme::kText)},
        {&frames_, std::string(tr(v.lang, TextId::metric_cpu)) + " %", theme::kAccent},
    };
    for (int i = 0; i < 3; ++i) {
        const float x = o.x + col * static_cast<float>(i) + 16;
        p.text(FontSize::Small, ImVec2(x, o.y + 14), theme::kTextDim, cells[i].label);
        p.flop(FontSize::Title, ImVec2(x, o.y + 56), cells[i].counter->cells(v.now_local_ms), cells[i].colour,
               theme::rgba(24, 40, 70));
    }
    // DOWN hosts are counted apart from the live ones: "2 down" under the live count.
    if (wall_down_ > 0)
        p.text_fit(FontSize::Small, ImVec2(o.x + 16, o.y + size.y - 30), col - 20, theme::kDown,
                   model::fill(tr(v.lang, TextId::hosts_down), std::to_string(wall_down_)));
}

void Screen::draw_focus(const ScreenView& v, ImVec2 o, ImVec2 size) {
    Painter p(ImGui::GetWindowDrawList(), fonts_);
    // The pinned host while it is in the fleet, else the fleet in turn (model/focus_selection.h).
    auto pick = v.fleet ? focus_.pick(order_, v.now_local_ms, v.rotate_s, start_ms_) : std::nullopt;
    if (pick && !pick->pinned && overview_on_ && !attention_at_.empty() && attention_at_.size() < order_.size()) {
        // The overview's focus turns go to the hosts needing attention first, one other host
        // a round (model::focus_turn): at 1,000 hosts a round of them all would take hours.
        const std::size_t t = model::focus_turn(attention_at_.size(), order_.size() - attention_at_.size(), v.now_local_ms,
                                                v.rotate_s, start_ms_);
        if (t < attention_at_.size()) {
            pick->index = attention_at_[t];
        } else {
            // The (t - attention)-th host of order_ that needs none (attention_at_ is ascending).
            std::size_t k = t - attention_at_.size(), a = 0;
            for (std::size_t i = 0; i < order_.size(); ++i) {
                if (a < attention_at_.size() && attention_at_[a] == i) {
                    ++a;
                    continue;
                }
                if (k-- == 0) {
                    pick->index = i;
                    break;
                }
            }
        }
    }
    const bool pinned = pick && pick->pinned;
    report_.focus_pin = focus_.pinned_id();
    report_.focus_panel = DesignRect{o.x, o.y, size.x, size.y};
    p.panel(o, ImVec2(o.x + size.x, o.y + size.y), pinned ? theme::kAccent : theme::kPanelEdge, pinned ? 3.0f : 1.5f);
    if (!pick) return;
    const model::HostState& h = *order_[pick->index];
    report_.focus_host = h.id;
    report_.focus_pinned = pinned;
    const bool live = v.fleet->freshness(h, v.now_local_ms).fresh() && !h.down;
    float name_w = size.x - 32;
    if (pinned) {
        // The cue, in a word and a shape: a chip with a pin mark at the header's right.
        const char* word = tr(v.lang, TextId::focus_pinned);
        const ImVec2 ws = p.measure(FontSize::Small, word);
        const ImVec2 cb(o.x + size.x - 12, o.y + 42);
        const ImVec2 ca(cb.x - ws.x - 40, o.y + 12);
        p.list()->AddRectFilled(ca, cb, theme::kAccent, 4.0f);
        const ImVec2 head(ca.x + 14, ca.y + 11);
        p.list()->AddLine(head, ImVec2(head.x, cb.y - 5), theme::kBackground, 2.0f);
        p.list()->AddCircleFilled(head, 5.0f, theme::kBackground);
        p.text(FontSize::Small, ImVec2(ca.x + 28, (ca.y + cb.y - ws.y) * 0.5f), theme::kBackground, word);
        name_w -= cb.x - ca.x + 12;
    }
    // The catalog's labels (site, rack, role...) beside the name, the name keeping at least half.
    const std::string labels = labels_line(h);
    if (!labels.empty()) {
        const float lw = std::min(p.measure(FontSize::Small, labels).x, name_w * 0.5f);
        p.text_fit(FontSize::Small, ImVec2(o.x + 16 + name_w - lw, o.y + 16), lw, theme::kTextDim, labels);
        name_w -= lw + 12;
    }
    p.text_fit(FontSize::Body, ImVec2(o.x + 16, o.y + 10), name_w, live && !h.down ? theme::kText : theme::kTextDim, h.name);

    // Every metric the host has is in this panel: cpu, mem and the network as charts, all the
    // others (load, temp, disks, whatever a backend sends) as values below them, paged in turn
    // when they do not fit.
    std::vector<std::string> others;
    for (const auto& m : h.metrics)
        if (m.key != "cpu" && m.key != "mem" && m.key != "net_rx" && m.key != "net_tx") others.push_back(m.key);
    for (const char* k : {"cpu", "mem", "net_rx", "net_tx"})
        if (metric_info(h, k) || h.latest.count(k)) report_.focus_keys.push_back(k);
    for (const auto& k : others) report_.focus_keys.push_back(k);
    constexpr int kListCols = 2;
    const int list_rows = std::min(3, static_cast<int>((others.size() + kListCols - 1) / kListCols));
    const float row_h = 26, list_h = list_rows > 0 ? row_h * static_cast<float>(list_rows) + 6 : 0;

    const double t_to = v.fleet->last_sample_wall_ms();
    const double t_from = t_to - std::min(kFocusWindowMs, v.fleet->history_s() * 1000.0);
    const char* keys[] = {"cpu", "mem", "net_rx"};
    const float chart_h = (size.y - 56 - list_h) / 3.0f;
    for (int i = 0; i < 3; ++i) {
        const ImVec2 ca(o.x + 16, o.y + 50 + chart_h * static_cast<float>(i) + 22);
        const ImVec2 cb(o.x + size.x - 16, o.y + 50 + chart_h * static_cast<float>(i + 1) - 6);
        const model::MetricInfo* info = metric_info(h, keys[i]);
        const MetricShown shown = metric_shown(*v.fleet, h, keys[i], v.now_local_ms, live, v.lang);
        p.text(FontSize::Small, ImVec2(ca.x, ca.y - 24), theme::kTextDim, metric_label(v.lang, h, keys[i]) + shown.age_suffix);
        p.list()->AddRectFilled(ca, cb, theme::rgba(12, 20, 36), 3.0f);
        auto s = h.series.find(keys[i]);
        if (s == h.series.end() || s->second.empty()) {
            p.text_centred(FontSize::Small, ImVec2((ca.x + cb.x) * 0.5f, (ca.y + cb.y) * 0.5f), theme::kTextFaint,
                           tr(v.lang, TextId::no_data));
            continue;
        }
        s->second.window(t_from, t_to, scratch_);
        const bool percent = info && info->unit == "%";
        const double hi = percent ? 100.0 : std::max(1.0, scratch_.max_value * 1.15);
        p.series(ca, cb, scratch_, t_from, t_to, 0, hi, live && shown.reading ? theme::kAccent : theme::kStale, 2.5f);
        if (i == 2) {  // network: out on top of in
            auto tx = h.series.find("net_tx");
            if (tx != h.series.end()) {
                const bool tx_reading = metric_shown(*v.fleet, h, "net_tx", v.now_local_ms, live, v.lang).reading;
                tx->second.window(t_from, t_to, scratch_);
                p.series(ca, cb, scratch_, t_from, t_to, 0, hi, live && tx_reading ? theme::kAccent2 : theme::kStale, 2.0f);
            }
        }
        p.text_right(FontSize::Small, ImVec2(cb.x - 4, ca.y - 24), theme::kTextFaint,
                     model::format_value(hi, info ? info->unit : ""));
    }

    if (others.empty()) return;
    const std::size_t per_page = static_cast<std::size_t>(kListCols * list_rows);
    const std::size_t pages = (others.size() + per_page - 1) / per_page;
    std::size_t page = 0;
    if (pages > 1) {
        // Four seconds per page of values: every key comes round within the focus host's turn.
        page = static_cast<std::size_t>(std::max(0.0, v.now_local_ms - start_ms_) / 4000.0) % pages;
    }
    const float top = o.y + size.y - list_h;
    const float col_w = (size.x - 32) / kListCols;
    for (std::size_t i = page * per_page; i < std::min(others.size(), (page + 1) * per_page); ++i) {
        const std::size_t slot = i - page * per_page;
        const float x = o.x + 16 + col_w * static_cast<float>(slot % kListCols);
        const float y = top + row_h * static_cast<float>(slot / kListCols);
        const std::string& key = others[i];
        const MetricShown shown = metric_shown(*v.fleet, h, key, v.now_local_ms, live, v.lang);
        const auto value = latest(h, key);
        const model::MetricInfo* info = metric_info(h, key);
        const std::string text = value && shown.reading ? model::format_value(*value, info ? info->unit : "")
                                                        : std::string("—") + shown.age_suffix;
        const float vw = std::min(p.measure(FontSize::Small, text).x, col_w * 0.6f);
        p.text_fit(FontSize::Small, ImVec2(x, y), col_w - vw - 16, theme::kTextDim, metric_label(v.lang, h, key));
        p.text_fit(FontSize::Small, ImVec2(x + col_w - vw - 10, y), vw, live && shown.reading ? theme::kText : theme::kTextFaint,
                   text);
    }
}

void Screen::draw_alarms(const ScreenView& v, ImVec2 o, ImVec2 size) {
    Painter p(ImGui::GetWindowDrawList(), fonts_);
    const ImVec2 b(o.x + size.x, o.y + size.y);
    p.panel(o, b, theme::kPanelEdge);
    p.text(FontSize::Body, ImVec2(o.x + 16, o.y + 8), theme::kText, tr(v.lang, TextId::alarms));
    if (!v.fleet) return;
    // The alarms of this wall's hosts (a wall profile's filter leaves the others to their walls).
    const std::vector<const model::ActiveAlarm*>& active = wall_alarms_;
    const float row_h = 34, top = o.y + 48;
    const float visible_h = b.y - top - 8;
    const float total_h = row_h * static_cast<float>(active.size());
    float scroll = 0;
    if (total_h > visible_h && v.motion) {
        // A long board scrolls slowly and wraps, so every alarm comes round.
        animating_ = true;
        scroll = model::scroll_offset(v.now_local_ms - start_ms_, 18.0, total_h + row_h);
    }
    p.list()->PushClipRect(ImVec2(o.x, top), ImVec2(b.x, b.y - 6), true);
    const double head = v.fleet->last_sample_wall_ms();
    for (int pass = 0; pass < (total_h > visible_h && v.motion ? 2 : 1); ++pass) {
        for (std::size_t i = 0; i < active.size(); ++i) {
            const float y = top + row_h * static_cast<float>(i) - scroll + static_cast<float>(pass) * (total_h + row_h);
            if (y + row_h < top || y > b.y) continue;
            const auto& al = *active[i];
            // A stale host's alarm is not news: it stays listed, greyed, without the pulse.
            const bool pulse = !al.stale && model::AlarmBoard::pulsing(al, v.now_local_ms);
            if (pulse) animating_ = true;
            const bool down = model::AlarmBoard::is_down(al);
            const ImU32 col = al.stale ? theme::kStale : (down ? theme::kDown : level_colour(al.level));
            const char* word = down ? tr(v.lang, TextId::host_down) : level_word(v.lang, al.level);
            const float chip_w = std::max(70.0f, p.measure(FontSize::Small, word).x + 16);
            p.list()->AddRectFilled(ImVec2(o.x + 12, y + 3), ImVec2(o.x + 12 + chip_w, y + row_h - 3), col, 4.0f);
            if (pulse) p.list()->AddRect(ImVec2(o.x + 8, y), ImVec2(b.x - 8, y + row_h), col, 4.0f, 0, 2.0f);
            p.text(FontSize::Small, ImVec2(o.x + 20, y + 5), theme::rgba(10, 10, 10), word);
            const model::HostState* host = v.fleet->find(al.host);
            const std::string who = (host ? host->name : al.host) + " · " + alarm_subject(v.lang, host, al.metric);
            const model::MetricInfo* info = host ? metric_info(*host, al.metric) : nullptr;
            const std::string value = down ? std::string() : model::format_value(al.value, info ? info->unit : "");
            const std::string since = model::format_age(std::max(0.0, head - al.since_t), v.lang);
            const float vx = b.x - 12 - p.measure(FontSize::Small, since).x;
            p.text_fit(FontSize::Small, ImVec2(o.x + 24 + chip_w, y + 5), vx - (o.x + 24 + chip_w) - 110, theme::kText, who);
            p.text_right(FontSize::Small, ImVec2(vx - 14, y + 5), col, value);
            p.text(FontSize::Small, ImVec2(vx, y + 5), theme::kTextDim, since);
        }
    }
    p.list()->PopClipRect();
}

void Screen::draw_footer(const ScreenView& v, ImVec2 o, ImVec2 size) {
    Painter p(ImGui::GetWindowDrawList(), fonts_);
    p.list()->AddLine(o, ImVec2(o.x + size.x, o.y), theme::kPanelEdge, 1.5f);
    // The clock skew in its own slot at the right end, whole and in the warning colour; the link's
    // status line left of it, clipped to its 620 px.
    float status_w = 0;
    report_.status.clear();
    if (!v.clock_skew.empty()) {
        status_w = p.measure(FontSize::Small, v.clock_skew).x;
        p.text(FontSize::Small, ImVec2(o.x + size.x - status_w, o.y + 10), theme::kWarn, v.clock_skew);
        const char* gap = "  ·  ";
        status_w += p.measure(FontSize::Small, gap).x;
        p.text(FontSize::Small, ImVec2(o.x + size.x - status_w, o.y + 10), theme::kTextFaint, gap);
        report_.status = gap + v.clock_skew;
    }
    const std::string status = p.fitted(FontSize::Small, 620.0f, v.status_line);
    const float line_w = p.measure(FontSize::Small, status).x;
    p.text(FontSize::Small, ImVec2(o.x + size.x - status_w - line_w, o.y + 10), theme::kTextFaint, status);
    status_w += line_w;
    report_.status = status + report_.status;
    if (wall_down_ > 0) {
        // This wall's DOWN hosts in the footer's counts too, in their colour, left of the link's status.
        const std::string n = model::fill(tr(v.lang, TextId::hosts_down), std::to_string(wall_down_)) + "  ·  ";
        const float nw = p.measure(FontSize::Small, n).x;
        p.text(FontSize::Small, ImVec2(o.x + size.x - status_w - nw, o.y + 10), theme::kDown, n);
        status_w += nw;
    }

    // The ticker: the newest alarm transitions of this wall's hosts, scrolling when they do not fit.
    if (!v.fleet) return;
    const auto& log = v.fleet->alarms().log();
    if (log.empty()) return;
    std::string line;
    int n = 0;
    for (auto it = log.rbegin(); it != log.rend() && n < 8; ++it) {
        if (!on_wall(v, it->host)) continue;
        ++n;
        const model::HostState* host = v.fleet->find(it->host);
        if (!line.empty()) line += "     •     ";
        line += (host ? host->name : it->host) + " ";
        if (it->metric == model::AlarmBoard::kDownMetric) {
            line += std::string(tr(v.lang, TextId::host_down)) + " → " + level_word(v.lang, it->to);
            continue;
        }
        line += (host ? metric_label(v.lang, *host, it->metric) : it->metric) + " → " + level_word(v.lang, it->to) + " " +
                model::format_value(it->value, host && metric_info(*host, it->metric) ? metric_info(*host, it->metric)->unit : "");
    }
    report_.ticker = line;
    if (line.empty()) return;
    const float avail = size.x - status_w - 40;
    const float text_w = p.measure(FontSize::Small, line).x;
    p.list()->PushClipRect(ImVec2(o.x, o.y), ImVec2(o.x + avail, o.y + size.y), true);
    if (text_w <= avail || !v.motion) {
        p.text(FontSize::Small, ImVec2(o.x, o.y + 10), theme::kTextDim, line);
    } else {
        animating_ = true;
        const float span = text_w + 120;
        const float shift = model::scroll_offset(v.now_local_ms - start_ms_, 60.0, span);
        p.text(FontSize::Small, ImVec2(o.x - shift, o.y + 10), theme::kTextDim, line);
        p.text(FontSize::Small, ImVec2(o.x - shift + span, o.y + 10), theme::kTextDim, line);
    }
    p.list()->PopClipRect();
}

void Screen::draw_debug(const ScreenView& v, ImVec2 o) {
    Painter p(ImGui::GetForegroundDrawList(), fonts_);
    float w = 0;
    for (const auto& l : v.debug_lines) w = std::max(w, p.measure(FontSize::Small, l).x);
    const float h = 28.0f * static_cast<float>(v.debug_lines.size()) + 16;
    p.list()->AddRectFilled(o, ImVec2(o.x + w + 32, o.y + h), theme::rgba(0, 0, 0, 215), 8.0f);
    p.list()->AddRect(o, ImVec2(o.x + w + 32, o.y + h), theme::kAccent, 8.0f, 0, 1.5f);
    for (std::size_t i = 0; i < v.debug_lines.size(); ++i)
        p.text(FontSize::Small, ImVec2(o.x + 16, o.y + 8 + 28.0f * static_cast<float>(i)), theme::kText, v.debug_lines[i]);
}

}  // namespace vigil::ui
