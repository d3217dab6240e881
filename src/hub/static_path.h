// Maps a request target ("/app.js?v=2") to a file under the static root, refusing anything
// that could leave it (.., encoded slashes, NUL). Pure for the string part; the file check
// (canonical path still under the root, so symlinks cannot escape) lives beside it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::hub {

// The decoded path relative to the root ("index.html" for "/" and for "dir/"), or nothing when
// the target is malformed or tries to escape.
std::optional<std::string> relative_static_path(std::string_view target);

// The target without its query string and fragment.
std::string_view target_path(std::string_view target);

// The value of `key` in the target's query string (percent-decoded), if present.
std::optional<std::string> query_param(std::string_view target, std::string_view key);

// The full path of an existing regular file under `root` for `target`, or nothing.
std::optional<std::string> resolve_static_file(const std::string& root, std::string_view target);

}  // namespace vigil::hub
