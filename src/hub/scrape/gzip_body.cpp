// gzip inflation with a bound.
#include "hub/scrape/gzip_body.h"

#include <zlib.h>

namespace vigil::hub::scrape {

bool gunzip_body(std::string_view in, std::size_t max_bytes, std::string* out, std::string* error) {
    out->clear();
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {  // 16+: gzip framing, not raw zlib
        *error = "gzip: cannot start zlib";
        return false;
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    char chunk[16384];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            *error = std::string("gzip: ") + (z.msg ? z.msg : rc == Z_BUF_ERROR ? "body cut short" : "invalid data");
            inflateEnd(&z);
            return false;
        }
        const std::size_t produced = sizeof chunk - z.avail_out;
        if (out->size() + produced > max_bytes) {
            *error = "body over " + std::to_string(max_bytes) + " bytes once inflated";
            inflateEnd(&z);
            return false;
        }
        out->append(chunk, produced);
    }
    inflateEnd(&z);
    return true;
}

}  // namespace vigil::hub::scrape
