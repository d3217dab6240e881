// POST /ingest's answer (hub/ingest/ingest_request.h): decoder by content type, precision, 204 or
// 400 with the JSON errors, and the counters by outcome and status.
#include <doctest/doctest.h>

#include "hub/ingest/ingest_request.h"

#include <nlohmann/json.hpp>

using namespace vigil::hub::ingest;

TEST_CASE("paths and content types") {
    CHECK(is_ingest_path("/ingest"));
    CHECK(is_ingest_path("/write"));
    CHECK(is_ingest_path("/api/v2/write"));
    CHECK(!is_ingest_path("/ingest/x"));
    CHECK(is_json_content("application/json"));
    CHECK(is_json_content("Application/JSON; charset=utf-8"));
    CHECK(!is_json_content("application/jsonl"));
    CHECK(!is_json_content("text/plain; charset=utf-8"));
    CHECK(!is_json_content(""));
}

TEST_CASE("all good: 204 and counted; mixed: 400 with line numbers, the good lines counted accepted") {
    PushStore store;
    IngestCounters counters;
    auto ok = answer_ingest(store, "text/plain", std::nullopt, "mem,host=a used_percent=1\n", 0, 0, &counters);
    CHECK(ok.status == 204);
    CHECK(ok.body.empty());
    auto mixed = answer_ingest(store, "", std::string("s"), "mem,host=a used_percent=1 1764138000\nmem,host=a used_percent=\n", 0, 0,
                               &counters);
    CHECK(mixed.status == 400);
    auto j = nlohmann::json::parse(mixed.body);
    CHECK(j["accepted"] == 1);
    CHECK(j["rejected"] == 1);
    REQUIRE(j["errors"].size() == 1);
    CHECK(j["errors"][0]["line"] == 2);
    CHECK(j["errors"][0]["message"].get<std::string>().find("line 2: ") == 0);
    CHECK(counters.lines[std::size_t(LineOutcome::accepted)] == 2);
    CHECK(counters.lines[std::size_t(LineOutcome::parse_error)] == 1);
    CHECK(counters.requests[204] == 1);
    CHECK(counters.requests[400] == 1);
}

TEST_CASE("a bad precision is a 400 before any line is read; JSON goes to the JSON decoder") {
    PushStore store;
    IngestCounters counters;
    auto r = answer_ingest(store, "text/plain", std::string("h"), "mem,host=a used_percent=1\n", 0, 0, &counters);
    CHECK(r.status == 400);
    CHECK(nlohmann::json::parse(r.body)["errors"][0]["message"] == "precision must be ns, us, ms or s");
    CHECK(store.host_count() == 0);
    auto js = answer_ingest(store, "application/json", std::nullopt, R"({"hosts":{"a":{"cpu":1}}})", 0, 0, &counters);
    CHECK(js.status == 204);
    CHECK(store.host_count() == 1);
    auto bad = answer_ingest(store, "application/json", std::nullopt, "mem,host=a used_percent=1\n", 0, 0, &counters);
    CHECK(bad.status == 400);
    CHECK(nlohmann::json::parse(bad.body)["errors"][0]["message"] == "not JSON");
}
