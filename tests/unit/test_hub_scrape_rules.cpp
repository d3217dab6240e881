// The scrape loop's pure rules: reason texts, DOWN/up transitions and since, the freshness of the
// values collect() gives, the schedule's spread, reading a body (bad lines counted, good kept).
#include <doctest/doctest.h>

#include "hub/scrape/gzip_body.h"
#include "hub/scrape/scrape_body.h"
#include "hub/scrape/scrape_reason.h"
#include "hub/scrape/scrape_schedule.h"
#include "hub/scrape/target_health.h"
#include "test_sources_fixture.h"

#include <boost/asio/error.hpp>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace vigil::hub::scrape;
using namespace vigil::hub::sources;

TEST_CASE("failures read as the short words the wall shows, with an outcome label each") {
    CHECK(transport_failure(boost::asio::error::connection_refused).reason == "connection refused");
    CHECK(transport_failure(boost::asio::error::connection_refused).outcome == ScrapeOutcome::refused);
    CHECK(transport_failure(boost::asio::error::host_not_found).reason == "name not resolved");
    CHECK(transport_failure(boost::asio::error::host_not_found_try_again).outcome == ScrapeOutcome::unresolved);
    CHECK(transport_failure(boost::asio::error::connection_reset).reason == "connection reset by peer");
    CHECK(timeout_failure(800).reason == "timeout after 800 ms");
    CHECK(http_failure(503).reason == "HTTP 503");
    CHECK(unreadable_failure("line 3: invalid_value near \"x\"").reason == "unreadable body: line 3: invalid_value near \"x\"");
    CHECK(std::string(outcome_name(ScrapeOutcome::success)) == "success");
    CHECK(std::string(outcome_name(ScrapeOutcome::timeout)) == "timeout");
}

TEST_CASE("a target is DOWN from its first failure: since stays the outage's start, one transition each way") {
    TargetHealth h;
    CHECK_FALSE(h.up());
    CHECK_FALSE(h.down());  // not scraped yet: neither
    CHECK(h.succeed({{"cpu", 10}}, 100.0, 1000) == TargetHealth::Change::none);
    CHECK(h.up());
    CHECK(h.fail("connection refused", 2000) == TargetHealth::Change::went_down);
    CHECK(h.fail("timeout after 800 ms", 3000) == TargetHealth::Change::none);  // still the same outage
    CHECK(h.down());
    CHECK(h.since() == 2000);
    CHECK(h.reason() == "timeout after 800 ms");
    CHECK(h.values_at(100.0, 1) == nullptr);  // a DOWN host has no values
    CHECK(h.succeed({{"cpu", 20}}, 104.0, 4000) == TargetHealth::Change::came_up);
    CHECK(h.since() == 0);
    CHECK(h.fail("HTTP 503", 5000) == TargetHealth::Change::went_down);
    CHECK(h.since() == 5000);  // a new outage
}

TEST_CASE("a never-scraped target that fails is DOWN at once (the first failure is a transition)") {
    TargetHealth h;
    CHECK(h.fail("connection refused", 7) == TargetHealth::Change::went_down);
    CHECK(h.since() == 7);
}

TEST_CASE("values are collected while not older than 2 of the target's intervals, then left out") {
    TargetHealth h;
    CHECK(h.values_at(0, 1) == nullptr);
    h.succeed({{"mem", 42}}, 100.0, 1);
    REQUIRE(h.values_at(100.5, 10) != nullptr);
    CHECK(h.values_at(100.5, 10)->at(0).second == 42);
    CHECK(h.values_at(119.9, 10) != nullptr);  // a 10 s target on a 1 s wall stays shown between scrapes
    CHECK(h.values_at(120.1, 10) == nullptr);  // older than 2 intervals: stale, the page greys it
    CHECK(h.values_at(102.1, 1) == nullptr);
}

TEST_CASE("targets are spread over the interval, and a late loop skips missed rounds instead of bursting") {
    std::set<double> offsets;
    for (std::size_t i = 0; i < 4; ++i) offsets.insert(phase_offset_s(i, 4, 2.0));
    CHECK(offsets == std::set<double>{0.0, 0.5, 1.0, 1.5});
    CHECK(phase_offset_s(0, 0, 1) == 0);
    std::set<double> phases;
    for (std::size_t i = 0; i < 1000; ++i) {
        CHECK(phase_offset_s(i, 1000, 1.0) < 1.0);
        phases.insert(phase_offset_s(i, 1000, 1.0));
    }
    // At most one phase per 10 ms: 1,000 targets share 100 phases, 10 each (one timer wake-up).
    CHECK(phases.size() == 100);
    CHECK(phase_offset_s(100, 1000, 1.0) == 0);
    CHECK(phase_offset_s(1, 1000, 1.0) == doctest::Approx(0.01));
    // Targets of one phase created at different moments (one loop pass, a reload later) share the
    // exact due time, so one timer expiry wakes the loop for all of them.
    CHECK(first_due_s(100.0, 100.0, 7, 1000, 1.0) == doctest::Approx(100.07));
    CHECK(first_due_s(100.0, 100.0, 107, 1000, 1.0) == first_due_s(100.0, 100.00004, 7, 1000, 1.0));
    CHECK(first_due_s(100.0, 100.00004, 7, 1000, 1.0) == first_due_s(100.0, 100.00009, 907, 1000, 1.0));
    CHECK(first_due_s(100.0, 100.5, 7, 1000, 1.0) == 100.0 + phase_offset_s(7, 1000, 1.0) + 1.0);  // a reload later: same phase, next round
    CHECK(first_due_s(100.0, 100.5, 70, 1000, 1.0) == 100.0 + phase_offset_s(70, 1000, 1.0));      // still ahead this round
    CHECK(next_due_s(10.0, 10.2, 1.0) == doctest::Approx(11.0));
    CHECK(next_due_s(10.0, 15.3, 1.0) == doctest::Approx(16.0));  // rounds 11..15 skipped, phase kept
    CHECK(next_due_s(10.0, 11.0, 1.0) == doctest::Approx(12.0));  // never a due time that is already past
}

namespace {

SeriesMappings queue_mapping() {
    SeriesMapping m;
    m.info.key = "queue";
    m.info.label = "Queue";
    m.metric = "app_queue_depth";
    return SeriesMappings({m});
}

}  // namespace

TEST_CASE("a scrape's timeout is below its interval: 80 % by default, a longer flag capped at 90 %") {
    CHECK(scrape_timeout_ms(0, 1.0) == 800);
    CHECK(scrape_timeout_ms(0, 0.5) == 400);
    CHECK(scrape_timeout_ms(300, 1.0) == 300);
    CHECK(scrape_timeout_ms(5000, 1.0) == 900);
    CHECK(scrape_timeout_ms(3600000, 10.0) == 9000);
}

TEST_CASE("a body with bad lines keeps its good series; the first error is kept and the lines counted") {
    ExpositionParser parser;
    NodeProfile profile;
    auto mappings = queue_mapping();
    const std::string body =
        "node_load1 1.5\n"
        "node_load5 oops\n"
        "app_queue_depth 7\n"
        "bad{ 1\n";
    auto r = read_exposition(parser, &profile, mappings, body, 10.0);
    CHECK(r.readable);
    CHECK(r.series == 2);
    CHECK(r.bad_lines == 2);
    CHECK(r.first_error.rfind("line 2: invalid_value", 0) == 0);
    std::map<std::string, double> v(r.values.begin(), r.values.end());
    CHECK(v.at("load1") == 1.5);
    CHECK(v.at("queue") == 7);
    auto metrics = target_metrics(&profile, mappings);
    REQUIRE(!metrics.empty());
    CHECK(metrics.back().key == "queue");
}

TEST_CASE("a mapping may read a histogram's or summary's series: the request rate from x_count, a p99") {
    SeriesMapping rate, p99, bucket;
    rate.info.key = "req_rate";
    rate.metric = "http_request_duration_seconds_count";
    rate.kind = MappingKind::rate;
    p99.info.key = "rpc_p99";
    p99.metric = "rpc_duration_seconds";
    p99.match = {{"quantile", true, "0.99"}};
    bucket.info.key = "fast";
    bucket.metric = "http_request_duration_seconds_bucket";
    bucket.match = {{"le", true, "0.1"}};
    auto body = [](int requests, int fast) {
        return "# TYPE http_request_duration_seconds histogram\n"
               "http_request_duration_seconds_bucket{le=\"0.1\"} " + std::to_string(fast) + "\n"
               "http_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(requests) + "\n"
               "http_request_duration_seconds_sum 53.5\n"
               "http_request_duration_seconds_count " + std::to_string(requests) + "\n"
               "# TYPE rpc_duration_seconds summary\n"
               "rpc_duration_seconds{quantile=\"0.5\"} 0.02\n"
               "rpc_duration_seconds{quantile=\"0.99\"} 0.25\n"
               "rpc_duration_seconds_sum 17.5\n"
               "rpc_duration_seconds_count 2693\n";
    };
    ExpositionParser parser;
    for (const bool read_only : {false, true}) {
        CAPTURE(read_only);
        SeriesMappings mappings({rate, p99, bucket});
        NodeProfile profile;
        const MetricNameSet names = read_names(&profile, mappings);
        read_exposition(parser, &profile, mappings, body(1000, 900), 10.0, read_only ? &names : nullptr);
        auto r = read_exposition(parser, &profile, mappings, body(1500, 1300), 15.0, read_only ? &names : nullptr);
        REQUIRE(r.readable);
        std::map<std::string, double> v(r.values.begin(), r.values.end());
        CHECK(v.at("req_rate") == doctest::Approx(100));  // 500 requests in 5 s
        CHECK(v.at("rpc_p99") == doctest::Approx(0.25));
        CHECK(v.at("fast") == 1300);
        CHECK(r.series == 0);  // histograms and summaries are not counted as series
        CHECK(r.samples == 8);
    }
}

TEST_CASE("a body that is not exposition text, or is cut off by a fatal limit, is unreadable") {
    ExpositionParser parser;
    NodeProfile profile;
    auto mappings = queue_mapping();
    auto html = read_exposition(parser, &profile, mappings, "<html>\n<body>oops</body>\n", 1.0);
    CHECK_FALSE(html.readable);
    CHECK(html.reason.rfind("unreadable body: line 1: ", 0) == 0);

    ExpositionLimits small;
    small.max_series = 2;
    ExpositionParser limited(small);
    auto cut = read_exposition(limited, &profile, mappings, "a 1\nb 2\nc 3\n", 2.0);
    CHECK_FALSE(cut.readable);
    CHECK(cut.reason.find("too_many_series") != std::string::npos);

    auto empty = read_exposition(parser, &profile, mappings, "", 3.0);
    CHECK(empty.readable);  // an empty body is a target with nothing to say, not an error
}

TEST_CASE("a mapping's key replaces the profile's key of the same name, in values and in the catalog") {
    ExpositionParser parser;
    NodeProfile profile;
    SeriesMapping m;
    m.info.key = "load1";
    m.info.label = "Own load";
    m.metric = "app_load";
    SeriesMappings mappings({m});
    auto r = read_exposition(parser, &profile, mappings, "node_load1 1.5\napp_load 9\n", 1.0);
    std::map<std::string, double> v(r.values.begin(), r.values.end());
    CHECK(v.at("load1") == 9);
    CHECK(r.values.size() == 1);
    auto metrics = target_metrics(&profile, mappings);
    CHECK(std::count_if(metrics.begin(), metrics.end(), [](auto& x) { return x.key == "load1"; }) == 1);
    CHECK(metrics.back().label == "Own load");
}

TEST_CASE("reading only the profile's and mappings' names gives the same values and catalog as a full parse") {
    // Two real node_exporter bodies in a row (the second gives the rates), read both ways. A name
    // the profile uses but read_names() lacks would lose its key here.
    SeriesMapping m;
    m.info.key = "goroutines";
    m.metric = "go_goroutines";
    const std::string one = read_sources_fixture("node_exporter_scrape1.prom");
    const std::string two = read_sources_fixture("node_exporter_scrape2.prom");
    ExpositionParser parser;
    NodeProfile full_profile, read_profile;
    SeriesMappings full_maps({m}), read_maps({m});
    const MetricNameSet names = read_names(&read_profile, read_maps);
    CHECK(names.size() == NodeProfile::read_names().size() + 1);
    BodyReading full, read;
    for (auto [body, t] : {std::pair{&one, 10.0}, std::pair{&two, 11.0}}) {
        full = read_exposition(parser, &full_profile, full_maps, *body, t);
        read = read_exposition(parser, &read_profile, read_maps, *body, t, &names);
    }
    REQUIRE(full.readable);
    REQUIRE(read.readable);
    std::map<std::string, double> fv(full.values.begin(), full.values.end()), rv(read.values.begin(), read.values.end());
    CHECK(fv.size() > 8);  // cpu, mem, load1/5/15, net, disk, goroutines, per-core: the rates came
    CHECK(fv.count("cpu") == 1);
    CHECK(fv.count("goroutines") == 1);
    CHECK(rv == fv);
    CHECK(target_metrics(&read_profile, read_maps) == target_metrics(&full_profile, full_maps));
    CHECK(read.samples == full.samples);  // the body's sample lines, however many were read
    CHECK(read.series < full.series / 2);
    CHECK(read.bad_lines == 0);
}

TEST_CASE("reading only some names: a bad line of another name that looks like a sample is not seen") {
    ExpositionParser parser;
    NodeProfile profile;
    auto mappings = queue_mapping();
    const MetricNameSet names = read_names(&profile, mappings);
    // What --scrape-validate all is for: the default checks these lines' names and ends only.
    auto r = read_exposition(parser, &profile, mappings, "node_load1 1.5\nother{x=1} 2\n1bad 3\n", 1.0, &names);
    CHECK(r.readable);
    CHECK(r.bad_lines == 1);  // 1bad: not a name
    CHECK(r.samples == 2);
    auto all = read_exposition(parser, &profile, mappings, "node_load1 1.5\nother{x=1} 2\n1bad 3\n", 2.0);
    CHECK(all.bad_lines == 2);
    // Prose is not a sample passed over: a body of it stays unreadable (browser.real_fleet's target).
    auto prose = read_exposition(parser, &profile, mappings,
                                 "this is not an exposition\n{{{ \"cpu\": 12 }}}\nnode_load1 {oops 1\n", 3.0, &names);
    CHECK_FALSE(prose.readable);
    CHECK(prose.bad_lines == 3);
}

namespace {

std::string gzip(const std::string& in) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, in.size()) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

}  // namespace

TEST_CASE("gzip bodies are inflated, bounded, and a cut or corrupt one is an error; the room is reused") {
    const std::string body = "node_load1 1.5\n";
    std::string room, why;
    auto out = gunzip_body(gzip(body), 1024, &room, &why);
    REQUIRE(out);
    CHECK(*out == body);
    const std::string big(100000, 'a');
    CHECK_FALSE(gunzip_body(gzip(big), 50000, &room, &why));
    CHECK(why == "body over 50000 bytes once inflated");
    CHECK(room.size() == 50000);  // grown to the bound, never beyond
    // A smaller body after a bigger one: the room is not shrunk, the view has the body's size.
    const std::string two = "node_load1 2\nnode_load5 3\n";
    out = gunzip_body(gzip(two), 1024, &room, &why);
    REQUIRE(out);
    CHECK(*out == two);
    CHECK(out->data() == room.data());
    // A body bigger than the room so far grows it.
    std::string fresh;
    REQUIRE(gunzip_body(gzip(two), 200000, &fresh, &why));
    out = gunzip_body(gzip(big), 200000, &fresh, &why);
    REQUIRE(out);
    CHECK(*out == big);
    // The gzip trailer's size is checked: a body whose stated size lies is refused.
    std::string lying = gzip(big);
    lying[lying.size() - 1] = 1;
    CHECK_FALSE(gunzip_body(lying, 200000, &fresh, &why));
    auto z = gzip(body);
    CHECK_FALSE(gunzip_body(z.substr(0, z.size() / 2), 1024, &room, &why));
    CHECK(why.rfind("gzip: ", 0) == 0);
    CHECK_FALSE(gunzip_body("not gzip at all", 1024, &room, &why));
}
