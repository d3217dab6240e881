// A gzip-encoded response body inflated (libdeflate), bounded: a small compressed body cannot grow
// past `max_bytes` (a "zip bomb" stops there with an error).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil::hub::scrape {

// false with `error` ("body over 8388608 bytes once inflated", "gzip: invalid ...") on failure.
bool gunzip_body(std::string_view compressed, std::size_t max_bytes, std::string* out, std::string* error);

}  // namespace vigil::hub::scrape
