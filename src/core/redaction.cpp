// URL credential redaction (see the header).
#include "core/redaction.h"

namespace vigil::core {

std::string redact_credentials(std::string_view url) {
    std::string out(url);
    // userinfo: between "://" and the first '@' before the path.
    if (const auto scheme = out.find("://"); scheme != std::string::npos) {
        const auto host = scheme + 3;
        const auto path = out.find_first_of("/?# \"'", host);
        const auto at = out.rfind('@', path == std::string::npos ? std::string::npos : path);
        if (at != std::string::npos && at >= host) out.replace(host, at - host, "***");
    }
    // Every token= (or access_token=) value after a '?' or '&', up to the next '&', '#', blank,
    // quote or bracket: the text may be a browser's message quoting the URL, and the page
    // percent-encodes those characters inside a token.
    for (std::size_t at = out.find_first_of("?&"); at != std::string::npos; at = out.find_first_of("?&", at + 1)) {
        for (const std::string_view name : {"token=", "access_token="}) {
            if (out.compare(at + 1, name.size(), name) != 0) continue;
            const auto value = at + 1 + name.size();
            const auto end = out.find_first_of("&# \"'()<>", value);
            out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
        }
    }
    return out;
}

}  // namespace vigil::core
