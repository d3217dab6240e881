// Page config: every bad entry is an error naming its key, its default is kept, the rest applies.
#include <doctest/doctest.h>

#include "core/link_config.h"
#include "model/page_config.h"

#include <map>
#include <string>

using vigil::model::ConfigError;
using vigil::model::Lang;
using vigil::model::HeartbeatSettings;
using vigil::model::PageConfig;
using vigil::model::parse_page_config;

namespace {
const std::map<std::string, std::string> kNoQuery;

bool has_error(const PageConfig& c, const std::string& key) {
    for (const auto& e : c.errors)
        if (e.key == key) return true;
    return false;
}
}  // namespace

TEST_CASE("empty text gives the defaults and no error") {
    for (const char* text : {"", "  \n\t"}) {
        const PageConfig c = parse_page_config(text, kNoQuery);
        CHECK(c.errors.empty());
        CHECK(c.hub.empty());
        CHECK(c.title == "Vigil");
        CHECK(c.lang == Lang::en);
        CHECK(c.history_s == 600);
        CHECK(c.stale_after_intervals == 3);
        CHECK(c.rotate_s == 10);
        CHECK_FALSE(c.kiosk);
        CHECK_FALSE(c.debug);
        CHECK(c.watchdog_reload_s == 60);
        CHECK(c.hysteresis_pct == 5);
        CHECK(c.thresholds.empty());
    }
}

TEST_CASE("the heartbeat and backoff defaults are the connection core's own") {
    const PageConfig c = parse_page_config("", kNoQuery);
    const vigil::core::LinkConfig core;
    CHECK(c.heartbeat.ping_after_ms == core.ping_after_ms);
    CHECK(c.heartbeat.dead_after_ms == core.dead_after_ms);
    CHECK(c.backoff.base_ms == core.backoff.base_ms);
    CHECK(c.backoff.cap_ms == core.backoff.cap_ms);
}

TEST_CASE("a complete valid config applies every field") {
    const PageConfig c = parse_page_config(R"({
        "hub": "wss://hub.example/ws", "title": "机房 A", "lang": "zh-CN", "history_s": 3600,
        "stale_after_intervals": 5, "rotate_s": 15, "kiosk": true, "debug": true,
        "watchdog_reload_s": 0, "hysteresis_pct": 10,
        "heartbeat": {"ping_after_ms": 5000, "dead_after_ms": 15000},
        "backoff": {"base_ms": 500, "cap_ms": 30000},
        "thresholds": {"cpu": {"warn": 70, "crit": 90}, "disk_free": {"warn": 20, "crit": 10}}
    })", kNoQuery);
    CHECK(c.errors.empty());
    CHECK(c.hub == "wss://hub.example/ws");
    CHECK(c.title == "机房 A");
    CHECK(c.lang == Lang::zh_CN);
    CHECK(c.history_s == 3600);
    CHECK(c.stale_after_intervals == 5);
    CHECK(c.rotate_s == 15);
    CHECK(c.kiosk);
    CHECK(c.debug);
    CHECK(c.watchdog_reload_s == 0);
    CHECK(c.heartbeat.ping_after_ms == 5000);
    CHECK(c.heartbeat.dead_after_ms == 15000);
    CHECK(c.backoff.base_ms == 500);
    CHECK(c.backoff.cap_ms == 30000);
    REQUIRE(c.thresholds.count("cpu") == 1);
    CHECK(c.thresholds.at("cpu").warn == 70.0);
    CHECK(c.thresholds.at("disk_free").crit == 10.0);
    const auto rules = c.alarm_rules();
    CHECK(rules.hysteresis == doctest::Approx(0.10));
    CHECK(rules.overrides.size() == 2);
}

TEST_CASE("the shipped web/config.json shape parses without errors") {
    const PageConfig c = parse_page_config(R"({"hub": "", "title": "Vigil", "lang": "en", "history_s": 600})", kNoQuery);
    CHECK(c.errors.empty());
}

TEST_CASE("malformed JSON is one error for the whole file, and every default is kept") {
    const PageConfig c = parse_page_config(R"({"history_s": 900,)", kNoQuery);
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors[0].key == "config.json");
    CHECK(c.history_s == 600);
}

TEST_CASE("a document that is not an object is an error, and every default is kept") {
    const PageConfig c = parse_page_config("[1, 2]", kNoQuery);
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors[0] == ConfigError{"config.json", "expected a JSON object, got [1,2]"});
}

TEST_CASE("a wrong type names its key, keeps that default, and everything good still applies") {
    const PageConfig c = parse_page_config(R"({"history_s": "abc", "title": "Ops", "kiosk": "yes", "lang": 7, "hub": 5})",
                                           kNoQuery);
    CHECK(c.title == "Ops");
    CHECK(c.history_s == 600);
    CHECK_FALSE(c.kiosk);
    CHECK(c.lang == Lang::en);
    REQUIRE(c.errors.size() == 4);
    CHECK(c.errors[0].text() == "history_s: expected a number between 60 and 86400, got \"abc\"");
    CHECK(has_error(c, "kiosk"));
    CHECK(has_error(c, "lang"));
    CHECK(has_error(c, "hub"));
}

TEST_CASE("an out-of-range number names its key and keeps the default") {
    const PageConfig c = parse_page_config(
        R"({"history_s": 10, "stale_after_intervals": 0, "rotate_s": 1e9, "watchdog_reload_s": 5, "hysteresis_pct": -1})",
        kNoQuery);
    CHECK(c.history_s == 600);
    CHECK(c.stale_after_intervals == 3);
    CHECK(c.rotate_s == 10);
    CHECK(c.watchdog_reload_s == 60);
    CHECK(c.hysteresis_pct == 5);
    CHECK(c.errors.size() == 5);
    CHECK(c.errors[0].text() == "history_s: expected a number between 60 and 86400, got 10");
    CHECK(has_error(c, "watchdog_reload_s"));
}

TEST_CASE("unknown keys are reported with their full path and ignored") {
    const PageConfig c = parse_page_config(
        R"({"histroy_s": 900, "heartbeat": {"ping_ms": 1}, "backoff": {"jitter": 1}, "thresholds": {"cpu": {"warm": 1, "warn": 60}}})",
        kNoQuery);
    CHECK(has_error(c, "histroy_s"));
    CHECK(has_error(c, "heartbeat.ping_ms"));
    CHECK(has_error(c, "backoff.jitter"));
    CHECK(has_error(c, "thresholds.cpu.warm"));
    CHECK(c.errors.size() == 4);
    CHECK(c.thresholds.at("cpu").warn == 60.0);
    CHECK(c.history_s == 600);
}

TEST_CASE("a heartbeat that would declare a peer dead before pinging it is refused as a whole") {
    const PageConfig c = parse_page_config(R"({"heartbeat": {"ping_after_ms": 8000, "dead_after_ms": 4000}})", kNoQuery);
    CHECK(has_error(c, "heartbeat"));
    CHECK(c.heartbeat.ping_after_ms == HeartbeatSettings{}.ping_after_ms);
    CHECK(c.heartbeat.dead_after_ms == 9000);
    const PageConfig half = parse_page_config(R"({"heartbeat": {"ping_after_ms": "x", "dead_after_ms": 12000}})", kNoQuery);
    CHECK(has_error(half, "heartbeat.ping_after_ms"));
    CHECK(half.heartbeat.ping_after_ms == HeartbeatSettings{}.ping_after_ms);
    CHECK(half.heartbeat.dead_after_ms == 12000);
    CHECK(has_error(parse_page_config(R"({"heartbeat": 5})", kNoQuery), "heartbeat"));
}

TEST_CASE("a backoff whose cap is below its base is refused as a whole") {
    const PageConfig c = parse_page_config(R"({"backoff": {"base_ms": 5000, "cap_ms": 1000}})", kNoQuery);
    CHECK(has_error(c, "backoff"));
    CHECK(c.backoff.base_ms == 1000);
    CHECK(c.backoff.cap_ms == 1300);
}

TEST_CASE("thresholds: good fields apply, a bad field or entry is named by its path") {
    const PageConfig c = parse_page_config(
        R"({"thresholds": {"cpu": {"warn": "high", "crit": 97}, "mem": 5, "temp": {"warn": 70}}})", kNoQuery);
    CHECK(has_error(c, "thresholds.cpu.warn"));
    CHECK(has_error(c, "thresholds.mem"));
    CHECK(c.thresholds.at("cpu").crit == 97.0);
    CHECK_FALSE(c.thresholds.at("cpu").warn.has_value());
    CHECK(c.thresholds.count("mem") == 0);
    CHECK(c.thresholds.at("temp").warn == 70.0);
    CHECK(has_error(parse_page_config(R"({"thresholds": []})", kNoQuery), "thresholds"));
}

TEST_CASE("a title longer than 200 bytes is refused") {
    const std::string long_title(201, 'x');
    const PageConfig c = parse_page_config("{\"title\": \"" + long_title + "\"}", kNoQuery);
    CHECK(has_error(c, "title"));
    CHECK(c.title == "Vigil");
    const PageConfig q = parse_page_config("", {{"title", long_title}});
    CHECK(has_error(q, "?title"));
}

TEST_CASE("the URL query overrides the config: ?ws= ?lang= ?kiosk=1 ?debug=1 ?title=") {
    const PageConfig c = parse_page_config(R"({"hub": "ws://a/ws", "lang": "en", "title": "A", "kiosk": false})",
                                           {{"ws", "ws://b/ws"}, {"lang", "zh-CN"}, {"kiosk", "1"}, {"debug", ""},
                                            {"title", "B"}, {"token", "ignored here"}});
    CHECK(c.errors.empty());
    CHECK(c.hub == "ws://b/ws");
    CHECK(c.lang == Lang::zh_CN);
    CHECK(c.kiosk);
    CHECK(c.debug);
    CHECK(c.title == "B");
    CHECK_FALSE(parse_page_config(R"({"kiosk": true})", {{"kiosk", "0"}}).kiosk);
}

TEST_CASE("focus_host pins the focus panel; ?focus= wins, and an empty one rotates") {
    CHECK(parse_page_config("", kNoQuery).focus_host.empty());
    const PageConfig c = parse_page_config(R"({"focus_host": "db-1"})", kNoQuery);
    CHECK(c.errors.empty());
    CHECK(c.focus_host == "db-1");
    CHECK(parse_page_config(R"({"focus_host": "db-1"})", {{"focus", "web-2"}}).focus_host == "web-2");
    CHECK(parse_page_config(R"({"focus_host": "db-1"})", {{"focus", ""}}).focus_host.empty());
}

TEST_CASE("a focus_host that is not a string, or too long, is named and the panel keeps rotating") {
    const PageConfig c = parse_page_config(R"({"focus_host": 5, "rotate_s": 4})", kNoQuery);
    CHECK(c.focus_host.empty());
    CHECK(c.rotate_s == 4);
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors[0].text() == "focus_host: expected a string, got 5");
    CHECK(has_error(parse_page_config(R"({"focus_host": ["db-1"]})", kNoQuery), "focus_host"));
    const std::string long_id(PageConfig::kMaxHostIdBytes + 1, 'h');
    CHECK(has_error(parse_page_config("{\"focus_host\": \"" + long_id + "\"}", kNoQuery), "focus_host"));
    const PageConfig q = parse_page_config(R"({"focus_host": "db-1"})", {{"focus", long_id}});
    CHECK(has_error(q, "?focus"));
    CHECK(q.focus_host == "db-1");
}

TEST_CASE("a hub URL the link cannot use still passes through: the link shows why it fails") {
    CHECK(parse_page_config("", {{"ws", "not a url"}}).hub == "not a url");
    CHECK(parse_page_config("", {{"ws", "not a url"}}).errors.empty());
}

TEST_CASE("bad query values are errors named ?key, and the config's value stays") {
    const PageConfig c = parse_page_config(R"({"lang": "zh-CN"})", {{"lang", "fr"}, {"kiosk", "maybe"}});
    CHECK(c.lang == Lang::zh_CN);
    CHECK_FALSE(c.kiosk);
    REQUIRE(c.errors.size() == 2);
    CHECK(c.errors[0].text() == "?lang: expected \"en\" or \"zh-CN\", got \"fr\"");
    CHECK(c.errors[1].key == "?kiosk");
}

TEST_CASE("errors are bounded however bad the file is") {
    std::string text = "{";
    for (int i = 0; i < 100; ++i) text += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\": 1";
    text += "}";
    CHECK(parse_page_config(text, kNoQuery).errors.size() == PageConfig::kMaxErrors);
}

TEST_CASE("the wall's own keys: time zone, burn-in and new-build checks") {
    const PageConfig d = parse_page_config("", {});
    CHECK(d.time_zone.empty());
    CHECK(d.burn_in.period_s == 120);
    CHECK(d.burn_in.amplitude_px == 4);
    CHECK(d.update_check_s == 300);

    const PageConfig c = parse_page_config(
        R"({"time_zone": "Asia/Tokyo", "burn_in": {"period_s": 30, "amplitude_px": 2}, "update_check_s": 0})", {});
    CHECK(c.errors.empty());
    CHECK(c.time_zone == "Asia/Tokyo");
    CHECK(c.burn_in.period_s == 30);
    CHECK(c.burn_in.amplitude_px == 2);
    CHECK(c.update_check_s == 0);

    CHECK(parse_page_config(R"({"burn_in": false})", {}).burn_in.period_s == 0);

    const PageConfig bad = parse_page_config(
        R"({"time_zone": 5, "burn_in": {"period_s": -1, "amplitude_px": 99, "speed": 1}, "update_check_s": 3})", {});
    CHECK(has_error(bad, "time_zone"));
    CHECK(has_error(bad, "burn_in.period_s"));
    CHECK(has_error(bad, "burn_in.amplitude_px"));
    CHECK(has_error(bad, "burn_in.speed"));
    CHECK(has_error(bad, "update_check_s"));
    CHECK(bad.burn_in.period_s == 120);
    CHECK(bad.update_check_s == 300);
    CHECK(has_error(parse_page_config(R"({"burn_in": "yes"})", {}), "burn_in"));
}

TEST_CASE("the loader's keys in config.json (abort_reload_s, abort_reload_max_s) are known and checked") {
    const PageConfig c = parse_page_config(R"({"abort_reload_s": 2, "abort_reload_max_s": 60})", {});
    CHECK(c.errors.empty());  // not "unknown key": the loader reads them
    CHECK(c.abort_reload_s == 2);
    CHECK(c.abort_reload_max_s == 60);
    const PageConfig bad = parse_page_config(R"({"abort_reload_s": 0, "abort_reload_max_s": "300"})", {});
    CHECK(has_error(bad, "abort_reload_s"));
    CHECK(has_error(bad, "abort_reload_max_s"));
    CHECK(bad.abort_reload_s == 5);
    CHECK(bad.abort_reload_max_s == 300);
}
