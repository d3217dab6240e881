// A backend of one's own (config.json `source`): paths with escapes and wildcards, the three message
// shapes, the alive rules, bad mappings named by key, bad messages counted without losing good hosts.
#include <doctest/doctest.h>

#include "model/json_path.h"
#include "model/page_config.h"
#include "model/source_feed.h"
#include "model/source_mapping.h"
#include "model/source_time.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

using namespace vigil::model;
using nlohmann::json;

namespace {

SourceConfig source(const std::string& text, std::vector<ConfigError>* errors_out = nullptr) {
    std::vector<ConfigError> errors;
    SourceConfig c = parse_source_config(json::parse(text), errors);
    if (errors_out) *errors_out = errors;
    else CHECK_MESSAGE(errors.empty(), (errors.empty() ? "" : errors[0].text()));
    return c;
}

bool has_error(const std::vector<ConfigError>& errors, const std::string& key) {
    for (const auto& e : errors)
        if (e.key == key) return true;
    return false;
}

JsonPath path(const std::string& text) {
    std::string why;
    auto p = parse_json_path(text, why);
    REQUIRE_MESSAGE(p.has_value(), why);
    return *p;
}

double value(const vigil::protocol::HostSamples& h, const std::string& key) {
    for (const auto& [k, v] : h.values)
        if (k == key) return v;
    FAIL("no value " << key << " for " << h.host);
    return 0;
}

}  // namespace

TEST_CASE("paths follow RFC 6901: \"\" is the document, ~1 is '/', ~0 is '~', array indexes are decimal") {
    const json doc = json::parse(R"({"a/b": {"m~n": [10, 20, 30]}, "": 5, "x": {"01": 1}})");
    CHECK(*resolve(doc, path("")) == doc);
    CHECK(*resolve(doc, path("/a~1b/m~0n/1")) == 20);
    CHECK(*resolve(doc, path("/")) == 5);  // the member named ""
    CHECK(resolve(doc, path("/a~1b/m~0n/01")) == nullptr);  // leading zero: not an index
    CHECK(resolve(doc, path("/a~1b/m~0n/3")) == nullptr);
    CHECK(resolve(doc, path("/a~1b/m~0n/-")) == nullptr);
    CHECK(*resolve(doc, path("/x/01")) == 1);  // an object member may be called "01"
    CHECK(resolve(doc, path("/nope/deeper")) == nullptr);
    CHECK(resolve(doc, path("/a~1b/m~0n/0/deeper")) == nullptr);  // a number has no members
}

TEST_CASE("bad paths are refused with the reason") {
    std::string why;
    CHECK_FALSE(parse_json_path("servers", why));
    CHECK(why.find("starting with '/'") != std::string::npos);
    CHECK_FALSE(parse_json_path("/a~2", why));
    CHECK(why.find("'~' must be followed by 0") != std::string::npos);
    CHECK_FALSE(parse_json_path("/a~", why));
    CHECK_FALSE(parse_json_path("/" + std::string(300, 'a'), why));
    std::string deep;
    for (int i = 0; i < 17; ++i) deep += "/a";
    CHECK_FALSE(parse_json_path(deep, why));
    CHECK(why.find("16 segments") != std::string::npos);
}

TEST_CASE("a '*' expands arrays and objects, nested, in document order, bounded") {
    const json doc = json::parse(R"({"dc": {"a": {"s": [{"n": 1}, {"n": 2}]}, "b": {"s": [{"n": 3}]}}})");
    std::vector<int> seen;
    std::vector<std::string> members;
    const auto n = expand(doc, path("/dc/*/s/*/n"), 10, [&](const json& v, const std::string* member) {
        seen.push_back(v.get<int>());
        members.push_back(member ? *member : "-");
    });
    CHECK(n == 3);
    CHECK(seen == std::vector<int>{1, 2, 3});
    CHECK(members == std::vector<std::string>{"-", "-", "-"});  // the last '*' matched array elements
    members.clear();
    expand(doc, path("/dc/*"), 10, [&](const json&, const std::string* member) { members.push_back(*member); });
    CHECK(members == std::vector<std::string>{"a", "b"});
    seen.clear();
    CHECK(expand(doc, path("/dc/*/s/*/n"), 2, [&](const json& v, const std::string*) { seen.push_back(v.get<int>()); }) == 3);
    CHECK(seen.size() == 2);  // visits stop at max; the count says how many there were
    CHECK(path("/a/*").has_wildcard());
    CHECK_FALSE(path("/a/~1*").has_wildcard());  // only a bare '*' is the wildcard
}

TEST_CASE("shape 1: an array of servers, with the time in ms") {
    const SourceConfig c = source(R"({"url": "ws://backend:8080/stream", "hosts": "/servers/*", "id": "/name",
        "values": {"cpu": "/cpu", "mem": "/memory/used_pct"}, "time": "/ts", "time_unit": "ms",
        "heartbeat": {"send": "ping", "every_ms": 20000}, "alive": {"text": "pong"}, "interval_ms": 1000})");
    CHECK(c.usable);
    CHECK(c.heartbeat_send == "ping");
    CHECK(c.dead_after() == 60000);
    const SourceMessage m = map_source_message(c, R"({"ts": 1700000000123, "servers": [
        {"name": "db-01", "cpu": 12.5, "memory": {"used_pct": 40}}, {"name": "web-01", "cpu": 3}]})");
    CHECK_FALSE(m.unmatched);
    CHECK(m.problem.empty());
    REQUIRE(m.hosts.size() == 2);
    CHECK(m.hosts[0].host == "db-01");
    CHECK(value(m.hosts[0], "cpu") == 12.5);
    CHECK(value(m.hosts[0], "mem") == 40);
    CHECK(m.hosts[1].host == "web-01");
    CHECK(m.hosts[1].values.size() == 1);  // no memory: that metric has no reading, nothing skipped
    CHECK(m.skipped_values == 0);
    REQUIRE(m.time_ms);
    CHECK(*m.time_ms == 1700000000123.0);
}

TEST_CASE("shape 2: an object keyed by host name, id \"@key\", time in seconds") {
    const SourceConfig c = source(R"({"url": "wss://b/x", "hosts": "/hosts/*", "id": "@key",
        "values": {"cpu": "/load/cpu"}, "time": "/t", "time_unit": "s"})");
    CHECK(c.usable);
    const SourceMessage m = map_source_message(c, R"({"t": 1700000000.5, "hosts": {"db-01": {"load": {"cpu": 7}}, "a/b": {"load": {"cpu": 8}}}})");
    REQUIRE(m.hosts.size() == 2);
    CHECK(m.hosts[0].host == "a/b");  // nlohmann orders members by name
    CHECK(m.hosts[1].host == "db-01");
    CHECK(value(m.hosts[1], "cpu") == 7);
    CHECK(*m.time_ms == 1700000000500.0);
}

TEST_CASE("shape 3: one message per host, hosts \"\"; a numeric id becomes its text; time in us and ns") {
    SourceConfig c = source(R"({"url": "ws://b/", "hosts": "", "id": "/host", "values": {"cpu": "/cpu"}, "time": "/ts", "time_unit": "us"})");
    SourceMessage m = map_source_message(c, R"({"host": "db-01", "cpu": 1.5, "ts": 1700000000123456})");
    REQUIRE(m.hosts.size() == 1);
    CHECK(m.hosts[0].host == "db-01");
    CHECK(*m.time_ms == doctest::Approx(1700000000123.456));
    m = map_source_message(c, R"({"host": 42, "cpu": 2})");
    REQUIRE(m.hosts.size() == 1);
    CHECK(m.hosts[0].host == "42");
    CHECK_FALSE(m.time_ms);  // no time: the page stamps it on arrival
    c = source(R"({"url": "ws://b/", "hosts": "", "id": "/host", "values": {"cpu": "/cpu"}, "time": "/ts", "time_unit": "ns"})");
    CHECK(*map_source_message(c, R"({"host": "h", "cpu": 2, "ts": 1700000000123000000})").time_ms == doctest::Approx(1700000000123.0));
}

TEST_CASE("alive rules: an exact text, a field equal to a value, or any message") {
    SourceConfig c = source(R"({"url": "ws://b/", "hosts": "", "id": "/host", "values": {"cpu": "/cpu"},
        "heartbeat": {"send": "ping", "every_ms": 1000}, "alive": {"text": "pong"}})");
    SourceMessage m = map_source_message(c, "pong");
    CHECK(m.alive);
    CHECK_FALSE(m.unmatched);  // the reply is not a bad data message
    m = map_source_message(c, R"({"host": "h", "cpu": 1})");
    CHECK_FALSE(m.alive);  // data does not prove the heartbeat answered
    CHECK(m.hosts.size() == 1);
    CHECK(map_source_message(c, "pong ").unmatched);

    c = source(R"({"url": "ws://b/", "hosts": "", "id": "/host", "values": {"cpu": "/cpu"},
        "heartbeat": {"send": "{\"type\":\"ping\"}", "every_ms": 1000}, "alive": {"field": "/type", "equals": "pong"}})");
    m = map_source_message(c, R"({"type": "pong", "at": 5})");
    CHECK(m.alive);
    CHECK_FALSE(m.unmatched);
    m = map_source_message(c, R"({"type": "data", "host": "h", "cpu": 1})");
    CHECK_FALSE(m.alive);
    CHECK(m.hosts.size() == 1);

    c = source(R"({"url": "ws://b/", "hosts": "", "id": "/host", "values": {"cpu": "/cpu"}, "alive": {"any": true}})");
    CHECK(map_source_message(c, R"({"host": "h", "cpu": 1})").alive);
    CHECK(map_source_message(c, "not json").alive);
    CHECK(c.dead_after() == 30000);  // no heartbeat: a long silence, after STALE
}

TEST_CASE("bad mappings are named by key; a missing or bad hosts, id, url or values makes the source unusable") {
    std::vector<ConfigError> e;
    SourceConfig c = source(R"({"hosts": "/servers/*"})", &e);
    CHECK_FALSE(c.usable);
    CHECK(has_error(e, "source.url"));
    CHECK(has_error(e, "source.id"));
    CHECK(has_error(e, "source.values"));

    c = source(R"({"url": "http://b/", "hosts": "servers", "id": 5, "values": {"cpu": "/cpu/*", "mem": 3}})", &e);
    CHECK_FALSE(c.usable);
    CHECK(has_error(e, "source.url"));
    CHECK(has_error(e, "source.hosts"));
    CHECK(has_error(e, "source.id"));
    CHECK(has_error(e, "source.values.cpu"));  // a wildcard is only for hosts
    CHECK(has_error(e, "source.values.mem"));
    CHECK(has_error(e, "source.values"));      // none left

    c = source(R"({"url": "ws://b/", "hosts": "/servers", "id": "@key", "values": {"cpu": "/cpu"}})", &e);
    CHECK_FALSE(c.usable);
    CHECK(has_error(e, "source.id"));  // @key needs a wildcard to take the name from

    // Errors in optional keys keep their defaults and leave the source usable.
    c = source(R"({"url": "ws://b/", "hosts": "/s/*", "id": "/n", "values": {"cpu": "/cpu"}, "time_unit": "h",
        "interval_ms": 5, "heartbeat": {"every_ms": "x", "bogus": 1}, "alive": {"text": "a", "any": true}, "extra": 1})", &e);
    CHECK(c.usable);
    for (const char* key : {"source.time_unit", "source.interval_ms", "source.heartbeat.every_ms", "source.heartbeat.bogus",
                            "source.alive", "source.extra"})
        CHECK_MESSAGE(has_error(e, key), key);
    CHECK(c.interval_ms == 1000);
    CHECK(c.time_to_ms == 1);

    c = source(R"("ws://b/")", &e);
    CHECK_FALSE(c.usable);
    CHECK(has_error(e, "source"));
}

TEST_CASE("config.json's source section reaches the page config; its errors are the page's config errors") {
    const PageConfig p = parse_page_config(R"({"title": "T", "source": {"url": "ws://b/", "hosts": "/s/*", "id": "/n",
        "values": {"cpu": 7}}})", {});
    CHECK(p.title == "T");
    CHECK(p.source.present);
    CHECK_FALSE(p.source.usable);
    REQUIRE(p.errors.size() >= 1);
    CHECK(p.errors[0].key == "source.values.cpu");
    CHECK_FALSE(parse_page_config("{}", {}).source.present);
}

TEST_CASE("a message that does not match is counted with its reason; good hosts in the same message still count") {
    const SourceConfig c = source(R"({"url": "ws://b/", "hosts": "/servers/*", "id": "/name", "values": {"cpu": "/cpu", "mem": "/mem"}, "time": "/ts"})");
    SourceMessage m = map_source_message(c, "{not json");
    CHECK(m.unmatched);
    CHECK(m.problem == "not JSON");
    m = map_source_message(c, R"({"other": []})");
    CHECK(m.unmatched);
    CHECK(m.problem == "nothing at /servers/*");
    m = map_source_message(c, R"({"servers": []})");
    CHECK(m.unmatched);
    m = map_source_message(c, R"({"ts": "yesterday", "servers": [7, {"cpu": 1}, {"name": ["x"], "cpu": 1}, {"name": "", "cpu": 1},
        {"name": "nov", "cpu": "high"}, {"name": "ok", "cpu": 5, "mem": true}]})");
    CHECK_FALSE(m.unmatched);
    REQUIRE(m.hosts.size() == 1);
    CHECK(m.hosts[0].host == "ok");
    CHECK(value(m.hosts[0], "cpu") == 5);
    CHECK(m.skipped_hosts == 5);
    CHECK(m.skipped_values == 2);
    CHECK_FALSE(m.time_ms);
    CHECK(m.bad_time);
    CHECK(m.problem.find("time at /ts \"yesterday\": expected a date") == 0);
    m = map_source_message(c, R"({"servers": [{"cpu": 1}]})");
    CHECK(m.unmatched);
    CHECK(m.problem == "id at /name missing");
}

TEST_CASE("bounded: message bytes, hosts per message; values per host at the config") {
    const SourceConfig c = source(R"({"url": "ws://b/", "hosts": "/*", "id": "@key", "values": {"cpu": "/c"}})");
    const std::string big = "{\"a\":{\"c\":1},\"pad\":\"" + std::string(SourceConfig::kMaxMessageBytes, 'x') + "\"}";
    SourceMessage m = map_source_message(c, big);
    CHECK(m.unmatched);
    CHECK(m.problem.find("over the limit") != std::string::npos);
    json many = json::object();
    for (int i = 0; i < 600; ++i) many["h" + std::to_string(1000 + i)] = {{"c", i}};
    m = map_source_message(c, many.dump());
    CHECK(m.hosts.size() == SourceConfig::kMaxHostsPerMessage);
    CHECK(m.skipped_hosts == 600 - SourceConfig::kMaxHostsPerMessage);
    CHECK(m.problem.find("600 hosts in one message") != std::string::npos);
    json values = json::object();
    for (int i = 0; i < 33; ++i) values["k" + std::to_string(i)] = "/k";
    std::vector<ConfigError> e;
    const SourceConfig too_many = source(json{{"url", "ws://b/"}, {"hosts", ""}, {"id", "/n"}, {"values", values}}.dump(), &e);
    CHECK_FALSE(too_many.usable);
    CHECK(has_error(e, "source.values"));
}

TEST_CASE("the source feed applies mapped hosts as hub samples: values, per-host freshness, alarms from thresholds, LIVE data") {
    const SourceConfig c = source(R"({"url": "ws://b/", "hosts": "/servers/*", "id": "/name", "values": {"cpu": "/cpu"},
        "heartbeat": {"send": "ping", "every_ms": 1000}, "alive": {"text": "pong"}})");
    SourceFeed feed(c);
    Fleet fleet;
    fleet.set_interval_ms(1000);
    fleet.set_alarm_rules(AlarmRules{0.05, {{"cpu", Thresholds{50.0, 90.0}}}});
    ReplayProgress replay;
    replay.on_open(0);
    CHECK_FALSE(replay.live_data());
    CHECK_FALSE(feed.apply(R"({"servers": [{"name": "db-01", "cpu": 95}, {"name": "web-01", "cpu": 3}]})", false, 100, 1e12, fleet, replay));
    CHECK(replay.live_data());
    REQUIRE(fleet.hosts().size() == 2);
    CHECK(fleet.find("db-01")->latest.at("cpu") == 95);
    CHECK(fleet.alarms().counts().crit == 1);
    CHECK(feed.apply("pong", false, 200, 1e12 + 100, fleet, replay));  // the reply: alive, not data
    CHECK(feed.apply("x", true, 300, 1e12 + 200, fleet, replay) == false);  // binary: unmatched
    // web-01 goes quiet; db-01 keeps reporting: only web-01 is stale after 3 intervals.
    for (int i = 1; i <= 4; ++i)
        feed.apply(R"({"servers": [{"name": "db-01", "cpu": 10}]})", false, 100 + i * 1000.0, 1e12 + i * 1000.0, fleet, replay);
    CHECK(fleet.freshness(*fleet.find("db-01"), 4200).level == FreshnessLevel::fresh);
    CHECK(fleet.freshness(*fleet.find("web-01"), 4200).level == FreshnessLevel::stale);
    CHECK(feed.counts().messages == 7);
    CHECK(feed.counts().frames == 5);
    CHECK(feed.counts().alive == 1);
    CHECK(feed.counts().unmatched == 1);
    CHECK(feed.counts().last_problem.find("binary") != std::string::npos);
}

TEST_CASE("RFC 3339 times: Z, offsets, fractions, the space separator; exact Unix ms") {
    std::string why;
    const auto ms = [&](const char* text) {
        auto v = parse_rfc3339_ms(text, why);
        REQUIRE_MESSAGE(v.has_value(), text << ": " << why);
        return *v;
    };
    CHECK(ms("1970-01-01T00:00:00Z") == 0);
    CHECK(ms("2026-12-01T21:48:18Z") == 1796161698000.0);  // date -u -d 2026-12-01T21:48:18Z +%s
    CHECK(ms("2026-12-01t21:48:18z") == 1796161698000.0);
    CHECK(ms("2026-12-01 21:48:18Z") == 1796161698000.0);
    CHECK(ms("2026-12-01T22:48:18+01:00") == 1796161698000.0);
    CHECK(ms("2026-12-01T16:18:18-05:30") == 1796161698000.0);
    CHECK(ms("2026-12-01T21:48:18-00:00") == 1796161698000.0);  // "offset unknown": UTC
    CHECK(ms("2026-12-01T21:48:18.250Z") == 1796161698250.0);
    CHECK(ms("2026-12-01T21:48:18.5Z") == 1796161698500.0);
    CHECK(ms("2026-12-01T21:48:18.123456789Z") == doctest::Approx(1796161698123.456789));
    CHECK(ms("2024-02-29T00:00:00Z") == 1709164800000.0);  // a leap day
    CHECK(ms("2000-02-29T00:00:00Z") == 951782400000.0);   // 2000 is a leap year (400)
    CHECK(ms("1969-12-31T23:59:59Z") == -1000.0);
    CHECK(ms("2016-12-31T23:59:60Z") == 1483228800000.0);  // a leap second reads as the next second
}

TEST_CASE("RFC 3339 times are strict: each malformed text is refused with its reason") {
    const std::pair<const char*, const char*> bad[] = {
        {"", "expected a date"},
        {"2026-12-01", "expected 'T'"},
        {"2026-12-01T21:48Z", "expected a time of day"},
        {"2026-12-01T21:48:18", "no UTC offset"},
        {"2026-12-01T21:48:18.Z", "expected digits after '.'"},
        {"2026-12-01T21:48:18.1234567890Z", "more than 9 digits"},
        {"2026-12-01T21:48:18+0100", "expected an offset +hh:mm"},
        {"2026-12-01T21:48:18+01", "expected an offset +hh:mm"},
        {"2026-12-01T21:48:18+24:00", "offset out of range"},
        {"2026-12-01T21:48:18Z ", "unexpected text after the offset"},
        {"2026-12-01T21:48:18ZZ", "unexpected text after the offset"},
        {"2026-13-01T21:48:18Z", "month 13"},
        {"2026-00-01T21:48:18Z", "month 0"},
        {"2026-04-31T21:48:18Z", "day 31 of month 4"},
        {"2026-02-29T21:48:18Z", "day 29 of month 2"},  // 2026 is not a leap year
        {"1900-02-29T00:00:00Z", "day 29 of month 2"},  // nor is 1900 (100)
        {"2026-12-01T24:00:00Z", "time of day out of range"},
        {"2026-12-01T21:60:00Z", "time of day out of range"},
        {"2026-12-01T21:48:61Z", "time of day out of range"},
        {"2026-12-1T21:48:18Z", "expected a date"},
        {"+2026-12-01T21:48:18Z", "expected a date"},
        {"2026-12-01X21:48:18Z", "expected 'T'"},
        {"2026-12-01T21:48:18 +01:00", "expected 'Z' or an offset"},
        {"1796161698000", "expected a date"},
    };
    for (const auto& [text, reason] : bad) {
        std::string why;
        CHECK_MESSAGE(!parse_rfc3339_ms(text, why).has_value(), text);
        CHECK_MESSAGE(why.find(reason) == 0, text << ": " << why);
    }
}

TEST_CASE("a message's time may be RFC 3339 text (time_unit is for numbers); a malformed one is counted and named, the hosts kept at arrival time") {
    const SourceConfig c = source(R"({"url": "ws://b/", "hosts": "/servers/*", "id": "/name", "values": {"cpu": "/cpu"},
        "time": "/ts", "time_unit": "s"})");
    SourceMessage m = map_source_message(c, R"({"ts": "2026-12-01T22:48:18.250+01:00", "servers": [{"name": "a", "cpu": 1}]})");
    REQUIRE(m.time_ms);
    CHECK(*m.time_ms == 1796161698250.0);
    CHECK_FALSE(m.bad_time);
    CHECK(m.problem.empty());
    CHECK(*map_source_message(c, R"({"ts": 1796161698, "servers": [{"name": "a", "cpu": 1}]})").time_ms == 1796161698000.0);

    const double kNow = 1796161698000.0;  // the page's clock: 2026-12-01T21:48:18Z
    SourceFeed feed(c);
    Fleet fleet;
    fleet.set_interval_ms(1000);
    ReplayProgress replay;
    replay.on_open(0);
    feed.apply(R"({"ts": "2026-12-01T21:48:18", "servers": [{"name": "a", "cpu": 7}]})", false, 100, kNow, fleet, replay);
    CHECK(feed.counts().bad_times == 1);
    CHECK(feed.counts().last_problem == "time at /ts \"2026-12-01T21:48:18\": no UTC offset ('Z' or +hh:mm): a local time of an unknown zone");
    REQUIRE(fleet.find("a"));
    CHECK(fleet.find("a")->latest.at("cpu") == 7);  // the good values are not lost
    CHECK(feed.counts().frames == 1);
    feed.apply(R"({"ts": {"iso": "2026-12-01T21:48:18Z"}, "servers": [{"name": "a", "cpu": 8}]})", false, 1100, kNow + 1000, fleet, replay);
    CHECK(feed.counts().bad_times == 2);
    CHECK(feed.counts().last_problem.find("not a number or an RFC 3339 text") != std::string::npos);
    feed.apply(R"({"ts": "2026-12-01T21:48:19Z", "servers": [{"name": "a", "cpu": 9}]})", false, 2100, kNow + 2000, fleet, replay);
    CHECK(feed.counts().bad_times == 2);  // a good time is not counted
    CHECK(fleet.find("a")->latest.at("cpu") == 9);
}

// A feed with its times in ms at /ts, a fleet at a 1 s interval, and the page's clock at `now`.
struct MsTimeFeed {
    static constexpr double now = 1796161698000.0;
    SourceConfig config;
    SourceFeed feed;
    Fleet fleet;
    ReplayProgress replay;
    explicit MsTimeFeed(const std::string& hosts)
        : config(source(R"({"url": "ws://b/", "hosts": ")" + hosts +
                        R"(", "id": "/name", "values": {"cpu": "/cpu"}, "time": "/ts", "time_unit": "ms"})")),
          feed(config) {
        fleet.set_interval_ms(1000);
        replay.on_open(0);
    }
};

TEST_CASE("a message time over a day from the page's clock is a bad time: read at arrival, later values not frozen") {
    MsTimeFeed f("/servers/*");
    const double now = MsTimeFeed::now;
    auto& [config, feed, fleet, replay] = f;
    auto msg = [](double ts, int cpu) {
        return R"({"ts": )" + json(ts).dump() + R"(, "servers": [{"name": "a", "cpu": )" + std::to_string(cpu) + "}]}";
    };
    feed.apply(msg(now, 1), false, 100, now, fleet, replay);
    // Microseconds sent as ms: 1,000x ahead. Without the bound no later value would apply.
    feed.apply(msg(now * 1000, 2), false, 1100, now + 1000, fleet, replay);
    CHECK(feed.counts().bad_times == 1);
    CHECK(feed.counts().last_problem.find("over a day ahead of this page's clock") != std::string::npos);
    CHECK(fleet.find("a")->latest.at("cpu") == 2);  // read at arrival
    feed.apply(msg(now + 2000, 3), false, 2100, now + 2000, fleet, replay);
    CHECK(fleet.find("a")->latest.at("cpu") == 3);
    feed.apply(msg(1e300, 4), false, 3100, now + 3000, fleet, replay);
    feed.apply(msg(now / 1000, 5), false, 4100, now + 4000, fleet, replay);  // seconds as ms: 1970
    CHECK(feed.counts().bad_times == 3);
    feed.apply(msg(now + 5000, 6), false, 5100, now + 5000, fleet, replay);
    CHECK(fleet.find("a")->latest.at("cpu") == 6);
    // A backend clock an hour ahead is not refused: only unit mistakes and garbage are.
    feed.apply(msg(now + 3600e3, 7), false, 6100, now + 6000, fleet, replay);
    CHECK(feed.counts().bad_times == 3);
}

TEST_CASE("one message per host: a host whose clock runs ahead does not make the others' data look old") {
    MsTimeFeed f("");
    const double now = MsTimeFeed::now;
    auto& [config, feed, fleet, replay] = f;
    feed.apply(R"({"name": "ahead", "cpu": 1, "ts": )" + json(now + 30000).dump() + "}", false, 100, now, fleet, replay);
    for (int i = 1; i <= 10; ++i)
        feed.apply(R"({"name": "b", "cpu": 2, "ts": )" + json(now + i * 1000.0).dump() + "}", false, 100 + i * 1000.0,
                   now + i * 1000.0, fleet, replay);
    CHECK(fleet.head_local_ms() == 10100);  // the newest arrival, not the first (ahead) message's
}

TEST_CASE("a message nested deeper than 32 is refused before parsing (no recursion on input)") {
    const SourceConfig c = source(R"({"url": "ws://b/", "hosts": "/servers/*", "id": "/name", "values": {"cpu": "/cpu"}})");
    const std::string deep = "{\"servers\": " + std::string(200000, '[') + std::string(200000, ']') + "}";
    SourceMessage m = map_source_message(c, deep);
    CHECK(m.unmatched);
    CHECK(m.problem == "nested deeper than 32 arrays/objects");
    CHECK_FALSE(map_source_message(c, R"({"servers": [{"name": "a", "cpu": 1}]})").unmatched);
}
