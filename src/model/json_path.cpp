// JSON-Pointer paths with a "*" wildcard (see the header).
#include "model/json_path.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace vigil::model {

using nlohmann::json;

bool JsonPath::has_wildcard() const {
    for (const auto& s : segments)
        if (s.wildcard) return true;
    return false;
}

std::optional<JsonPath> parse_json_path(std::string_view text, std::string& error) {
    JsonPath p;
    p.text = std::string(text);
    if (text.empty()) return p;
    if (text.size() > JsonPath::kMaxBytes) {
        error = "expected a path of at most " + std::to_string(JsonPath::kMaxBytes) + " bytes";
        return std::nullopt;
    }
    if (text[0] != '/') {
        error = "expected \"\" (the whole message) or a path starting with '/'";
        return std::nullopt;
    }
    std::size_t i = 1;
    while (true) {
        const std::size_t end = std::min(text.find('/', i), text.size());
        JsonPath::Segment seg;
        for (std::size_t k = i; k < end; ++k) {
            if (text[k] != '~') {
                seg.token += text[k];
                continue;
            }
            const char next = k + 1 < end ? text[k + 1] : '\0';
            if (next != '0' && next != '1') {
                error = "'~' must be followed by 0 (for '~') or 1 (for '/'), at byte " + std::to_string(k + 1);
                return std::nullopt;
            }
            seg.token += next == '0' ? '~' : '/';
            ++k;
        }
        // Only the bare "*" is the wildcard: "~2a" style escapes do not exist in RFC 6901.
        seg.wildcard = end - i == 1 && text[i] == '*';
        p.segments.push_back(std::move(seg));
        if (p.segments.size() > JsonPath::kMaxSegments) {
            error = "expected at most " + std::to_string(JsonPath::kMaxSegments) + " segments";
            return std::nullopt;
        }
        if (end == text.size()) break;
        i = end + 1;
    }
    return p;
}

namespace {

std::optional<std::size_t> array_index(const std::string& token) {
    if (token.empty() || token.size() > 9) return std::nullopt;
    if (token.size() > 1 && token[0] == '0') return std::nullopt;
    std::size_t n = 0;
    for (char c : token) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
}

const json* step(const json& node, const std::string& token) {
    if (node.is_object()) {
        auto it = node.find(token);
        return it == node.end() ? nullptr : &*it;
    }
    if (node.is_array()) {
        const auto n = array_index(token);
        return n && *n < node.size() ? &node[*n] : nullptr;
    }
    return nullptr;
}

struct Walk {
    const JsonPath& path;
    std::size_t max;
    std::size_t count_limit;
    const PathVisit& visit;
    std::size_t matched = 0;

    void go(const json& node, std::size_t depth, const std::string* member) {
        if (matched >= count_limit) return;
        if (depth == path.segments.size()) {
            if (matched++ < max) visit(node, member);
            return;
        }
        const auto& seg = path.segments[depth];
        if (!seg.wildcard) {
            if (const json* next = step(node, seg.token)) go(*next, depth + 1, member);
            return;
        }
        if (node.is_array()) {
            for (const auto& e : node) go(e, depth + 1, nullptr);
        } else if (node.is_object()) {
            for (auto it = node.begin(); it != node.end(); ++it) go(*it, depth + 1, &it.key());
        }
    }
};

}  // namespace

const json* resolve(const json& root, const JsonPath& path) {
    const json* node = &root;
    for (const auto& seg : path.segments) {
        if (seg.wildcard) return nullptr;
        node = step(*node, seg.token);
        if (!node) return nullptr;
    }
    return node;
}

std::size_t expand(const json& root, const JsonPath& path, std::size_t max, const PathVisit& visit,
                   std::size_t count_limit) {
    Walk w{path, max, count_limit, visit};
    w.go(root, 0, nullptr);
    return w.matched;
}

}  // namespace vigil::model
