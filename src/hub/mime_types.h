// What the static server says about a file: its MIME type and how long browsers may cache it.
// Pure string functions (unit-tested); the HTTP layer only copies their answers into headers.
#pragma once

#include <string>
#include <string_view>

namespace vigil::hub {

// MIME type by extension (case-insensitive); application/octet-stream when unknown.
std::string_view mime_type_for(std::string_view path);

// True when the file name carries a content hash (app.3f9a2b1c.js, font-5d41402abc4b.otf):
// such a file never changes under its name, so it may be cached for good.
bool has_content_hash(std::string_view file_name);

// Cache-Control for a served file. The page (html) and config.json must be revalidated on every
// load, or a new deploy would show an old page against a new hub.
std::string cache_control_for(std::string_view path);

}  // namespace vigil::hub
