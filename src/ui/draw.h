// Small drawing helpers on an ImDrawList in design units: text in the screen's fonts, ring
// gauges, sparklines that never bridge gaps, flip-board digits, panels.
#pragma once

#include "model/flop_counter.h"
#include "model/series.h"
#include "ui/font_set.h"

#include "imgui.h"

#include <string>
#include <string_view>

namespace vigil::ui {

class Painter {
public:
    Painter(ImDrawList* list, const FontSet& fonts) : dl_(list), fonts_(fonts) {}

    ImDrawList* list() const { return dl_; }

    ImVec2 measure(FontSize size, std::string_view text) const;
    void text(FontSize size, ImVec2 pos, ImU32 colour, std::string_view text) const;
    void text_right(FontSize size, ImVec2 right_top, ImU32 colour, std::string_view text) const;
    void text_centred(FontSize size, ImVec2 centre, ImU32 colour, std::string_view text) const;
    // Cut with an ellipsis to fit max_width.
    void text_fit(FontSize size, ImVec2 pos, float max_width, ImU32 colour, std::string_view text) const;
    // What text_fit draws: the text, or as much of it as fits with an ellipsis.
    std::string fitted(FontSize size, float max_width, std::string_view text) const;

    void panel(ImVec2 min, ImVec2 max, ImU32 edge, float edge_width = 1.5f) const;

    // A ring from 12 o'clock, clockwise, filled to `fraction` (0..1) of a full turn.
    void ring(ImVec2 centre, float radius, float thickness, float fraction, ImU32 colour) const;

    // The window's runs as lines scaled into [min,max] (values v_lo..v_hi, times t_from..t_to).
    // Runs are never joined; a run of one point is a dot.
    void series(ImVec2 min, ImVec2 max, const model::SeriesWindow& window, double t_from, double t_to,
                double v_lo, double v_hi, ImU32 colour, float thickness) const;

    // Flip-board digits: each cell a card; rolling digits slide within it.
    void flop(FontSize size, ImVec2 pos, const std::vector<model::FlopCell>& cells, ImU32 colour,
              ImU32 card) const;

private:
    ImFont* font(FontSize size) const { return fonts_.font(size); }
    ImDrawList* dl_;
    const FontSet& fonts_;
};

}  // namespace vigil::ui
