// The overview's marks: one host's cell (its state by colour AND by shape: a cross for DOWN, a
// bang for crit, a triangle for warn, a ring for stale, a dash for never heard, plain for ok) and
// one group's health line (worst state's mark, name, hosts, then a count per state in words).
#pragma once

#include "model/i18n.h"
#include "model/overview.h"
#include "ui/draw.h"

#include "imgui.h"

#include <string>

namespace vigil::ui {

// The fill of a cell in `state` (a pixel check reads it: crit is theme::kCrit).
ImU32 cell_colour(model::CellState state);

// A cell of side `size` at `min`.
void draw_cell(ImDrawList* list, ImVec2 min, float size, model::CellState state);

// "site A · 250 hosts · 2 DOWN · 3 CRIT · 240 OK" at `pos` within `width`, each count in its
// state's colour after the worst state's mark. Returns the text drawn.
std::string draw_group_line(const Painter& p, ImVec2 pos, float width, const model::OverviewGroup& group,
                            const std::string& title, model::Lang lang);

// A state's word on the wall ("DOWN", "CRIT", "WARN", "STALE", "no data", "OK").
const char* cell_state_text(model::Lang lang, model::CellState state);

}  // namespace vigil::ui
