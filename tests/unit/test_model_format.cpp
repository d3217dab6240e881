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
