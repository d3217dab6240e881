// The default heartbeat text.
#include "core/link_config.h"

#include <cmath>
#include <cstdio>

namespace vigil::core {

std::string default_ping_text(double now_ms) {
    char number[64];
    std::snprintf(number, sizeof number, "%.3f", std::isfinite(now_ms) ? now_ms : 0.0);
    std::string t(number);
    while (!t.empty() && t.back() == '0') t.pop_back();
    if (!t.empty() && t.back() == '.') t.pop_back();
    return "{\"type\":\"ping\",\"t\":" + t + "}";
}

}  // namespace vigil::core
