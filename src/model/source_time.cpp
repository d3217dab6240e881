// RFC 3339 date-times to Unix ms (see the header).
#include "model/source_time.h"

#include <cstdint>

namespace vigil::model {
namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = unsigned((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + std::int64_t(doe) - 719468;
}

}  // namespace

std::optional<double> parse_rfc3339_ms(std::string_view s, std::string& why) {
    const auto refuse = [&](std::string reason) -> std::optional<double> {
        why = std::move(reason);
        return std::nullopt;
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!digits(s, 0, 4, y) || s.size() < 5 || s[4] != '-' || !digits(s, 5, 2, mo) || s.size() < 8 || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return refuse("expected a date YYYY-MM-DD first");
    if (s.size() < 11 || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        return refuse("expected 'T' and a time of day after the date");
    if (!digits(s, 11, 2, h) || s.size() < 14 || s[13] != ':' || !digits(s, 14, 2, mi) || s.size() < 17 ||
        s[16] != ':' || !digits(s, 17, 2, sec))
        return refuse("expected a time of day hh:mm:ss after 'T'");
    if (mo < 1 || mo > 12) return refuse("month " + std::to_string(mo));
    if (d < 1 || d > days_in_month(y, mo)) return refuse("day " + std::to_string(d) + " of month " + std::to_string(mo));
    // 60: a leap second (RFC 3339 allows it; without a table of them it reads as the next second).
    if (h > 23 || mi > 59 || sec > 60) return refuse("time of day out of range");
    std::size_t i = 19;
    double fraction_ms = 0;
    if (i < s.size() && s[i] == '.') {
        const std::size_t first = ++i;
        double scale = 100;  // ms per unit of the first digit
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (i - first >= 9) return refuse("more than 9 digits of fraction");
            fraction_ms += (s[i] - '0') * scale;
            scale /= 10;
            ++i;
        }
        if (i == first) return refuse("expected digits after '.'");
    }
    if (i == s.size()) return refuse("no UTC offset ('Z' or +hh:mm): a local time of an unknown zone");
    int offset_min = 0;
    if (s[i] == 'Z' || s[i] == 'z') {
        ++i;
    } else if (s[i] == '+' || s[i] == '-') {
        int oh = 0, om = 0;
        if (!digits(s, i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' || !digits(s, i + 4, 2, om))
            return refuse("expected an offset +hh:mm or -hh:mm");
        if (oh > 23 || om > 59) return refuse("offset out of range");
        offset_min = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
        i += 6;
    } else {
        return refuse("expected 'Z' or an offset +hh:mm after the time of day");
    }
    if (i != s.size()) return refuse("unexpected text after the offset");
    const std::int64_t seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    return double(seconds) * 1000 + fraction_ms;
}

}  // namespace vigil::model
