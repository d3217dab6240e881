// window.vigil's overview fields (see the header).
#include "ui/overview_json.h"

#include <cmath>

namespace vigil::ui {

void add_overview(nlohmann::json& state, const ScreenReport& r, double scale) {
    using nlohmann::json;
    const auto px = [&](float v) { return std::round(double{v} * scale * 10.0) / 10.0; };
    const auto rect = [&](json& j, const DesignRect& d) {
        j["x"] = px(d.x);
        j["y"] = px(d.y);
        j["w"] = px(d.w);
        j["h"] = px(d.h);
    };
    state["layout"] = r.layout;
    state["wallHosts"] = r.wall_hosts;
    // What this wall's counters, footer and ticker show (its filter applied; `alarms` and
    // `downCount` stay the whole fleet's).
    state["wallAlarms"] = r.alarms;
    state["wallAlarmsCrit"] = r.alarms_crit;
    state["wallAlarmsWarn"] = r.alarms_warn;
    state["wallDownCount"] = r.hosts_down;
    state["ticker"] = r.ticker;
    if (std::string(r.layout) != "overview") {
        state["overview"] = nullptr;
        return;
    }
    const ScreenReport::Overview& o = r.overview;
    json cells = json::array(), groups = json::array();
    for (const auto& g : o.groups) {
        json j{{"name", g.name}, {"text", g.text}, {"hosts", g.hosts}, {"worst", model::cell_state_word(g.worst)}};
        json counts = json::object();
        for (int i = 0; i < model::kCellStateCount; ++i) counts[model::cell_state_word(static_cast<model::CellState>(i))] = g.counts[i];
        j["counts"] = std::move(counts);
        rect(j, g.rect);
        groups.push_back(std::move(j));
    }
    for (const auto& c : o.cells) {
        json j{{"host", c.host->id}, {"state", model::cell_state_word(c.state)},
               {"group", c.group < o.groups.size() ? o.groups[c.group].name : std::string()}};
        rect(j, c.rect);
        cells.push_back(std::move(j));
    }
    state["overview"] = json{{"cellPx", o.cell}, {"gapPx", o.gap}, {"fits", o.fits}, {"belowMinimum", o.below_minimum},
                             {"groupBy", o.group_by}, {"attention", o.attention}, {"cells", std::move(cells)},
                             {"groups", std::move(groups)}};
}

}  // namespace vigil::ui
