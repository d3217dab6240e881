// JSON-Pointer paths (RFC 6901: "/servers/0/name", "~0" for '~', "~1" for '/') with one addition:
// a segment that is exactly "*" matches every element of an array or member of an object. Used
// by a page fed by a backend of its own (model/source_mapping.h). A member literally named "*"
// cannot be addressed (documented in README).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::model {

struct JsonPath {
    struct Segment {
        std::string token;  // unescaped
        bool wildcard = false;
    };
    std::vector<Segment> segments;  // empty: the whole document ("")
    std::string text;               // as written, for messages

    bool has_wildcard() const;

    static constexpr std::size_t kMaxBytes = 256;
    static constexpr std::size_t kMaxSegments = 16;
};

// "" or "/a/b~1c/*"; on failure nullopt and `error` says why ("expected \"\" or a path starting with '/'").
std::optional<JsonPath> parse_json_path(std::string_view text, std::string& error);

// The one value a path without wildcards names, or nullptr (absent, or a wildcard path).
// Array indexes are decimal without leading zeros, as RFC 6901 says ("-" names nothing).
const nlohmann::json* resolve(const nlohmann::json& root, const JsonPath& path);

// Every value the path names, in document order, each with the array index or member name the
// last wildcard matched (nullptr for an array element or without a wildcard). Stops after `max`
// calls; returns how many values matched in all, counted to at most `count_limit`.
using PathVisit = std::function<void(const nlohmann::json& value, const std::string* member)>;
std::size_t expand(const nlohmann::json& root, const JsonPath& path, std::size_t max, const PathVisit& visit,
                   std::size_t count_limit = 1 << 20);

}  // namespace vigil::model
