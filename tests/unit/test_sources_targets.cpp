// The hub's targets config and Prometheus file_sd files (src/hub/sources/targets_config.h):
// defaults, host ids, and validation errors that name the entry and the field.
#include <doctest/doctest.h>

#include <string>

#include "hub/sources/targets_config.h"

using namespace vigil::hub::sources;

namespace {

TargetsConfig config_of(const char* text) {
    ConfigErrors errors;
    auto c = parse_targets_config(text, &errors);
    REQUIRE_MESSAGE(c, (errors.messages.empty() ? std::string() : errors.messages[0]));
    CHECK(errors.empty());
    return *c;
}

std::vector<std::string> errors_of(const char* text) {
    ConfigErrors errors;
    CHECK(!parse_targets_config(text, &errors));
    CHECK(errors.count == errors.messages.size());
    return errors.messages;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    for (auto& e : v)
        if (e == s) return true;
    return false;
}

}  // namespace

TEST_CASE("a target with every field, and one with defaults") {
    auto c = config_of(R"({
        "interval_s": 10,
        "mappings": [{"key": "queue", "metric": "app_queue_depth"}],
        "targets": [
            {"address": "db-01:9100", "metrics_path": "/x/metrics", "host": "db1", "name": "Database 1",
             "labels": {"site": "A", "rack": "r3", "role": "db"}, "profile": "none", "interval_s": 2,
             "mappings": [{"key": "queue", "metric": "db_queue"}, {"key": "conns", "metric": "db_conns"}]},
            {"address": "10.0.0.7:9100"}
        ]})");
    CHECK(c.interval_s == 10);
    REQUIRE(c.targets.size() == 2);
    const ScrapeTarget& a = c.targets[0];
    CHECK(a.address == "db-01:9100");
    CHECK(a.metrics_path == "/x/metrics");
    CHECK(a.host_id == "db1");
    CHECK(a.name == "Database 1");
    CHECK(a.labels == std::map<std::string, std::string>{{"site", "A"}, {"rack", "r3"}, {"role", "db"}});
    CHECK(a.profile == TargetProfile::none);
    CHECK(a.interval_s == 2);
    REQUIRE(a.mappings.size() == 2);  // the target's "queue" replaced the config's
    CHECK(a.mappings[0].metric == "db_queue");
    CHECK(a.origin == "targets[0]");
    const ScrapeTarget& b = c.targets[1];
    CHECK(b.metrics_path == "/metrics");
    CHECK(b.profile == TargetProfile::node);
    CHECK(b.interval_s == 10);
    REQUIRE(b.mappings.size() == 1);
    CHECK(b.mappings[0].metric == "app_queue_depth");
    CHECK(b.host_id.empty());  // resolved later, with the file_sd targets
}

TEST_CASE("host ids: \"host\", else the instance label, else the host name without port, unless two targets share it") {
    auto c = config_of(R"({"targets": [
        {"address": "db-01:9100"},
        {"address": "web-01:9100"}, {"address": "web-01:9256", "name": "web-01 processes"},
        {"address": "10.1.1.1:9100", "labels": {"instance": "gw"}},
        {"address": "[fd00::1]:9100"},
        {"address": "cache:9100", "host": "cache-primary"}
    ]})");
    ConfigErrors errors;
    REQUIRE(resolve_host_ids(&c.targets, &errors));
    CHECK(c.targets[0].host_id == "db-01");
    CHECK(c.targets[0].name == "db-01");
    CHECK(c.targets[1].host_id == "web-01:9100");
    CHECK(c.targets[2].host_id == "web-01:9256");
    CHECK(c.targets[2].name == "web-01 processes");
    CHECK(c.targets[3].host_id == "gw");
    CHECK(c.targets[4].host_id == "fd00::1");
    CHECK(c.targets[5].host_id == "cache-primary");
}

TEST_CASE("host ids: duplicates, the same endpoint twice and \"local\" are refused, naming both entries") {
    auto c = config_of(R"({"targets": [
        {"address": "a:9100", "host": "x"}, {"address": "b:9100", "host": "x"},
        {"address": "c:9100", "host": "local"},
        {"address": "d:9100", "host": "d1"}, {"address": "d:9100", "host": "d2"}
    ]})");
    ConfigErrors errors;
    CHECK(!resolve_host_ids(&c.targets, &errors));
    CHECK(has(errors.messages, "targets[1]: host id \"x\" is also targets[0]'s"));
    CHECK(has(errors.messages, "targets[2]: host id \"local\" is the hub's own host"));
    CHECK(has(errors.messages, "targets[4]: d:9100/metrics is scraped by targets[3] already"));
}

TEST_CASE("bad targets: each error names the entry and the field, all of them at once") {
    auto e = errors_of(R"({"interval_s": 0.1, "targets": [
        {"address": "db-01"},
        {"address": "db-01:0"}, {"address": "db-01:70000"}, {"address": "::1:9100"}, {"address": "a b:9100"},
        {"metrics_path": "/m"},
        {"address": "x:1", "metrics_path": "metrics"},
        {"address": "x:2", "labels": {"9bad": "v"}},
        {"address": "x:3", "labels": {"__meta": "v"}},
        {"address": "x:4", "labels": {"site": 7}},
        {"address": "x:5", "profile": "snmp"},
        {"address": "x:6", "interval_s": 0},
        {"address": "x:7", "adress": "typo"},
        {"address": "x:8", "profile": "none"},
        {"address": "x:9", "mappings": [{"key": "k"}]},
        {"address": "x:10", "host": ""},
        "x:11"
    ]})");
    CHECK(has(e, "targets config: \"interval_s\" must be a number of seconds from 0.5 to 3600"));
    CHECK(has(e, "targets[0]: \"address\" must be host:port (or [v6]:port), port 1-65535"));
    CHECK(has(e, "targets[1]: \"address\" must be host:port (or [v6]:port), port 1-65535"));
    CHECK(has(e, "targets[2]: \"address\" must be host:port (or [v6]:port), port 1-65535"));
    CHECK(has(e, "targets[3]: \"address\" must be host:port (or [v6]:port), port 1-65535"));
    CHECK(has(e, "targets[4]: \"address\" must be host:port (or [v6]:port), port 1-65535"));
    CHECK(has(e, "targets[5]: needs \"address\" (host:port)"));
    CHECK(has(e, "targets[6]: \"metrics_path\" must be a path starting with / (no spaces or #)"));
    CHECK(has(e, "targets[7]: label \"9bad\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not __*)"));
    CHECK(has(e, "targets[8]: label \"__meta\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not __*)"));
    CHECK(has(e, "targets[9]: label \"site\" must be a string of at most 256 bytes"));
    CHECK(has(e, "targets[10]: \"profile\" must be \"node\", \"windows\" or \"none\""));
    CHECK(has(e, "targets[11]: \"interval_s\" must be a number of seconds from 0.5 to 3600"));
    CHECK(has(e, "targets[12]: unknown field \"adress\""));
    CHECK(has(e, "targets[13]: profile \"none\" and no mappings: the target would show nothing"));
    CHECK(has(e, "targets[14].mappings[0]: mapping \"k\": needs \"metric\" (the series' metric name)"));
    CHECK(has(e, "targets[15]: \"host\" must be 1-256 bytes without control characters"));
    CHECK(has(e, "targets[16]: a target must be an object"));
    CHECK(e.size() == 18);
}

TEST_CASE("bad config documents: not JSON, not an object, nothing to scrape, unknown fields") {
    auto e = errors_of("{\"targets\": [");
    REQUIRE(e.size() == 1);
    CHECK(e[0].rfind("targets config: not JSON: ", 0) == 0);
    CHECK(errors_of("[]") == std::vector<std::string>{"targets config: must be an object with \"targets\" and/or \"file_sd\""});
    CHECK(errors_of("{}") == std::vector<std::string>{"targets config: needs \"targets\" or \"file_sd\""});
    CHECK(has(errors_of(R"({"targets": [], "scrape_interval": 5})"), "targets config: unknown field \"scrape_interval\""));
    CHECK(has(errors_of(R"({"targets": {}})"), "targets: must be an array of targets"));
    CHECK(has(errors_of(R"({"file_sd": [{"profile": "node"}]})"), "file_sd[0]: needs \"path\""));
}

TEST_CASE("too many errors: all are counted, the first 20 are kept") {
    std::string text = "{\"targets\": [";
    for (int i = 0; i < 50; ++i) text += std::string(i ? "," : "") + "{\"address\": \"nope\"}";
    text += "]}";
    ConfigErrors errors;
    CHECK(!parse_targets_config(text, &errors));
    CHECK(errors.count == 50);
    CHECK(errors.messages.size() == ConfigErrors::max_messages);
}

TEST_CASE("file_sd: targets with their group's labels, __metrics_path__ and instance as Prometheus, profile from the config") {
    auto c = config_of(R"({"interval_s": 15, "mappings": [{"key": "q", "metric": "queue"}],
        "file_sd": [{"path": "sd/nodes.json", "interval_s": 30}, {"path": "sd/apps.json", "profile": "none"}]})");
    REQUIRE(c.file_sd.size() == 2);
    CHECK(c.file_sd[0].interval_s == 30);
    CHECK(c.file_sd[1].interval_s == 15);
    CHECK(c.file_sd[1].profile == TargetProfile::none);
    CHECK(c.file_sd[1].mappings.size() == 1);

    std::vector<ScrapeTarget> found;
    ConfigErrors errors;
    REQUIRE(parse_file_sd(R"([
        {"targets": ["db-01:9100", "db-02:9100"], "labels": {"site": "A", "role": "db"}},
        {"targets": ["10.0.0.9:9100"], "labels": {"instance": "edge", "__metrics_path__": "/node", "__scheme__": "http"}},
        {"targets": []}
    ])",
                          c.file_sd[0], &found, &errors));
    REQUIRE(found.size() == 3);
    CHECK(found[0].address == "db-01:9100");
    CHECK(found[0].labels == std::map<std::string, std::string>{{"site", "A"}, {"role", "db"}});
    CHECK(found[0].interval_s == 30);
    CHECK(found[0].origin == "sd/nodes.json[0].targets[0]");
    CHECK(found[2].metrics_path == "/node");
    CHECK(found[2].labels == std::map<std::string, std::string>{{"instance", "edge"}});  // "__" labels dropped
    REQUIRE(resolve_host_ids(&found, &errors));
    CHECK(found[0].host_id == "db-01");
    CHECK(found[2].host_id == "edge");
}

TEST_CASE("file_sd: a bad file adds nothing and names the file, the group and the target") {
    FileSdSource src;
    src.path = "sd/bad.json";
    std::vector<ScrapeTarget> found;
    ConfigErrors errors;
    CHECK(!parse_file_sd(R"([
        {"targets": ["ok:9100", "nope", 7], "labels": {"bad-name": "x"}},
        {"labels": {"site": "A"}},
        {"targets": ["x:1"], "lables": {}},
        "x"
    ])",
                         src, &found, &errors));
    CHECK(found.empty());
    CHECK(has(errors.messages, "sd/bad.json[0].targets[1]: must be host:port (or [v6]:port), port 1-65535"));
    CHECK(has(errors.messages, "sd/bad.json[0].targets[2]: must be host:port (or [v6]:port), port 1-65535"));
    CHECK(has(errors.messages, "sd/bad.json[0]: label \"bad-name\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not __*)"));
    CHECK(has(errors.messages, "sd/bad.json[1]: needs \"targets\", an array of \"host:port\""));
    CHECK(has(errors.messages, "sd/bad.json[2]: unknown field \"lables\""));
    CHECK(has(errors.messages, "sd/bad.json[3]: must be an object with \"targets\""));
    ConfigErrors e2;
    CHECK(!parse_file_sd("{\"targets\": []}", src, &found, &e2));
    CHECK(e2.messages == std::vector<std::string>{
                             "sd/bad.json: a file_sd file is an array of {\"targets\": [...], \"labels\": {...}}"});
    ConfigErrors e3;
    CHECK(!parse_file_sd("[{", src, &found, &e3));
    CHECK(e3.messages[0].rfind("sd/bad.json: not JSON: ", 0) == 0);
}

TEST_CASE("addresses: host:port and [v6]:port, port 1-65535") {
    std::string host;
    CHECK(valid_address("db-01.example.com:9100", &host));
    CHECK(host == "db-01.example.com");
    CHECK(valid_address("[::1]:9100", &host));
    CHECK(host == "::1");
    CHECK(valid_address("127.0.0.1:65535", nullptr));
    for (const char* bad : {"", ":9100", "db", "db:", "db:0", "db:65536", "db:9x", "[::1]", "[::1]9100", "[]:1", "::1:9100",
                            "a/b:1", "a b:1", "http://a:1"})
        CHECK_MESSAGE(!valid_address(bad, nullptr), bad);
}
