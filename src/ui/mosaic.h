// The overview's marks: one host's cell (its state by colour AND by shape: a cross for DOWN, a
// bang for crit, a triangle for warn, a ring for stale, a dash for never heard, plain for ok) and
// one group's health line (worst state's mark, name, hosts, then a count per state in words).
#pragma once

#include "model/i18n.h"
#include "model/overview.h"
#include "ui/draw.h"

#include "imgui.h"

#include <string>
#include <utility>
#include <vector>

namespace vigil::ui {

// The fill of a cell in `state` (a pixel check reads it: crit is theme::kCrit).
ImU32 cell_colour(model::CellState state);

// A cell of side `size` at `min`.
void draw_cell(ImDrawList* list, ImVec2 min, float size, model::CellState state);

// "site A · 250 hosts · 2 DOWN · 3 CRIT · 240 OK" at `pos` within `width`, each count in its
// state's colour after the worst state's mark. Returns the text drawn.
std::string draw_group_line(const Painter& p, ImVec2 pos, float width, const model::OverviewGroup& group,
                            const std::string& title, model::Lang lang);

// A group's health line in words at `tier` (model::kHeadingTiers): its head ("site A · 250
// hosts", "site A · 250" or "A · 250") and its counts in words, each with its state. `title` is
// "site A" (or "All hosts", "no site"), `name_only` the line's title without the label's name.
struct GroupWords {
    std::string head;
    std::vector<std::pair<std::string, model::CellState>> counts;
    std::string text() const;  // all of it, joined with " · "
};
GroupWords group_words(const model::OverviewGroup& group, const std::string& title, const std::string& name_only, int tier,
                       model::Lang lang);

// The width an inline health line with these words takes (its mark, words and margins), and
// the line drawn inline at [min, max) on a quiet band, so it reads as a label, not a cell.
float group_heading_width(const Painter& p, const GroupWords& words);
void draw_group_heading(const Painter& p, ImVec2 min, ImVec2 max, const model::OverviewGroup& group, const GroupWords& words);

// A state's word on the wall ("DOWN", "CRIT", "WARN", "STALE", "no data", "OK").
const char* cell_state_text(model::Lang lang, model::CellState state);

}  // namespace vigil::ui
