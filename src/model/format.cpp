// Text for numbers, ages, durations and the clock (see the header).
#include "model/format.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace vigil::model {

namespace {

// "37 s" / "3 min 20 s" / "2 h 5 min" for whole seconds.
std::string whole_seconds(long long s, Lang lang) {
    const char* sec = tr(lang, TextId::unit_seconds);
    const char* min = tr(lang, TextId::unit_minutes);
    const char* hrs = tr(lang, TextId::unit_hours);
    char buf[96];
    if (s < 60) std::snprintf(buf, sizeof buf, "%lld %s", s, sec);
    else if (s < 3600) std::snprintf(buf, sizeof buf, "%lld %s %lld %s", s / 60, min, s % 60, sec);
    else std::snprintf(buf, sizeof buf, "%lld %s %lld %s", s / 3600, hrs, (s / 60) % 60, min);
    return buf;
}

// Months of uptime fit easily; a nonsense input is clamped rather than overflowing.
long long clamp_seconds(double s) { return static_cast<long long>(std::fmin(std::fmax(s, 0.0), 1e12)); }

}  // namespace

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

std::string format_age(double age_ms, Lang lang) {
    if (!(age_ms >= 1000.0)) return tr(lang, TextId::just_now);
    return whole_seconds(clamp_seconds(std::floor(age_ms / 1000.0)), lang);
}

std::string format_duration(double ms, Lang lang) {
    if (!(ms > 0)) return whole_seconds(0, lang);
    return whole_seconds(clamp_seconds(std::ceil(ms / 1000.0)), lang);
}

std::string format_last_update(double age_ms, Lang lang) {
    // "0 s" rather than "now": "last update now ago" reads wrong in both languages.
    return fill(tr(lang, TextId::last_update_ago), whole_seconds(clamp_seconds(std::floor(age_ms / 1000.0)), lang));
}

std::string format_retry_in(double ms, Lang lang) { return fill(tr(lang, TextId::retry_in), format_duration(ms, lang)); }

std::string format_in(double ms, Lang lang) { return fill(tr(lang, TextId::in_duration), format_duration(ms, lang)); }

std::string format_attempt(long attempt, Lang lang) {
    return fill(tr(lang, TextId::attempt_n), std::to_string(attempt));
}

std::string format_page(int page_index, int pages, Lang lang) {
    return fill(tr(lang, TextId::page_n), std::to_string(page_index + 1) + " / " + std::to_string(pages));
}

std::string format_clock(std::int64_t unix_ms, int utc_offset_min) {
    constexpr std::int64_t kDayMs = 86'400'000;
    std::int64_t ms = (unix_ms + static_cast<std::int64_t>(utc_offset_min) * 60'000) % kDayMs;
    if (ms < 0) ms += kDayMs;  // before 1970 or a negative offset at midnight
    const std::int64_t s = ms / 1000;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                  static_cast<int>(s % 60));
    return buf;
}

namespace {
UtcOffsetSource g_offset_source = nullptr;  // the page's zone, when it installed one
}  // namespace

void set_utc_offset_source(UtcOffsetSource source) { g_offset_source = source; }

int local_utc_offset_min(std::int64_t unix_ms) {
    if (g_offset_source) return g_offset_source(unix_ms);
    const std::time_t t = static_cast<std::time_t>(unix_ms / 1000 - (unix_ms % 1000 < 0 ? 1 : 0));
    std::tm local{};
    if (!localtime_r(&t, &local)) return 0;
    return static_cast<int>(local.tm_gmtoff / 60);
}

std::string format_local_clock(std::int64_t unix_ms) {
    // The offset of that instant, not of now: an outage that began before a DST change keeps
    // the time the wall clock showed then.
    return format_clock(unix_ms, local_utc_offset_min(unix_ms));
}

std::string format_local_date(std::int64_t unix_ms) {
    constexpr std::int64_t kDayMs = 86'400'000;
    std::int64_t ms = unix_ms + static_cast<std::int64_t>(local_utc_offset_min(unix_ms)) * 60'000;
    std::int64_t days = ms / kDayMs - (ms % kDayMs < 0 ? 1 : 0);
    // Days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil, inverted).
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t doe = days - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const long long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", y, m, d);
    return buf;
}

std::string format_unreachable(const std::string& reason, std::int64_t since_unix_ms, Lang lang) {
    return fill(tr(lang, TextId::unreachable), reason) + ", " +
           fill(tr(lang, TextId::since_clock), format_local_clock(since_unix_ms));
}

}  // namespace vigil::model
