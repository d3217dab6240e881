// Text the screen shows for numbers, ages, durations and the clock: one place, unit-tested.
#pragma once

#include "model/i18n.h"

#include <cstdint>
#include <string>

namespace vigil::model {

// "12.5 %", "3.2 MB/s", "41 °C": value with its unit, bytes scaled to a readable prefix;
// "—" for a value that is not finite.
std::string format_value(double value, const std::string& unit);
inline std::string format_percent(double value) { return format_value(value, "%"); }
inline std::string format_bytes_per_s(double value) { return format_value(value, "B/s"); }

// "now", "4 s", "3 min 20 s", "2 h 5 min" (zh-CN: "刚刚", "4 秒", "3 分 20 秒", "2 小时 5 分"):
// how long ago something happened, in whole elapsed seconds.
std::string format_age(double age_ms, Lang lang = Lang::en);

// "3 s", "1 min 5 s": a time still to wait, rounded up so a countdown never shows 0 early.
std::string format_duration(double ms, Lang lang = Lang::en);

// Whole phrases: "last update 37 s ago", "retry in 3 s", "in 3 s", "attempt 4", "page 2 / 5".
std::string format_last_update(double age_ms, Lang lang);
std::string format_retry_in(double ms, Lang lang);
std::string format_in(double ms, Lang lang);
std::string format_attempt(long attempt, Lang lang);
std::string format_page(int page_index, int pages, Lang lang);  // page_index from 0

// "hh:mm:ss" of a Unix time in ms at a UTC offset in minutes (the browser's, passed in).
std::string format_clock(std::int64_t unix_ms, int utc_offset_min);
// The same at the local time zone's offset for that instant (in the page: the browser's, or the
// config's time_zone: see set_utc_offset_source).
std::string format_local_clock(std::int64_t unix_ms);
// "2026-12-01": the local date of a Unix time in ms.
std::string format_local_date(std::int64_t unix_ms);

// Where "local" comes from: the UTC offset in minutes of an instant. The default asks the C
// library (in the page, Emscripten's libc asks the browser); the page installs its configured IANA
// zone's (Emscripten's libc has no tz database: the browser's Intl knows the zones). nullptr:
// back to the default.
using UtcOffsetSource = int (*)(std::int64_t unix_ms);
void set_utc_offset_source(UtcOffsetSource source);
int local_utc_offset_min(std::int64_t unix_ms);

// What a DOWN host's tile says: "UNREACHABLE: connection refused, since 10:41:07" (local time).
std::string format_unreachable(const std::string& reason, std::int64_t since_unix_ms, Lang lang);

}  // namespace vigil::model
