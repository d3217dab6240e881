// MIME types and cache policy of the static page's files.
#include "hub/mime_types.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace vigil::hub {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

std::string_view base_name(std::string_view path) {
    auto slash = path.find_last_of('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string extension(std::string_view path) {
    auto name = base_name(path);
    auto dot = name.find_last_of('.');
    return dot == std::string_view::npos ? std::string() : lower(name.substr(dot + 1));
}

bool is_hex_run(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

}  // namespace

std::string_view mime_type_for(std::string_view path) {
    static const std::pair<const char*, const char*> table[] = {
        {"html", "text/html; charset=utf-8"},
        {"htm", "text/html; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"},
        {"mjs", "text/javascript; charset=utf-8"},
        {"wasm", "application/wasm"},  // required for WebAssembly.instantiateStreaming
        {"css", "text/css; charset=utf-8"},
        {"json", "application/json"},
        {"map", "application/json"},
        {"otf", "font/otf"},
        {"ttf", "font/ttf"},
        {"woff", "font/woff"},
        {"woff2", "font/woff2"},
        {"png", "image/png"},
        {"svg", "image/svg+xml"},
        {"ico", "image/x-icon"},
        {"txt", "text/plain; charset=utf-8"},
        {"data", "application/octet-stream"},
    };
    auto ext = extension(path);
    for (auto& [e, type] : table)
        if (ext == e) return type;
    return "application/octet-stream";
}

bool has_content_hash(std::string_view file_name) {
    // A run of at least 8 hex digits between separators ('.', '-', '_'), with at least one digit
    // and one letter among them so plain words ("deadbeef" aside) and numbers do not count.
    auto name = base_name(file_name);
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find_first_of(".-_", start);
        if (end == std::string_view::npos) end = name.size();
        auto part = name.substr(start, end - start);
        if (part.size() >= 8 && is_hex_run(part) && end != name.size()) {
            bool digit = std::any_of(part.begin(), part.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
            bool alpha = std::any_of(part.begin(), part.end(), [](unsigned char c) { return std::isalpha(c) != 0; });
            if (digit && alpha) return true;
        }
        start = end + 1;
    }
    return false;
}

std::string cache_control_for(std::string_view path) {
    auto name = lower(base_name(path));
    auto ext = extension(path);
    // build.json names the build a wall should run: never an old copy (web/vigil_loader.js).
    if (ext == "html" || ext == "htm" || name == "config.json" || name == "build.json") return "no-cache";
    if (has_content_hash(name)) return "public, max-age=31536000, immutable";
    return "public, max-age=60";
}

}  // namespace vigil::hub
