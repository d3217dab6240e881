// Wall profiles: config.json `walls` names several screens of one deployment (title, group-by
// label, label filter, metrics on the tiles, layout), one picked per screen with ?wall=NAME.
// Every key is checked; a bad one is an error naming it (model/config_error.h) and keeps its
// default, the profile's good keys still apply; but a bad filter shows no host (fails closed).
#pragma once

#include "model/config_error.h"
#include "protocol/messages.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vigil::model {

// auto: detail tiles while the fleet fits one page of them, the overview beyond; tiles: pages of
// detail tiles whatever the size (the screen before walls); overview: always the overview.
enum class WallLayout { automatic, tiles, overview };
const char* wall_layout_word(WallLayout layout);  // "auto", "tiles", "overview"

struct WallProfile {
    std::string name;      // "" = no profile picked
    std::string title;     // "" = config.json `title`
    std::string group_by;  // catalog label the overview groups by; "" = one group of all hosts
    // Only hosts whose label has one of the listed values are on this wall (every label listed
    // must match); empty = every host.
    std::vector<std::pair<std::string, std::vector<std::string>>> filter;
    // The filter (or the whole profile) had an error: the wall fails closed and shows no host (the
    // error is named on screen with the other config errors), rather than showing hosts of other
    // sites, or the whole fleet, because one rule or the filter itself could not be read.
    bool filter_error = false;
    std::vector<std::string> metrics;  // the tiles' rings (1 to 3 keys); empty = cpu, mem, temp or load1
    WallLayout layout = WallLayout::automatic;

    bool shows(const std::vector<std::pair<std::string, std::string>>& labels) const;
    // The host's value of group_by ("" when it has none).
    std::string group_of(const std::vector<std::pair<std::string, std::string>>& labels) const;

    static constexpr std::size_t kMaxWalls = 32;
    static constexpr std::size_t kMaxNameBytes = 64;
    static constexpr std::size_t kMaxLabelBytes = 64;
    static constexpr std::size_t kMaxFilterLabels = 16;
    static constexpr std::size_t kMaxFilterValues = 64;
    static constexpr std::size_t kMaxValueBytes = 256;
    static constexpr std::size_t kMaxMetrics = 3;
};

// config.json `walls`: an object of NAME -> profile. Errors go to `errors` with keys such as
// "walls.ops.layout"; at most `max_errors` are kept.
std::map<std::string, WallProfile> parse_walls(const nlohmann::json& v, std::vector<ConfigError>& errors,
                                               std::size_t max_errors);

}  // namespace vigil::model
