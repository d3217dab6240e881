// What the hub tells its operators: /healthz's verdict (503 with reasons) and /metrics' text.
#include <doctest/doctest.h>

#include "hub/hub_context.h"
#include "hub/latency_histogram.h"
#include "hub/metrics_text.h"
#include "test_journal_support.h"

using namespace vigil::hub;
using namespace journal_test;
using namespace std::chrono_literals;

namespace {
struct Hub {
    Harness h;
    std::unique_ptr<Journal> journal = h.open();
    HubContext ctx{make_options(), *journal};
    static HubOptions make_options() {
        HubOptions o;
        o.interval_ms = 1000;
        return o;
    }
};

bool mentions(const std::vector<std::string>& problems, const std::string& what) {
    for (auto& p : problems)
        if (p.find(what) != std::string::npos) return true;
    return false;
}
}  // namespace

TEST_CASE("a hub that samples and journals is healthy") {
    Hub hub;
    CHECK(health_problems(hub.ctx, hub.ctx.last_sample + 1s).empty());
}

TEST_CASE("while journal appends fail, /healthz says so with the journal's error") {
    Hub hub;
    hub.ctx.counters.consecutive_append_failures = 3;
    hub.ctx.counters.last_append_error = "write: No space left on device";
    auto problems = health_problems(hub.ctx, hub.ctx.last_sample);
    REQUIRE(problems.size() == 1);
    CHECK(mentions(problems, "journal appends failing"));
    CHECK(mentions(problems, "No space left on device"));
    hub.ctx.counters.consecutive_append_failures = 0;  // a frame was journaled again
    CHECK(health_problems(hub.ctx, hub.ctx.last_sample).empty());
}

TEST_CASE("no sample for 3 intervals plus a second is a stall; less is not") {
    Hub hub;
    const auto t = hub.ctx.last_sample;
    CHECK(health_problems(hub.ctx, t + 4000ms).empty());
    CHECK(mentions(health_problems(hub.ctx, t + 4001ms), "sampling stalled"));
}

TEST_CASE("the histogram's buckets are cumulative and +Inf equals the count") {
    LatencyHistogram h;
    h.observe(0.0002);
    h.observe(0.003);
    h.observe(20.0);
    CHECK(h.bucket(0) == 0);  // <= 100 us
    CHECK(h.bucket(1) == 1);  // <= 500 us
    CHECK(h.bucket(4) == 2);  // <= 5 ms
    CHECK(h.bucket(LatencyHistogram::kBounds.size() - 1) == 2);  // <= 10 s: not the 20 s one
    CHECK(h.count() == 3);
    CHECK(h.sum() == doctest::Approx(20.0032));
}

TEST_CASE("/metrics names every family vigil_hub_*, with HELP and TYPE, and shows the counters") {
    Hub hub;
    hub.ctx.counters.frames = 42;
    hub.ctx.counters.connects_by_outcome["bad_origin"] = 2;
    hub.ctx.counters.rejected.add(vigil::protocol::RejectionKind::bad_json);
    const auto text = metrics_text(hub.ctx);
    CHECK(text.find("# TYPE vigil_hub_frames_total counter\nvigil_hub_frames_total 42\n") != std::string::npos);
    CHECK(text.find("vigil_hub_connects_total{outcome=\"bad_origin\"} 2\n") != std::string::npos);
    CHECK(text.find("vigil_hub_rejected_messages_total{kind=\"bad_json\"} 1\n") != std::string::npos);
    CHECK(text.find("vigil_hub_journal_fsync_seconds_bucket{le=\"+Inf\"} ") != std::string::npos);
    CHECK(text.find("vigil_hub_journal_fsync_seconds_bucket{le=\"0.0001\"} ") != std::string::npos);
    CHECK(text.find("vigil_hub_healthy 1\n") != std::string::npos);
    std::size_t pos = 0, lines = 0;
    while (pos < text.size()) {
        const auto nl = text.find('\n', pos);
        REQUIRE(nl != std::string::npos);  // every line ends with \n, the last one too
        const auto line = text.substr(pos, nl - pos);
        CHECK_MESSAGE((line.rfind("# HELP vigil_hub_", 0) == 0 || line.rfind("# TYPE vigil_hub_", 0) == 0 ||
                       line.rfind("vigil_hub_", 0) == 0),
                      line);
        pos = nl + 1;
        ++lines;
    }
    CHECK(lines > 40);
}
