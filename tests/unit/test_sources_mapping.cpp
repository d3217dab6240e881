// User series mappings (src/hub/sources/series_mapping.h): parsing with errors that name the key,
// and evaluation over real parser output: matchers, gauges, rates, aggregations, scale.
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "hub/sources/exposition_parser.h"
#include "hub/sources/series_mapping.h"
#include "test_sources_fixture.h"

using namespace vigil::hub::sources;
using nlohmann::json;

namespace {

std::vector<SeriesMapping> mappings_of(const char* text) {
    std::string error;
    auto m = parse_series_mappings(json::parse(text), "mappings", &error);
    REQUIRE_MESSAGE(m, error);
    return *m;
}

std::string error_of(const char* text) {
    std::string error;
    auto m = parse_series_mappings(json::parse(text), "mappings", &error);
    CHECK(!m);
    return error;
}

const char* body1 =
    "app_queue_depth{queue=\"mail\",env=\"prod\"} 10\n"
    "app_queue_depth{queue=\"sms\",env=\"prod\"} 30\n"
    "app_queue_depth{queue=\"mail\",env=\"dev\"} 1000\n"
    "app_requests_total{code=\"200\"} 1000\n"
    "app_requests_total{code=\"500\"} 10\n"
    "app_ratio 0.25\n";

}  // namespace

TEST_CASE("a full mapping parses with every field; defaults fill the rest") {
    auto m = mappings_of(R"([
        {"key": "queue", "metric": "app_queue_depth", "match": ["env=prod", "queue!=\"sms\""], "kind": "gauge",
         "aggregate": "max", "label": "Queue", "unit": "jobs", "warn": 100, "crit": 500, "scale": 2},
        {"key": "ratio", "metric": "app_ratio"}
    ])");
    REQUIRE(m.size() == 2);
    CHECK(m[0].info.key == "queue");
    CHECK(m[0].info.label == "Queue");
    CHECK(m[0].info.unit == "jobs");
    CHECK(m[0].info.warn == 100);
    CHECK(m[0].info.crit == 500);
    CHECK(m[0].aggregate == Aggregation::max);
    CHECK(m[0].scale == 2);
    REQUIRE(m[0].match.size() == 2);
    CHECK(m[0].match[0].name == "env");
    CHECK(m[0].match[0].equal);
    CHECK(m[0].match[1].value == "sms");  // PromQL-style quotes are taken off
    CHECK(!m[0].match[1].equal);
    CHECK(m[1].info.label == "ratio");
    CHECK(m[1].kind == MappingKind::gauge);
    CHECK(m[1].aggregate == Aggregation::sum);
    CHECK(!m[1].info.warn);
}

TEST_CASE("bad mappings: the error names the array index, the key and the field") {
    CHECK(error_of(R"([{"metric": "a"}])") == "mappings[0]: a mapping needs \"key\" (a string)");
    CHECK(error_of(R"([{"key": "q"}])") == "mappings[0]: mapping \"q\": needs \"metric\" (the series' metric name)");
    CHECK(error_of(R"([{"key": "q", "metric": "9x"}])").find("mapping \"q\": \"metric\"") != std::string::npos);
    CHECK(error_of(R"([{"key": "q w", "metric": "a"}])").find("\"key\" must be") != std::string::npos);
    CHECK(error_of(R"([{"key": "q", "metric": "a", "kind": "counter"}])") ==
          "mappings[0]: mapping \"q\": \"kind\" must be \"gauge\" or \"rate\"");
    CHECK(error_of(R"([{"key": "q", "metric": "a", "aggregate": "median"}])").find("\"aggregate\"") != std::string::npos);
    CHECK(error_of(R"([{"key": "q", "metric": "a", "match": ["env=~prod"]}])") ==
          "mappings[0]: mapping \"q\": match[0] \"env=~prod\": regex matchers (=~, !~) are not supported: use = or !=");
    CHECK(error_of(R"([{"key": "q", "metric": "a", "match": ["=prod"]}])").find("match[0]") != std::string::npos);
    CHECK(error_of(R"([{"key": "q", "metric": "a", "match": ["env"]}])").find("needs = or !=") != std::string::npos);
    CHECK(error_of(R"([{"key": "q", "metric": "a", "match": "env=prod"}])").find("\"match\" must be an array") !=
          std::string::npos);
    CHECK(error_of(R"([{"key": "q", "metric": "a", "warn": "high"}])") ==
          "mappings[0]: mapping \"q\": \"warn\" must be a number");
    CHECK(error_of(R"([{"key": "q", "metric": "a", "scale": 0}])").find("\"scale\"") != std::string::npos);
    CHECK(error_of(R"([{"key": "q", "metric": "a", "agregate": "sum"}])") ==
          "mappings[0]: mapping \"q\": unknown field \"agregate\"");
    CHECK(error_of(R"([{"key": "q", "metric": "a"}, {"key": "q", "metric": "b"}])") ==
          "mappings[1]: mapping \"q\": key given twice");
    CHECK(error_of(R"({"key": "q"})") == "mappings: must be an array of mappings");
    CHECK(error_of(R"([7])") == "mappings[0]: a mapping must be an object");
}

TEST_CASE("gauges: = and != matchers choose series; sum, max, min, avg; scale after aggregation") {
    SeriesMappings m(mappings_of(R"([
        {"key": "q_sum", "metric": "app_queue_depth", "match": ["env=prod"]},
        {"key": "q_max", "metric": "app_queue_depth", "match": ["env=prod"], "aggregate": "max"},
        {"key": "q_min", "metric": "app_queue_depth", "aggregate": "min"},
        {"key": "q_avg", "metric": "app_queue_depth", "match": ["env!=dev"], "aggregate": "avg"},
        {"key": "q_mail_prod", "metric": "app_queue_depth", "match": ["queue=mail", "env=prod"]},
        {"key": "pct", "metric": "app_ratio", "scale": 100},
        {"key": "none", "metric": "app_queue_depth", "match": ["env=staging"]},
        {"key": "absent_is_empty", "metric": "app_ratio", "match": ["env="]}
    ])"));
    auto v = scrape_into(m, body1, 0);
    CHECK(v.at("q_sum") == 40);
    CHECK(v.at("q_max") == 30);
    CHECK(v.at("q_min") == 10);
    CHECK(v.at("q_avg") == 20);
    CHECK(v.at("q_mail_prod") == 10);
    CHECK(v.at("pct") == 25);
    CHECK(v.count("none") == 0);  // nothing matched: no value rather than 0
    CHECK(v.at("absent_is_empty") == doctest::Approx(0.25));
    CHECK(m.metrics().size() == 8);
}

TEST_CASE("rates: per series, then aggregated; a reset series sits out one scrape") {
    SeriesMappings m(mappings_of(R"([
        {"key": "rps", "metric": "app_requests_total", "kind": "rate", "label": "Requests", "unit": "/s"},
        {"key": "errors", "metric": "app_requests_total", "kind": "rate", "match": ["code=500"]}
    ])"));
    CHECK(scrape_into(m, body1, 0).empty());  // rates need a second scrape
    auto v = scrape_into(m, "app_requests_total{code=\"500\"} 30\napp_requests_total{code=\"200\"} 1100\n", 10);
    CHECK(v.at("rps") == doctest::Approx(12));  // (100 + 20) / 10, labels in another order
    CHECK(v.at("errors") == doctest::Approx(2));
    v = scrape_into(m, "app_requests_total{code=\"200\"} 1200\napp_requests_total{code=\"500\"} 5\n", 20);
    CHECK(v.at("rps") == doctest::Approx(10));  // the 500 series reset: only 200 counts this time
    CHECK(v.count("errors") == 0);
    v = scrape_into(m, "app_requests_total{code=\"200\"} 1300\napp_requests_total{code=\"500\"} 15\n", 30);
    CHECK(v.at("rps") == doctest::Approx(11));
    CHECK(v.at("errors") == doctest::Approx(1));
}

TEST_CASE("NaN gauges are left out of the aggregate instead of poisoning it") {
    SeriesMappings m(mappings_of(R"([{"key": "t", "metric": "temp", "aggregate": "max"}])"));
    auto v = scrape_into(m, "temp{s=\"a\"} NaN\ntemp{s=\"b\"} 40\n", 0);
    CHECK(v.at("t") == 40);
}
