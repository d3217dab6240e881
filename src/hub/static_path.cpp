// Request target -> file under the static root, without path traversal.
#include "hub/static_path.h"

#include <filesystem>
#include <system_error>

namespace vigil::hub {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding; '+' stays '+' (it only means space in forms). Nothing on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) return std::nullopt;
        int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += char(hi * 16 + lo);
        i += 2;
    }
    return out;
}

}  // namespace

std::string_view target_path(std::string_view target) {
    auto end = target.find_first_of("?#");
    return end == std::string_view::npos ? target : target.substr(0, end);
}

std::optional<std::string> query_param(std::string_view target, std::string_view key) {
    auto q = target.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    auto query = target.substr(q + 1);
    if (auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        auto eq = pair.find('=');
        auto name = pair.substr(0, eq);
        if (name == key) return percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        query = query.substr(amp + 1);
    }
    return std::nullopt;
}

std::optional<std::string> relative_static_path(std::string_view target) {
    auto raw = target_path(target);
    if (raw.empty() || raw.front() != '/') return std::nullopt;
    auto decoded = percent_decode(raw);
    if (!decoded) return std::nullopt;
    const std::string& path = *decoded;
    if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) return std::nullopt;

    // Walk the segments: empty and "." segments vanish, ".." is refused outright (never resolved).
    std::string out;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        auto seg = std::string_view(path).substr(start, end - start);
        if (seg == "..") return std::nullopt;
        if (!seg.empty() && seg != ".") {
            if (!out.empty()) out += '/';
            out += seg;
        }
        start = end + 1;
    }
    if (out.empty() || path.back() == '/') out += out.empty() ? "index.html" : "/index.html";
    return out;
}

std::optional<std::string> resolve_static_file(const std::string& root, std::string_view target) {
    namespace fs = std::filesystem;
    auto rel = relative_static_path(target);
    if (!rel) return std::nullopt;
    std::error_code ec;
    fs::path canonical_root = fs::canonical(root, ec);
    if (ec) return std::nullopt;
    fs::path file = fs::canonical(canonical_root / *rel, ec);
    if (ec) return std::nullopt;
    if (fs::is_directory(file, ec)) file = fs::canonical(file / "index.html", ec);
    if (ec || !fs::is_regular_file(file, ec)) return std::nullopt;
    // A symlink inside the root may point anywhere: serve only what really lies under it.
    auto root_str = canonical_root.string();
    auto file_str = file.string();
    if (file_str.compare(0, root_str.size(), root_str) != 0 ||
        (file_str.size() > root_str.size() && file_str[root_str.size()] != '/' && root_str != "/"))
        return std::nullopt;
    return file_str;
}

}  // namespace vigil::hub
