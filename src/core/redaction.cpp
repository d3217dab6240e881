// URL credential redaction (see the header).
#include "core/redaction.h"

namespace vigil::core {

std::string redact_credentials(std::string_view url) {
    std::string out(url);
    // userinfo: between "://" and the first '@' before the path.
    if (const auto scheme = out.find("://"); scheme != std::string::npos) {
        const auto host = scheme + 3;
        const auto path = out.find_first_of("/?#", host);
        const auto at = out.rfind('@', path == std::string::npos ? std::string::npos : path);
        if (at != std::string::npos && at >= host) out.replace(host, at - host, "***");
    }
    // Every token= (or access_token=) value in the query, up to the next '&' or '#'.
    const auto query = out.find('?');
    if (query == std::string::npos) return out;
    for (auto at = query; at < out.size();) {
        const auto key = at + 1;
        const auto eq = out.find('=', key);
        const auto next = out.find_first_of("&#", key);
        if (eq != std::string::npos && (next == std::string::npos || eq < next)) {
            const auto name = std::string_view(out).substr(key, eq - key);
            if (name == "token" || name == "access_token") {
                const auto end = next == std::string::npos ? out.size() : next;
                out.replace(eq + 1, end - eq - 1, "***");
            }
        }
        at = out.find_first_of("&#", key);
        if (at == std::string::npos || out[at] == '#') break;
    }
    return out;
}

}  // namespace vigil::core
