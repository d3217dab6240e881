// Text for numbers, ages and durations (see the header).
#include "model/format.h"

#include <cmath>
#include <cstdio>

namespace vigil::model {

std::string format_value(double value, const std::string& unit) {
    char buf[64];
    if (!std::isfinite(value)) return "—";
    if (unit == "B/s" || unit == "B") {
        static const char* prefixes[] = {"", "K", "M", "G", "T"};
        int i = 0;
        double v = value;
        while (std::fabs(v) >= 1000.0 && i < 4) {
            v /= 1000.0;
            ++i;
        }
        std::snprintf(buf, sizeof buf, i == 0 ? "%.0f %s%s" : "%.1f %s%s", v, prefixes[i], unit.c_str());
        return buf;
    }
    const double a = std::fabs(value);
    const char* fmt = a >= 100 ? "%.0f" : (a >= 10 ? "%.1f" : "%.2f");
    std::snprintf(buf, sizeof buf, fmt, value);
    std::string s(buf);
    if (!unit.empty()) s += (unit == "%" ? " %" : " " + unit);
    return s;
}

std::string format_age(double age_ms) {
    if (!(age_ms >= 1000.0)) return "now";
    const long s = static_cast<long>(age_ms / 1000.0);
    char buf[48];
    if (s < 60) std::snprintf(buf, sizeof buf, "%ld s", s);
    else if (s < 3600) std::snprintf(buf, sizeof buf, "%ld min %ld s", s / 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld h %ld min", s / 3600, (s / 60) % 60);
    return buf;
}

}  // namespace vigil::model
