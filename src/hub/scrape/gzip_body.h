// A gzip-encoded response body inflated (libdeflate), bounded: a small compressed body cannot grow
// past `max_bytes` (a "zip bomb" stops there with an error).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::hub::scrape {

// The inflated bytes, the first ones of `room`, which is grown as needed and never shrunk nor
// cleared: one room reused for every body stays warm in the cache and is not zero-filled again.
// nullopt with `error` ("body over 8388608 bytes once inflated", "gzip: invalid ...") on failure.
std::optional<std::string_view> gunzip_body(std::string_view compressed, std::size_t max_bytes, std::string* room,
                                            std::string* error);

}  // namespace vigil::hub::scrape
