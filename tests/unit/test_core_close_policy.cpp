// The close-code table, the hub's retry hint, and the maintenance spread.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "core/close_policy.h"
#include "fakes/fake_scheduler.h"

using namespace vigil::core;
using vigil::core::testing::FakeRandom;

TEST_CASE("1012 and 1013 mean maintenance; 1008, 4401 and 4403 mean unauthorized; the rest backs off") {
    CHECK(classify_close(1012) == CloseAction::Maintenance);
    CHECK(classify_close(1013) == CloseAction::Maintenance);
    CHECK(classify_close(1008) == CloseAction::Unauthorized);
    CHECK(classify_close(4401) == CloseAction::Unauthorized);
    CHECK(classify_close(4403) == CloseAction::Unauthorized);
    for (int code : {1000, 1001, 1006, 1009, 1011, 4000, 4001, 4008, 3000, 0, -1, 65535})
        CHECK(classify_close(code) == CloseAction::Backoff);
}

TEST_CASE("the retry hint is read from 'retry_ms=<n>' anywhere in the close reason") {
    CHECK(parse_retry_hint("retry_ms=1500") == 1500);
    CHECK(parse_retry_hint("restart; retry_ms=250 please") == 250);
    CHECK(parse_retry_hint("retry_ms=12.5") == 12.5);
    CHECK(parse_retry_hint("retry_ms=0") == 0);
    CHECK_FALSE(parse_retry_hint(""));
    CHECK_FALSE(parse_retry_hint("restart"));
    CHECK_FALSE(parse_retry_hint("retry_ms="));
    CHECK_FALSE(parse_retry_hint("retry_ms=-5"));
    CHECK_FALSE(parse_retry_hint("retry_ms=soon"));
    CHECK_FALSE(parse_retry_hint("retry_ms=1e999"));
}

TEST_CASE("a retry hint is clamped to ten minutes so a garbled one cannot park screens for days") {
    CHECK(parse_retry_hint("retry_ms=999999999999") == kMaxRetryHintMs);
    CHECK(maintenance_delay_ms(1e12, 0.0) == kMaxRetryHintMs);
}

TEST_CASE("maintenance waits uniformly over [hint, hint + max(1000, hint/2)]") {
    CHECK(maintenance_delay_ms(1500, 0.0) == 1500);
    CHECK(maintenance_delay_ms(1500, 0.5) == 2000);
    CHECK(maintenance_delay_ms(1500, 1.0) == 2500);
    CHECK(maintenance_delay_ms(10000, 1.0) == 15000);
    CHECK(maintenance_delay_ms(-3, 0.0) == 0);
    CHECK(maintenance_delay_ms(std::nan(""), 2.0) == 1000);
    CHECK(maintenance_delay_ms(0, std::nan("")) == 500);
}

TEST_CASE("a page only ever closes with 1000 or 3000-4999, which the browser accepts") {
    CHECK(page_may_send_close_code(1000));
    CHECK(page_may_send_close_code(4000));
    CHECK(page_may_send_close_code(3000));
    CHECK_FALSE(page_may_send_close_code(1001));
    CHECK_FALSE(page_may_send_close_code(1006));
    CHECK_FALSE(page_may_send_close_code(1012));
    CHECK_FALSE(page_may_send_close_code(5000));
}

TEST_CASE("a close is described with its code, a name and the hub's reason") {
    CHECK(describe_close(1012, "retry_ms=1500") == "1012 service restart: retry_ms=1500");
    CHECK(describe_close(1006, "") == "1006 connection lost");
    CHECK(describe_close(4999, "x") == "4999 closed: x");
    for (int code : {1000, 1001, 1008, 1009, 1011, 1013, 4000, 4001, 4008, 4401, 4403})
        CHECK(describe_close(code, "").find("closed") == std::string::npos);
}

TEST_CASE("over many seeds, screens leaving maintenance together spread over the whole window") {
    for (double hint : {0.0, 1500.0, 10000.0}) {
        CAPTURE(hint);
        FakeRandom random(static_cast<std::uint64_t>(hint) + 11);
        const double width = std::max(1000.0, hint / 2);
        double lo = 1e18, hi = -1;
        for (int i = 0; i < 5000; ++i) {
            const double d = maintenance_delay_ms(hint, random.uniform01());
            REQUIRE(d >= hint);
            REQUIRE(d <= hint + width);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
        CHECK(hi - lo > 0.99 * width);
    }
}
