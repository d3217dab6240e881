// The overview's cells and group lines (see the header).
#include "ui/mosaic.h"

#include "ui/theme.h"

#include <algorithm>

// One window draw list holds the whole screen and the ES3 backend cannot offset vertices: 5,000
// stale cells are ~260,000 vertices, far past what 16-bit indices address (src/CMakeLists.txt).
static_assert(sizeof(ImDrawIdx) == 4, "build ImGui and everything including imgui.h with ImDrawIdx=unsigned int");

namespace vigil::ui {

using model::CellState;
using model::TextId;
using model::tr;

ImU32 cell_colour(CellState s) {
    switch (s) {
        case CellState::down: return theme::kDown;
        case CellState::crit: return theme::kCrit;
        case CellState::warn: return theme::kWarn;
        case CellState::stale: return theme::kStale;
        case CellState::never: return theme::kPanel;
        case CellState::ok: return theme::kCellOk;
    }
    return theme::kCellOk;
}

const char* cell_state_text(model::Lang lang, CellState s) {
    switch (s) {
        case CellState::down: return tr(lang, TextId::host_down);
        case CellState::crit: return tr(lang, TextId::level_crit);
        case CellState::warn: return tr(lang, TextId::level_warn);
        case CellState::stale: return tr(lang, TextId::stale);
        case CellState::never: return tr(lang, TextId::no_data);
        case CellState::ok: return tr(lang, TextId::level_ok);
    }
    return tr(lang, TextId::level_ok);
}

void draw_cell(ImDrawList* dl, ImVec2 a, float size, CellState s) {
    const ImVec2 b(a.x + size, a.y + size);
    // Square corners: 4 vertices a cell, so 5,000 cells stay cheap to draw.
    dl->AddRectFilled(a, b, cell_colour(s));
    const ImU32 ink = theme::kBackground;
    const float c = size * 0.5f, t = std::max(1.0f, size * 0.13f);
    const ImVec2 m(a.x + c, a.y + c);
    switch (s) {
        case CellState::down: {  // a cross
            const float r = size * 0.28f;
            dl->AddLine(ImVec2(m.x - r, m.y - r), ImVec2(m.x + r, m.y + r), ink, t);
            dl->AddLine(ImVec2(m.x - r, m.y + r), ImVec2(m.x + r, m.y - r), ink, t);
            break;
        }
        case CellState::crit:  // a bang
            dl->AddRectFilled(ImVec2(m.x - t * 0.5f, a.y + size * 0.16f), ImVec2(m.x + t * 0.5f, a.y + size * 0.62f), ink);
            dl->AddRectFilled(ImVec2(m.x - t * 0.5f, a.y + size * 0.72f), ImVec2(m.x + t * 0.5f, a.y + size * 0.72f + t), ink);
            break;
        case CellState::warn:  // a triangle
            dl->AddTriangleFilled(ImVec2(m.x, a.y + size * 0.2f), ImVec2(a.x + size * 0.2f, a.y + size * 0.78f),
                                  ImVec2(a.x + size * 0.8f, a.y + size * 0.78f), ink);
            break;
        case CellState::stale:  // a ring
            dl->AddCircle(m, size * 0.26f, ink, 12, t);
            break;
        case CellState::never:  // an empty cell with a dash
            dl->AddRect(a, b, theme::kTextFaint, 0.0f, 0, std::max(1.0f, size * 0.06f));
            dl->AddLine(ImVec2(m.x - size * 0.22f, m.y), ImVec2(m.x + size * 0.22f, m.y), theme::kTextFaint, t);
            break;
        case CellState::ok: break;  // plain: the quiet state
    }
}

std::string draw_group_line(const Painter& p, ImVec2 pos, float width, const model::OverviewGroup& g,
                            const std::string& title, model::Lang lang) {
    const float mark = 20;
    draw_cell(p.list(), ImVec2(pos.x, pos.y + 3), mark, g.worst);
    float x = pos.x + mark + 10;
    const float right = pos.x + width;
    std::string said = title + " · " + std::to_string(g.hosts()) + " " + tr(lang, TextId::hosts);
    const float tw = std::min(p.measure(FontSize::Small, said).x, std::max(60.0f, width * 0.45f));
    p.text_fit(FontSize::Small, ImVec2(x, pos.y), tw, theme::kText, said);
    x += tw + 16;
    for (int i = 0; i < model::kCellStateCount; ++i) {
        const int n = g.counts[i];
        if (n == 0) continue;
        const auto s = static_cast<CellState>(i);
        const std::string part = std::to_string(n) + " " + cell_state_text(lang, s);
        said += " · " + part;
        const float w = p.measure(FontSize::Small, part).x;
        if (x + w > right) continue;  // said in window.vigil, drawn while there is room
        // Words in the tiles' brighter ok green: the cells' calm green is too dark for small text.
        const ImU32 ink = s == CellState::never ? theme::kTextDim : s == CellState::ok ? theme::kOk : cell_colour(s);
        p.text(FontSize::Small, ImVec2(x, pos.y), ink, part);
        x += w + 18;
    }
    return said;
}

namespace {
// An inline health line: [pad][mark][gap][head][gap][count]...[pad].
constexpr float kHeadPad = 5, kHeadMark = 16, kHeadGap = 6, kHeadEnd = 5;

ImU32 count_ink(CellState s) {
    // Words in the tiles' brighter ok green: the cells' calm green is too dark for small text.
    return s == CellState::never ? theme::kTextDim : s == CellState::ok ? theme::kOk : cell_colour(s);
}
}  // namespace

std::string GroupWords::text() const {
    std::string out = head;
    for (const auto& c : counts) out += " · " + c.first;
    return out;
}

GroupWords group_words(const model::OverviewGroup& g, const std::string& title, const std::string& name_only, int tier,
                       model::Lang lang) {
    GroupWords w;
    w.head = (tier >= 2 ? name_only : title) + " · " + std::to_string(g.hosts());
    if (tier == 0) w.head += std::string(" ") + tr(lang, TextId::hosts);
    for (int i = 0; i < model::kCellStateCount; ++i) {
        const auto s = static_cast<CellState>(i);
        if (g.counts[i] == 0 || (tier > 0 && s == CellState::ok)) continue;
        w.counts.emplace_back(std::to_string(g.counts[i]) + " " + cell_state_text(lang, s), s);
    }
    return w;
}

float group_heading_width(const Painter& p, const GroupWords& w) {
    float x = kHeadPad + kHeadMark + kHeadGap + p.measure(FontSize::Small, w.head).x;
    for (const auto& c : w.counts) x += kHeadGap + p.measure(FontSize::Small, c.first).x;
    return x + kHeadEnd;
}

void draw_group_heading(const Painter& p, ImVec2 a, ImVec2 b, const model::OverviewGroup& g, const GroupWords& w) {
    p.list()->AddRectFilled(a, b, theme::kTrack, 3.0f);
    const float h = b.y - a.y;
    const float mark = std::min(kHeadMark, std::max(4.0f, h - 6));
    draw_cell(p.list(), ImVec2(a.x + kHeadPad, a.y + (h - mark) * 0.5f), mark, g.worst);
    const float ty = a.y + (h - p.measure(FontSize::Small, w.head).y) * 0.5f;
    float x = a.x + kHeadPad + kHeadMark + kHeadGap;
    const float right = b.x - kHeadEnd + 1;
    p.text_fit(FontSize::Small, ImVec2(x, ty), std::max(8.0f, right - x), theme::kText, w.head);
    x += p.measure(FontSize::Small, w.head).x;
    for (const auto& c : w.counts) {
        const float cw = p.measure(FontSize::Small, c.first).x;
        x += kHeadGap;
        if (x + cw > right) break;  // measured to fit: only a narrower font than measured cuts here
        p.text(FontSize::Small, ImVec2(x, ty), count_ink(c.second), c.first);
        x += cw;
    }
}

}  // namespace vigil::ui
