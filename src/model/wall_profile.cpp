// Wall profiles and their config keys (see the header).
#include "model/wall_profile.h"
#include "model/config_value.h"

#include <algorithm>

namespace vigil::model {

const char* wall_layout_word(WallLayout layout) {
    switch (layout) {
        case WallLayout::automatic: return "auto";
        case WallLayout::tiles: return "tiles";
        case WallLayout::overview: return "overview";
    }
    return "auto";
}

bool WallProfile::shows(const std::vector<std::pair<std::string, std::string>>& labels) const {
    if (filter_error) return false;
    for (const auto& rule : filter) {  // (a structured binding cannot be captured in C++17)
        auto it = std::find_if(labels.begin(), labels.end(), [&](const auto& l) { return l.first == rule.first; });
        if (it == labels.end() || std::find(rule.second.begin(), rule.second.end(), it->second) == rule.second.end()) return false;
    }
    return true;
}

std::string WallProfile::group_of(const std::vector<std::pair<std::string, std::string>>& labels) const {
    if (group_by.empty()) return {};
    for (const auto& [label, value] : labels)
        if (label == group_by) return value;
    return {};
}

namespace {

using nlohmann::json;

// The offending value as the error shows it: JSON text, cut short.
std::string shown(const json& v) { return shown_config_value(v); }

class Errors {
public:
    Errors(std::vector<ConfigError>& out, std::size_t max) : out_(out), max_(max) {}
    void add(std::string key, std::string message) {
        if (out_.size() < max_) out_.push_back({std::move(key), std::move(message)});
    }

private:
    std::vector<ConfigError>& out_;
    std::size_t max_;
};

// A non-empty string of at most max_bytes, else an error naming `key`.
bool short_text(Errors& e, const json& v, const std::string& key, std::size_t max_bytes, std::string& out) {
    if (!v.is_string() || v.get_ref<const std::string&>().empty() || v.get_ref<const std::string&>().size() > max_bytes) {
        e.add(key, "expected a string of 1 to " + std::to_string(max_bytes) + " bytes, got " + shown(v));
        return false;
    }
    out = v.get<std::string>();
    return true;
}

bool good_name(const std::string& name) {
    if (name.empty() || name.size() > WallProfile::kMaxNameBytes) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
}

// Any error in it sets w.filter_error: the wall then shows no host (see the header).
void read_filter(Errors& e, const json& v, const std::string& key, WallProfile& w) {
    const auto fail = [&](std::string k, std::string message) {
        w.filter_error = true;
        e.add(std::move(k), std::move(message));
    };
    if (!v.is_object()) return fail(key, "expected an object of label -> value or [values], got " + shown(v));
    if (v.size() > WallProfile::kMaxFilterLabels)
        return fail(key, "expected at most " + std::to_string(WallProfile::kMaxFilterLabels) + " labels, got " +
                              std::to_string(v.size()));
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string k = key + "." + it.key();
        if (it.key().empty() || it.key().size() > WallProfile::kMaxLabelBytes) {
            fail(k, "expected a label name of 1 to " + std::to_string(WallProfile::kMaxLabelBytes) + " bytes");
            continue;
        }
        std::vector<std::string> values;
        const json one = it->is_string() ? json::array({*it}) : *it;
        if (!one.is_array() || one.empty() || one.size() > WallProfile::kMaxFilterValues) {
            fail(k, "expected a string or an array of 1 to " + std::to_string(WallProfile::kMaxFilterValues) +
                         " strings, got " + shown(*it));
            continue;
        }
        bool ok = true;
        for (const auto& value : one) {
            std::string s;
            if (!short_text(e, value, k, WallProfile::kMaxValueBytes, s)) {
                ok = false;
                break;
            }
            values.push_back(std::move(s));
        }
        // A half-read filter would show hosts the wall is not meant for: the rule is kept out and
        // the wall shows nothing until the filter is fixed.
        if (ok) w.filter.emplace_back(it.key(), std::move(values));
        else w.filter_error = true;
    }
}

void read_metrics(Errors& e, const json& v, const std::string& key, WallProfile& w) {
    if (!v.is_array() || v.empty() || v.size() > WallProfile::kMaxMetrics)
        return e.add(key, "expected an array of 1 to " + std::to_string(WallProfile::kMaxMetrics) +
                              " metric keys, got " + shown(v));
    std::vector<std::string> keys;
    for (const auto& m : v) {
        std::string s;
        if (!short_text(e, m, key, 64, s)) return;
        keys.push_back(std::move(s));
    }
    w.metrics = std::move(keys);
}

WallProfile read_wall(Errors& e, const std::string& name, const json& v) {
    WallProfile w;
    w.name = name;
    const std::string at = "walls." + name;
    if (!v.is_object()) {
        e.add(at, "expected an object, got " + shown(v));
        w.filter_error = true;  // which hosts it is for is unknown: none
        return w;
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string key = at + "." + it.key();
        if (it.key() == "title") short_text(e, *it, key, 200, w.title);
        else if (it.key() == "group_by") short_text(e, *it, key, WallProfile::kMaxLabelBytes, w.group_by);
        else if (it.key() == "filter") read_filter(e, *it, key, w);
        else if (it.key() == "metrics") read_metrics(e, *it, key, w);
        else if (it.key() == "layout") {
            const std::string s = it->is_string() ? it->get<std::string>() : std::string();
            if (s == "auto") w.layout = WallLayout::automatic;
            else if (s == "tiles") w.layout = WallLayout::tiles;
            else if (s == "overview") w.layout = WallLayout::overview;
            else e.add(key, "expected \"auto\", \"tiles\" or \"overview\", got " + shown(*it));
        } else e.add(key, "unknown key (ignored)");
    }
    return w;
}

}  // namespace

std::map<std::string, WallProfile> parse_walls(const json& v, std::vector<ConfigError>& errors, std::size_t max_errors) {
    Errors e(errors, max_errors);
    std::map<std::string, WallProfile> out;
    if (!v.is_object()) {
        e.add("walls", "expected an object of NAME -> profile, got " + shown(v));
        return out;
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!good_name(it.key())) {
            e.add("walls." + it.key().substr(0, 40), "expected a name of 1 to 64 letters, digits, '-', '_' or '.'");
            continue;
        }
        if (out.size() >= WallProfile::kMaxWalls) {
            e.add("walls", "more than " + std::to_string(WallProfile::kMaxWalls) + " walls: the rest ignored");
            break;
        }
        out.emplace(it.key(), read_wall(e, it.key(), *it));
    }
    return out;
}

}  // namespace vigil::model
