// Drawing helpers (see the header).
#include "ui/draw.h"

#include "ui/theme.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace vigil::ui {

constexpr float kPi = 3.14159265358979f;

ImVec2 Painter::measure(FontSize size, std::string_view t) const {
    ImFont* f = font(size);
    if (!f) return ImVec2(0, 0);
    return f->CalcTextSizeA(font_design_px(size), FLT_MAX, 0.0f, t.data(), t.data() + t.size());
}

void Painter::text(FontSize size, ImVec2 pos, ImU32 colour, std::string_view t) const {
    if (ImFont* f = font(size)) dl_->AddText(f, font_design_px(size), pos, colour, t.data(), t.data() + t.size());
}

void Painter::text_right(FontSize size, ImVec2 right_top, ImU32 colour, std::string_view t) const {
    text(size, ImVec2(right_top.x - measure(size, t).x, right_top.y), colour, t);
}

void Painter::text_centred(FontSize size, ImVec2 centre, ImU32 colour, std::string_view t) const {
    const ImVec2 s = measure(size, t);
    text(size, ImVec2(centre.x - s.x * 0.5f, centre.y - s.y * 0.5f), colour, t);
}

void Painter::text_fit(FontSize size, ImVec2 pos, float max_width, ImU32 colour, std::string_view t) const {
    if (measure(size, t).x <= max_width) return text(size, pos, colour, t);
    text(size, pos, colour, fitted(size, max_width, t));
}

std::string Painter::fitted(FontSize size, float max_width, std::string_view t) const {
    if (measure(size, t).x <= max_width) return std::string(t);
    // Cut at character boundaries (UTF-8 lead bytes) until it fits with the ellipsis.
    std::string cut(t);
    while (!cut.empty()) {
        // Drop the last character whole: its continuation bytes, then its lead (or ASCII) byte.
        while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.pop_back();
        if (!cut.empty()) cut.pop_back();
        if (measure(size, cut + "…").x <= max_width) break;
    }
    return cut + "…";
}

void Painter::panel(ImVec2 min, ImVec2 max, ImU32 edge, float edge_width) const {
    dl_->AddRectFilled(min, max, theme::kPanel, 6.0f);
    dl_->AddRect(min, max, edge, 6.0f, 0, edge_width);
}

void Painter::ring(ImVec2 c, float r, float thickness, float fraction, ImU32 colour) const {
    constexpr float kTop = -kPi / 2;
    dl_->AddCircle(c, r, theme::kTrack, 64, thickness);
    fraction = std::clamp(fraction, 0.0f, 1.0f);
    if (fraction <= 0.0f) return;
    dl_->PathArcTo(c, r, kTop, kTop + 2 * kPi * fraction, std::max(4, static_cast<int>(48 * fraction)));
    dl_->PathStroke(colour, 0, thickness);
}

void Painter::series(ImVec2 min, ImVec2 max, const model::SeriesWindow& w, double t_from, double t_to,
                     double v_lo, double v_hi, ImU32 colour, float thickness) const {
    if (w.points.empty() || !(t_to > t_from)) return;
    if (!(v_hi > v_lo)) v_hi = v_lo + 1;
    const auto x_of = [&](double t) { return min.x + static_cast<float>((t - t_from) / (t_to - t_from)) * (max.x - min.x); };
    const auto y_of = [&](double v) {
        const double f = std::clamp((v - v_lo) / (v_hi - v_lo), 0.0, 1.0);
        return max.y - static_cast<float>(f) * (max.y - min.y);
    };
    dl_->PushClipRect(min, max, true);
    for (const model::SeriesRun& run : w.runs) {
        if (run.size() == 1) {
            const auto& p = w.points[run.begin];
            dl_->AddCircleFilled(ImVec2(x_of(p.t), y_of(p.value)), thickness * 1.2f, colour);
            continue;
        }
        for (std::size_t i = run.begin; i < run.end; ++i)
            dl_->PathLineTo(ImVec2(x_of(w.points[i].t), y_of(w.points[i].value)));
        dl_->PathStroke(colour, 0, thickness);
    }
    dl_->PopClipRect();
}

void Painter::flop(FontSize size, ImVec2 pos, const std::vector<model::FlopCell>& cells, ImU32 colour,
                   ImU32 card) const {
    const ImVec2 digit = measure(size, "0");
    const float cell_w = digit.x + 10, cell_h = digit.y + 6;
    float x = pos.x;
    for (const model::FlopCell& c : cells) {
        if (!c.digit) {
            const char g[2] = {c.glyph, 0};
            const ImVec2 s = measure(size, g);
            text(size, ImVec2(x, pos.y + 3), colour, g);
            x += s.x + 4;
            continue;
        }
        const ImVec2 a(x, pos.y), b(x + cell_w, pos.y + cell_h);
        dl_->AddRectFilled(a, b, card, 4.0f);
        const int d = static_cast<int>(std::floor(c.position)) % 10;
        const float frac = static_cast<float>(c.position - std::floor(c.position));
        const char now[2] = {static_cast<char>('0' + d), 0};
        const char next[2] = {static_cast<char>('0' + (d + 1) % 10), 0};
        dl_->PushClipRect(a, b, true);
        text(size, ImVec2(x + 5, pos.y + 3 - frac * cell_h), colour, now);
        if (frac > 0.0f) text(size, ImVec2(x + 5, pos.y + 3 + (1.0f - frac) * cell_h), colour, next);
        dl_->PopClipRect();
        dl_->AddLine(ImVec2(a.x, (a.y + b.y) * 0.5f), ImVec2(b.x, (a.y + b.y) * 0.5f), theme::rgba(0, 0, 0, 90), 1.5f);
        x += cell_w + 4;
    }
}

}  // namespace vigil::ui
