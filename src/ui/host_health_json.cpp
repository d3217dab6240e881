// window.vigil's per-host health fields (see the header).
#include "ui/host_health_json.h"

namespace vigil::ui {

void add_host_health(nlohmann::json& state, const model::Fleet& fleet, const ScreenReport& report) {
    using nlohmann::json;
    json down = json::object(), labels = json::object();
    for (const auto& h : fleet.hosts()) {
        if (h.down && down.size() < kHealthHostsListed)
            down[h.id] = json{{"reason", h.down->reason}, {"since", h.down->since}};
        if (!h.labels.empty() && labels.size() < kHealthHostsListed) {
            json l = json::object();
            for (const auto& [name, value] : h.labels) l[name] = value;
            labels[h.id] = std::move(l);
        }
    }
    state["hostsDown"] = std::move(down);
    state["downCount"] = fleet.down_count();
    state["hostLabels"] = std::move(labels);
    json& tiles = state["tiles"];
    if (!tiles.is_array()) return;
    for (std::size_t i = 0; i < report.tiles.size() && i < tiles.size(); ++i) {
        tiles[i]["state"] = report.tiles[i].state;
        if (!report.tiles[i].text.empty()) tiles[i]["text"] = report.tiles[i].text;
    }
}

}  // namespace vigil::ui
