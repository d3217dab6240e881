// Wire protocol: every message survives encode -> decode, and every way a frame can be bad
// is refused with its stable kind, without throwing or recursing.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "protocol/decode.h"
#include "protocol/encode.h"

using namespace vigil::protocol;

namespace {

template <class M>
M hub_round_trip(const M& m) {
    const std::string text = encode(m);
    REQUIRE_FALSE(text.empty());
    DecodeResult r = decode_hub_message(text);
    if (auto* e = rejection_of(r)) FAIL("rejected: " << e->message << " in " << text);
    REQUIRE(std::holds_alternative<M>(r));
    return std::get<M>(r);
}

template <class M>
M client_round_trip(const M& m) {
    const std::string text = encode(m);
    REQUIRE_FALSE(text.empty());
    ClientDecodeResult r = decode_client_message(text);
    if (auto* e = rejection_of(r)) FAIL("rejected: " << e->message << " in " << text);
    REQUIRE(std::holds_alternative<M>(r));
    return std::get<M>(r);
}

RejectionKind hub_kind(std::string_view text, const DecodeLimits& limits = {}) {
    DecodeResult r = decode_hub_message(text, limits);
    const Rejection* e = rejection_of(r);
    REQUIRE_MESSAGE(e != nullptr, "accepted: " << text);
    CHECK_FALSE(e->message.empty());
    return e->kind;
}

RejectionKind client_kind(std::string_view text, const DecodeLimits& limits = {}) {
    ClientDecodeResult r = decode_client_message(text, limits);
    const Rejection* e = rejection_of(r);
    REQUIRE_MESSAGE(e != nullptr, "accepted: " << text);
    return e->kind;
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("every hub message round-trips through encode and decode_hub_message") {
    CHECK(hub_round_trip(Welcome{1, "e-8c1d2b000000", 1100, 12, "0.1.0", 1000}) ==
          Welcome{1, "e-8c1d2b000000", 1100, 12, "0.1.0", 1000});
    Catalog cat{{HostInfo{"local", "build-01",
                          {MetricInfo{"cpu", "CPU", "%", 80.0, 95.0},
                           MetricInfo{"net", "Network", "B/s", std::nullopt, std::nullopt}}},
                 HostInfo{"db", "数据库-01", {}}}};
    CHECK(hub_round_trip(cat) == cat);
    Samples s{1101, 1764138000000, {HostSamples{"local", {{"mem", 41.0}, {"cpu", 12.5}}},
                                    HostSamples{"db", {{"cpu", 0.1}, {"load", -3e-9}}}}};
    CHECK(hub_round_trip(s) == s);
    CHECK(hub_round_trip(Gap{1042, 1099}) == Gap{1042, 1099});
    CHECK(hub_round_trip(Live{1100}) == Live{1100});
    Alarm a{"local", "cpu", AlarmLevel::crit, 97.2, 1764138000000};
    CHECK(hub_round_trip(a) == a);
    CHECK(hub_round_trip(Pong{123456.7, 1764138000000}) == Pong{123456.7, 1764138000000});
    CHECK(hub_round_trip(Error{"bad_json", "expected an object"}) == Error{"bad_json", "expected an object"});
    CHECK(hub_round_trip(Shutdown{"restart", 1500}) == Shutdown{"restart", 1500});
    CHECK(hub_round_trip(Shutdown{"reconnect", 0, 3000}) == Shutdown{"reconnect", 0, 3000});
    // Without a handover the wire is as before (an old page's decoder ignores the new field anyway).
    CHECK(encode(Shutdown{"restart", 1500}).find("handover_ms") == std::string::npos);
}

TEST_CASE("every page message round-trips through encode and decode_client_message") {
    Hello resume{1, "0.1.0", "c-5f3a9e", ResumeCursor{"e-8c1d2b", 1041}, std::nullopt};
    CHECK(client_round_trip(resume) == resume);
    Hello history{1, "0.1.0", "c-5f3a9e", std::nullopt, 600.0};
    CHECK(client_round_trip(history) == history);
    Hello both{1, "", "", ResumeCursor{"e-1", 0}, 30.0};
    CHECK(client_round_trip(both) == both);
    CHECK(client_round_trip(Ping{123456.7}) == Ping{123456.7});
}

TEST_CASE("samples keep the hub's wire order of hosts and metrics") {
    auto r = decode_hub_message(R"({"type":"samples","seq":5,"t":1,"hosts":{"z":{"b":1,"a":2},"a":{"y":3}}})");
    REQUIRE(std::holds_alternative<Samples>(r));
    const auto& s = std::get<Samples>(r);
    REQUIRE(s.hosts.size() == 2);
    CHECK(s.hosts[0].host == "z");
    CHECK(s.hosts[0].values[0].first == "b");
    CHECK(s.hosts[1].host == "a");
}

TEST_CASE("the examples in PROTOCOL.md decode") {
    CHECK(std::holds_alternative<Hello>(decode_client_message(
        R"({"type":"hello","v":1,"build":"0.1.0","client":"c-5f3a9e","resume":{"epoch":"e-8c1d2b","seq":1041}})")));
    CHECK(std::holds_alternative<Hello>(decode_client_message(
        R"({"type":"hello","v":1,"build":"0.1.0","client":"c-5f3a9e","history_s":600})")));
    CHECK(std::holds_alternative<Ping>(decode_client_message(R"({"type":"ping","t":123456.7})")));
    CHECK(std::holds_alternative<Welcome>(decode_hub_message(
        R"({"type":"welcome","v":1,"epoch":"e-8c1d2b","head":1100,"oldest":12,"hub":"0.1.0","interval_ms":1000})")));
    auto cat = decode_hub_message(R"({"type":"catalog","hosts":[
  {"id":"local","name":"build-01","metrics":[
    {"key":"cpu","label":"CPU","unit":"%","warn":80,"crit":95},
    {"key":"mem","label":"Memory","unit":"%","warn":85,"crit":95}]}]})");
    REQUIRE(std::holds_alternative<Catalog>(cat));
    CHECK(std::get<Catalog>(cat).hosts[0].metrics[1].warn == 85.0);
    CHECK(std::holds_alternative<Samples>(decode_hub_message(
        R"({"type":"samples","seq":1101,"t":1764138000000,"hosts":{"local":{"cpu":12.5,"mem":41.0}}})")));
    CHECK(std::holds_alternative<Gap>(decode_hub_message(R"({"type":"gap","from":1042,"to":1099})")));
    CHECK(std::holds_alternative<Live>(decode_hub_message(R"({"type":"live","head":1100})")));
    CHECK(std::holds_alternative<Alarm>(decode_hub_message(
        R"({"type":"alarm","host":"local","metric":"cpu","level":"crit","value":97.2,"t":1764138000000})")));
    CHECK(std::holds_alternative<Pong>(decode_hub_message(R"({"type":"pong","t":123456.7,"hub_t":1764138000000})")));
    CHECK(std::holds_alternative<Error>(decode_hub_message(R"({"type":"error","code":"bad_json","message":"expected an object"})")));
    CHECK(std::holds_alternative<Shutdown>(decode_hub_message(R"({"type":"shutdown","reason":"restart","retry_ms":1500})")));
}

TEST_CASE("unknown fields are ignored and optional ones take their defaults") {
    auto r = decode_hub_message(R"({"type":"catalog","future":[1,2],"hosts":[{"id":"h","metrics":[{"key":"k","x":{}}]}]})");
    REQUIRE(std::holds_alternative<Catalog>(r));
    const auto& h = std::get<Catalog>(r).hosts.at(0);
    CHECK(h.name == "h");
    CHECK(h.metrics.at(0).label == "k");
    CHECK(h.metrics.at(0).unit.empty());
    CHECK_FALSE(h.metrics.at(0).warn.has_value());
    auto hello = decode_client_message(R"({"type":"hello","v":1})");
    REQUIRE(std::holds_alternative<Hello>(hello));
    CHECK_FALSE(std::get<Hello>(hello).resume.has_value());
    CHECK_FALSE(std::get<Hello>(hello).history_s.has_value());
}

TEST_CASE("text that is not JSON is bad_json, including invalid UTF-8 and trailing garbage") {
    CHECK(hub_kind("") == RejectionKind::bad_json);
    CHECK(hub_kind("{") == RejectionKind::bad_json);
    CHECK(hub_kind(R"({"type":"live","head":1} x)") == RejectionKind::bad_json);
    CHECK(hub_kind("{\"type\":\"error\",\"code\":\"a\",\"message\":\"\xff\"}") == RejectionKind::bad_json);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"cpu":NaN}}})") == RejectionKind::bad_json);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"cpu":1e400}}})") == RejectionKind::bad_json);
    CHECK(client_kind("ping") == RejectionKind::bad_json);
}

TEST_CASE("JSON that is not an object is not_object") {
    CHECK(hub_kind("[]") == RejectionKind::not_object);
    CHECK(hub_kind("42") == RejectionKind::not_object);
    CHECK(hub_kind("\"samples\"") == RejectionKind::not_object);
    CHECK(client_kind("null") == RejectionKind::not_object);
}

TEST_CASE("a missing, non-string or unknown type is bad_type") {
    CHECK(hub_kind(R"({"type":"sample","seq":1})") == RejectionKind::bad_type);
    CHECK(hub_kind(R"({"type":7})") == RejectionKind::bad_type);
    CHECK(hub_kind(R"({"type":""})") == RejectionKind::bad_type);
    CHECK(hub_kind(R"({"name":"no numbers here"})") == RejectionKind::bad_type);
    CHECK(client_kind(R"({"t":1})") == RejectionKind::bad_type);
    CHECK(client_kind(R"({"type":"samples","seq":1,"t":1,"hosts":{}})") == RejectionKind::bad_type);
    CHECK(hub_kind(R"({"type":"hello","v":1})") == RejectionKind::bad_type);
}

TEST_CASE("missing or mistyped fields are bad_field") {
    CHECK(hub_kind(R"({"type":"samples","t":1,"hosts":{}})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"samples","seq":"1","t":1,"hosts":{}})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":1,"hosts":[]})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"cpu":"12"}}})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"cpu":null}}})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"cpu":true}}})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":5}})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"welcome","v":1,"epoch":"","head":1,"oldest":1,"interval_ms":1000})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"welcome","v":1,"epoch":"e","head":1,"oldest":1})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"catalog","hosts":[{"id":"h","metrics":[{"key":"k","warn":"80"}]}]})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"catalog","hosts":[{"id":"h"}]})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"catalog","hosts":[7]})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"alarm","host":"h","metric":"m","level":"panic","value":1,"t":1})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"gap","from":9,"to":3})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"shutdown","reason":"x","retry_ms":-5})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"shutdown","reason":"x","handover_ms":-1})") == RejectionKind::bad_field);
    CHECK(client_kind(R"({"type":"hello"})") == RejectionKind::bad_field);
    CHECK(client_kind(R"({"type":"hello","v":"1"})") == RejectionKind::bad_field);
    CHECK(client_kind(R"({"type":"hello","v":1,"resume":{"epoch":"e"}})") == RejectionKind::bad_field);
    CHECK(client_kind(R"({"type":"hello","v":1,"resume":"e-1:5"})") == RejectionKind::bad_field);
    CHECK(client_kind(R"({"type":"hello","v":1,"history_s":-1})") == RejectionKind::bad_field);
    CHECK(client_kind(R"({"type":"ping"})") == RejectionKind::bad_field);
}

TEST_CASE("a seq must be a non-negative integer no larger than 2^53 - 1") {
    CHECK(hub_kind(R"({"type":"live","head":-1})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"live","head":1.5})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"live","head":7.0})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"live","head":9007199254740992})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"live","head":18446744073709551616})") == RejectionKind::bad_field);
    auto ok = decode_hub_message(R"({"type":"live","head":9007199254740991})");
    REQUIRE(std::holds_alternative<Live>(ok));
    CHECK(std::get<Live>(ok).head == kMaxSeq);
    CHECK(std::holds_alternative<Live>(decode_hub_message(R"({"type":"live","head":0})")));
}

TEST_CASE("NaN and Inf never reach the wire") {
    SUBCASE("a non-finite sample value is left out of its frame, the frame still goes") {
        Samples s{7, 1000, {HostSamples{"h", {{"cpu", kNaN}, {"mem", 3.0}, {"io", -kInf}}}}};
        auto back = hub_round_trip(s);
        REQUIRE(back.hosts.size() == 1);
        CHECK(back.hosts[0].values == std::vector<std::pair<std::string, double>>{{"mem", 3.0}});
    }
    SUBCASE("a non-finite catalog threshold is left out") {
        Catalog c{{HostInfo{"h", "h", {MetricInfo{"cpu", "CPU", "%", kInf, 95.0}}}}};
        auto back = hub_round_trip(c);
        CHECK_FALSE(back.hosts[0].metrics[0].warn.has_value());
        CHECK(back.hosts[0].metrics[0].crit == 95.0);
    }
    SUBCASE("any other non-finite number makes encode refuse") {
        CHECK(encode(Alarm{"h", "cpu", AlarmLevel::warn, kNaN, 1}).empty());
        CHECK(encode(Ping{kInf}).empty());
        CHECK(encode(Pong{kNaN, 1}).empty());
        CHECK(encode(Hello{1, "", "", std::nullopt, kNaN}).empty());
        CHECK(encode(Samples{kMaxSeq + 1, 0, {}}).empty());
        CHECK(encode(Gap{5, 4}).empty());
    }
}

TEST_CASE("a message over the byte limit is too_big before any parsing") {
    DecodeLimits small;
    small.max_bytes = 64;
    std::string big = R"({"type":"error","code":"x","message":")" + std::string(100, 'a') + "\"}";
    CHECK(hub_kind(big, small) == RejectionKind::too_big);
    // Not even valid JSON: the size check comes first.
    CHECK(hub_kind(std::string(65, '{'), small) == RejectionKind::too_big);
    // The default is 8 MiB (a catalog of 5,000 hosts is ~2.5 MB).
    std::string huge = R"({"type":"error","code":"x","message":")" + std::string(8 << 20, 'a') + "\"}";
    CHECK(hub_kind(huge) == RejectionKind::too_big);
    CHECK(client_kind(huge) == RejectionKind::too_big);
}

TEST_CASE("too many hosts, metrics or too long names are too_big") {
    DecodeLimits l;
    l.max_hosts = 2;
    l.max_metrics = 2;
    l.max_name_bytes = 8;
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":1,"hosts":{"a":{},"b":{},"c":{}}})", l) == RejectionKind::too_big);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":1,"hosts":{"a":{"x":1,"y":2,"z":3}}})", l) == RejectionKind::too_big);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":1,"hosts":{"a-very-long-host":{}}})", l) == RejectionKind::too_big);
    CHECK(hub_kind(R"({"type":"catalog","hosts":[{"id":"a","metrics":[]},{"id":"b","metrics":[]},{"id":"c","metrics":[]}]})", l) == RejectionKind::too_big);
    CHECK(hub_kind(R"({"type":"catalog","hosts":[{"id":"a","metrics":[{"key":"x"},{"key":"y"},{"key":"z"}]}]})", l) == RejectionKind::too_big);
    CHECK(client_kind(R"({"type":"hello","v":1,"client":"c-0123456789"})", l) == RejectionKind::too_big);
    CHECK(std::holds_alternative<Samples>(
        decode_hub_message(R"({"type":"samples","seq":1,"t":1,"hosts":{"a":{"x":1,"y":2},"b":{}}})", l)));
}

TEST_CASE("100k-deep nesting is too_deep, without touching the stack") {
    const std::string arrays = std::string(100000, '[') + std::string(100000, ']');
    CHECK(hub_kind(arrays) == RejectionKind::too_deep);
    CHECK(client_kind(arrays) == RejectionKind::too_deep);
    const std::string inside = R"({"type":"error","code":"x","message":"m","extra":)" +
                               std::string(100000, '[') + std::string(100000, ']') + "}";
    CHECK(hub_kind(inside) == RejectionKind::too_deep);
    // Unbalanced: never closes, still refused on depth.
    CHECK(hub_kind(std::string(100000, '{')) == RejectionKind::too_deep);
}

TEST_CASE("brackets inside strings do not count as nesting") {
    const std::string text = R"({"type":"error","code":"x","message":")" + std::string(1000, '[') + R"(\"{{{"})";
    auto r = decode_hub_message(text);
    REQUIRE(std::holds_alternative<Error>(r));
    DecodeLimits l;
    l.max_depth = 3;
    CHECK(hub_kind(R"({"type":"catalog","hosts":[{"id":"h","metrics":[]}]})", l) == RejectionKind::too_deep);
    l.max_depth = 4;
    CHECK(std::holds_alternative<Catalog>(decode_hub_message(R"({"type":"catalog","hosts":[{"id":"h","metrics":[]}]})", l)));
}

TEST_CASE("a binary frame is refused with kind binary") {
    Rejection r = reject_binary();
    CHECK(r.kind == RejectionKind::binary);
    CHECK(std::string(rejection_name(r.kind)) == "binary");
}

TEST_CASE("an object without type decodes as Legacy with its top-level numeric fields") {
    auto r = decode_hub_message(R"({"cpu":12,"mem":40.5,"host":"db","nested":{"x":1},"ok":true})");
    REQUIRE(std::holds_alternative<Legacy>(r));
    CHECK(std::get<Legacy>(r).values == std::vector<std::pair<std::string, double>>{{"cpu", 12.0}, {"mem", 40.5}});
    CHECK(hub_kind("{}") == RejectionKind::bad_type);
    DecodeLimits l;
    l.max_legacy_fields = 1;
    CHECK(hub_kind(R"({"a":1,"b":2})", l) == RejectionKind::too_big);
    CHECK(std::holds_alternative<Legacy>(decode_hub_message(encode(Legacy{{{"load", 0.5}}}))));
}

TEST_CASE("rejection kinds have stable names that map back to the kind") {
    const char* names[] = {"bad_json", "not_object", "bad_type", "bad_field", "too_big",
                           "too_deep", "binary", "seq_backwards", "seq_duplicate"};
    for (std::size_t i = 0; i < kRejectionKindCount; ++i) {
        const auto kind = static_cast<RejectionKind>(i);
        CHECK(std::string(rejection_name(kind)) == names[i]);
        CHECK(rejection_from_name(names[i]) == kind);
    }
    CHECK_FALSE(rejection_from_name("nope").has_value());
}

TEST_CASE("rejection counters count by kind, total, and list every kind by name") {
    RejectionCounters c;
    c.add(RejectionKind::bad_json);
    c.add(RejectionKind::bad_json);
    c.add(reject_binary());
    CHECK(c.count(RejectionKind::bad_json) == 2);
    CHECK(c.count(RejectionKind::binary) == 1);
    CHECK(c.count(RejectionKind::too_deep) == 0);
    CHECK(c.total() == 3);
    auto list = c.by_name();
    CHECK(list.size() == kRejectionKindCount);
    CHECK(list[0].first == "bad_json");
    CHECK(list[0].second == 2);
    CHECK(list[8].first == "seq_duplicate");
    c.reset();
    CHECK(c.total() == 0);
}

TEST_CASE("invalid UTF-8 in a string being encoded is replaced, never thrown") {
    Catalog c{{HostInfo{"h", std::string("bad\xff name"), {}}}};
    const std::string text = encode(c);
    REQUIRE_FALSE(text.empty());
    CHECK(std::holds_alternative<Catalog>(decode_hub_message(text)));
}

TEST_CASE("a pong with only `t` is accepted (hub_t is optional), and is still refused without `t`") {
    const auto echo = decode_hub_message(R"({"type":"pong","t":42.5})");
    REQUIRE(std::holds_alternative<Pong>(echo));
    CHECK(std::get<Pong>(echo).t == 42.5);
    CHECK(std::get<Pong>(echo).hub_t == 0);
    const auto no_t = decode_hub_message(R"({"type":"pong","hub_t":1764138000000})");
    REQUIRE(std::holds_alternative<vigil::protocol::Rejection>(no_t));
    CHECK(std::get<vigil::protocol::Rejection>(no_t).kind == vigil::protocol::RejectionKind::bad_field);
    const auto bad = decode_hub_message(R"({"type":"pong","t":1,"hub_t":"soon"})");
    REQUIRE(std::holds_alternative<vigil::protocol::Rejection>(bad));
    CHECK(std::get<vigil::protocol::Rejection>(bad).kind == vigil::protocol::RejectionKind::bad_field);
}

TEST_CASE("catalog labels and samples.down round-trip, are optional, and are checked") {
    HostInfo db{"db-01", "DB 01", {MetricInfo{"cpu", "CPU", "%", 80.0, 95.0}}, {{"site", "A"}, {"rack", "r3"}}};
    CHECK(hub_round_trip(Catalog{{db}}) == Catalog{{db}});
    Samples s{7, 1764138000000, {HostSamples{"web-01", {{"cpu", 1.5}}}},
              {HostDown{"db-01", "connection refused", 1764137990000}}};
    CHECK(hub_round_trip(s) == s);
    SUBCASE("absent: none (what every older hub sends)") {
        auto c = decode_hub_message(R"({"type":"catalog","hosts":[{"id":"h","metrics":[],"labels":null}]})");
        REQUIRE(std::holds_alternative<Catalog>(c));
        CHECK(std::get<Catalog>(c).hosts[0].labels.empty());
        auto f = decode_hub_message(R"({"type":"samples","seq":1,"t":2,"hosts":{}})");
        REQUIRE(std::holds_alternative<Samples>(f));
        CHECK(std::get<Samples>(f).down.empty());
        CHECK(encode(Samples{1, 2, {}, {}}).find("down") == std::string::npos);
        CHECK(encode(Catalog{{HostInfo{"h", "h", {}}}}).find("labels") == std::string::npos);
    }
    SUBCASE("a frame with `down` is read by the DOM path, in wire order") {
        auto f = decode_hub_message(
            R"({"type":"samples","seq":3,"t":4,"hosts":{"a":{"cpu":1}},"down":{"z":{"reason":"timeout after 800 ms","since":9},"b":{"reason":"HTTP 503","since":5.4}}})");
        REQUIRE(std::holds_alternative<Samples>(f));
        const auto& d = std::get<Samples>(f).down;
        REQUIRE(d.size() == 2);
        CHECK(d[0] == HostDown{"z", "timeout after 800 ms", 9});
        CHECK(d[1] == HostDown{"b", "HTTP 503", 5});
    }
    SUBCASE("a very long reason is cut, not refused: the frame's values still count") {
        const std::string reason(2000, 'r');
        auto f = decode_hub_message(R"({"type":"samples","seq":3,"t":4,"hosts":{},"down":{"z":{"reason":")" + reason + R"(","since":9}}})");
        REQUIRE(std::holds_alternative<Samples>(f));
        CHECK(std::get<Samples>(f).down.at(0).reason.size() == DecodeLimits{}.max_reason_bytes);
    }
    CHECK(hub_kind(R"({"type":"catalog","hosts":[{"id":"h","metrics":[],"labels":["site"]}]})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"catalog","hosts":[{"id":"h","metrics":[],"labels":{"site":3}}]})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"catalog","hosts":[{"id":"h","metrics":[],"labels":{"site":")" + std::string(300, 'x') + R"("}}]})") == RejectionKind::too_big);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":2,"hosts":{},"down":[]})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":2,"hosts":{},"down":{"h":{"since":1}}})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":2,"hosts":{},"down":{"h":{"reason":"x"}}})") == RejectionKind::bad_field);
    CHECK(hub_kind(R"({"type":"samples","seq":1,"t":2,"hosts":{},"down":{"h":"refused"}})") == RejectionKind::bad_field);
    DecodeLimits few;
    few.max_labels = 1;
    CHECK(hub_kind(R"({"type":"catalog","hosts":[{"id":"h","metrics":[],"labels":{"a":"1","b":"2"}}]})", few) == RejectionKind::too_big);
}
