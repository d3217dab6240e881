// How the screen writes values and ages.
#include <doctest/doctest.h>

#include "model/format.h"

#include <cmath>

using vigil::model::format_age;
using vigil::model::format_value;

TEST_CASE("percentages keep a precision that fits their size") {
    CHECK(format_value(12.345, "%") == "12.3 %");
    CHECK(format_value(3.14159, "%") == "3.14 %");
    CHECK(format_value(100.0, "%") == "100 %");
}

TEST_CASE("byte rates are scaled to a readable prefix") {
    CHECK(format_value(512, "B/s") == "512 B/s");
    CHECK(format_value(3'200'000, "B/s") == "3.2 MB/s");
}

TEST_CASE("a value that is not finite is shown as a dash, never as a number") {
    CHECK(format_value(std::nan(""), "%") == "—");
    CHECK(format_value(INFINITY, "") == "—");
}

TEST_CASE("ages read naturally from seconds to hours") {
    CHECK(format_age(200) == "now");
    CHECK(format_age(37'000) == "37 s");
    CHECK(format_age(200'000) == "3 min 20 s");
    CHECK(format_age(7'500'000) == "2 h 5 min");
}

TEST_CASE("ages in Chinese use Chinese units") {
    using vigil::model::Lang;
    CHECK(format_age(200, Lang::zh_CN) == "刚刚");
    CHECK(format_age(37'000, Lang::zh_CN) == "37 秒");
    CHECK(format_age(200'000, Lang::zh_CN) == "3 分 20 秒");
    CHECK(format_age(7'500'000, Lang::zh_CN) == "2 小时 5 分");
}

TEST_CASE("a countdown rounds up so it never shows 0 s while there is still time to wait") {
    using vigil::model::format_duration;
    CHECK(format_duration(2'001) == "3 s");
    CHECK(format_duration(3'000) == "3 s");
    CHECK(format_duration(1) == "1 s");
    CHECK(format_duration(0) == "0 s");
    CHECK(format_duration(-5) == "0 s");
    CHECK(format_duration(65'000) == "1 min 5 s");
}

TEST_CASE("a last update under a second ago reads as 0 s, and nonsense ages do not crash") {
    using vigil::model::format_last_update;
    using vigil::model::Lang;
    CHECK(format_last_update(400, Lang::en) == "last update 0 s ago");
    CHECK(format_last_update(-50, Lang::en) == "last update 0 s ago");
    CHECK(format_last_update(std::nan(""), Lang::en) == "last update 0 s ago");
    CHECK(format_last_update(1e300, Lang::en).find("last update") == 0);
}

TEST_CASE("the clock shows hh:mm:ss at the page's UTC offset, across midnight and before 1970") {
    using vigil::model::format_clock;
    CHECK(format_clock(0, 0) == "00:00:00");
    CHECK(format_clock(1'764'138'000'000, 0) == "06:20:00");
    CHECK(format_clock(1'764'138'000'000, 480) == "14:20:00");    // UTC+8
    CHECK(format_clock(1'764'138'000'999, -420) == "23:20:00");   // UTC-7, the day before
    CHECK(format_clock(-1'000, 0) == "23:59:59");
}

TEST_CASE("percentages and byte rates have their own names") {
    CHECK(vigil::model::format_percent(55.55) == "55.5 %");
    CHECK(vigil::model::format_bytes_per_s(1'500) == "1.5 KB/s");
}

namespace {
int tokyo(std::int64_t) { return 9 * 60; }
int new_york_winter(std::int64_t) { return -5 * 60; }
}  // namespace

TEST_CASE("local clock and date follow the installed time zone, not the machine's") {
    using namespace vigil::model;
    const std::int64_t t = 1'764'633'600'000;  // 2025-12-02 00:00:00 UTC
    set_utc_offset_source(tokyo);
    CHECK(local_utc_offset_min(t) == 540);
    CHECK(format_local_clock(t) == "09:00:00");
    CHECK(format_local_date(t) == "2025-12-02");
    set_utc_offset_source(new_york_winter);
    CHECK(format_local_clock(t) == "19:00:00");
    CHECK(format_local_date(t) == "2025-12-01");  // still the day before there
    CHECK(format_local_date(951'782'400'000) == "2000-02-28");  // 2000-02-29 00:00 UTC, minus 5 h
    set_utc_offset_source(nullptr);
}
