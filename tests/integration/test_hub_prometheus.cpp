// GET /metrics is valid Prometheus text (promtool check metrics) and a real Prometheus 2.42,
// started on a loopback port with a generated config, scrapes it (through the stats token): the
// target is up and a hub series has a value. Both tools come with shell/setup.sh's `prometheus`:
// missing, the test FAILS rather than skips.
#include "child_process.h"
#include "hub_fixture.h"

using namespace vigil::itest;

namespace {

const std::string kPrometheus = "/usr/bin/prometheus";
const std::string kPromtool = "/usr/bin/promtool";

}  // namespace

TEST_CASE("promtool accepts /metrics, also after clients, refusals and rejected messages filled its labels") {
    REQUIRE_MESSAGE(std::filesystem::exists(kPromtool), "promtool missing: shell/setup.sh installs the prometheus package");
    HubFixture f;
    auto& hub = f.start();
    WsTestClient good, evil;
    REQUIRE(good.connect(hub.port()));
    REQUIRE(good.send_json(hello("c-metrics")));
    REQUIRE(!read_until_type(good, "live").is_null());
    REQUIRE(good.send("not json"));
    REQUIRE(evil.connect(hub.port(), with_origin("http://evil.example")));
    REQUIRE(evil.read_until_closed(5s));
    REQUIRE(eventually([&] { return healthz(hub.port())["rejected_messages"] == 1; }, 5s));

    auto r = http_get(hub.port(), "/metrics");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(r.body.find("vigil_hub_connects_total{outcome=\"bad_origin\"} 1\n") != std::string::npos);
    CHECK(r.body.find("vigil_hub_connects_total{outcome=\"accepted\"} 1\n") != std::string::npos);
    CHECK(r.body.find("vigil_hub_rejected_messages_total{kind=\"bad_json\"} 1\n") != std::string::npos);
    CHECK(r.body.find("vigil_hub_clients 1\n") != std::string::npos);
    const std::string body = f.dir.path() + "/metrics.txt", out = f.dir.path() + "/promtool.out";
    std::ofstream(body, std::ios::binary) << r.body;
    Child promtool({kPromtool, "check", "metrics"}, body, out);
    auto status = promtool.wait(30s);
    REQUIRE(status.has_value());
    CHECK_MESSAGE(*status == 0, slurp(out));
    CHECK_MESSAGE(slurp(out).empty(), slurp(out));  // not even a lint warning
}

TEST_CASE("a real Prometheus scrapes the hub through the stats token: the target is up and a hub series has a value") {
    REQUIRE_MESSAGE(std::filesystem::exists(kPrometheus), "prometheus missing: shell/setup.sh installs it");
    HubFixture f;
    auto& hub = f.start({"--token", "s3cret-main", "--stats-token", "scrape-t0ken"});
    const int port = free_port();
    const std::string dir = f.dir.path(), config = dir + "/prometheus.yml", log = dir + "/prometheus.log";
    std::ofstream(config) << "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n"
                             "scrape_configs:\n  - job_name: vigil_hub\n    metrics_path: /metrics\n"
                             "    authorization:\n      type: Bearer\n      credentials: scrape-t0ken\n"
                             "    static_configs:\n      - targets: ['127.0.0.1:"
                          << hub.port() << "']\n";
    Child prometheus({kPrometheus, "--config.file=" + config, "--storage.tsdb.path=" + dir + "/tsdb",
                      "--web.listen-address=127.0.0.1:" + std::to_string(port), "--log.level=warn"},
                     "", log);
    auto api = [&](const std::string& query) {
        auto r = http_get(port, query, 2s);
        return r.status == 200 ? nlohmann::json::parse(r.body, nullptr, false) : nlohmann::json();
    };
    nlohmann::json target;
    const bool up = eventually([&] {
        auto t = api("/api/v1/targets");
        if (!t.is_object() || t["data"]["activeTargets"].empty()) return false;
        target = t["data"]["activeTargets"][0];
        return target.value("health", "") == "up";
    }, 60s);
    REQUIRE_MESSAGE(up, "target: " << target.dump() << "\nprometheus log:\n" << slurp(log));
    CHECK(target["scrapeUrl"] == "http://127.0.0.1:" + std::to_string(hub.port()) + "/metrics");
    double frames = 0;
    const bool has_value = eventually([&] {
        auto q = api("/api/v1/query?query=vigil_hub_frames_total");
        if (!q.is_object() || q["data"]["result"].empty()) return false;
        frames = std::stod(q["data"]["result"][0]["value"][1].get<std::string>());
        return frames > 0;
    }, 30s);
    CHECK_MESSAGE(has_value, slurp(log));
    MESSAGE("prometheus saw vigil_hub_frames_total = " << frames);
    // The scrapes were authorized: none was refused.
    auto m = http_get_with(hub.port(), "/metrics", {{"Authorization", "Bearer scrape-t0ken"}});
    CHECK(m.body.find("\nvigil_hub_unauthorized_stats_total 0\n") != std::string::npos);
    prometheus.terminate();
    CHECK(prometheus.wait(20s).has_value());
}
