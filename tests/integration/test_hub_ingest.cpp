// POST /ingest against a real hub: pushed hosts appear in a catalog on an open socket and their
// values in the next frames; mixed, garbage, oversized and unauthorised bodies get their status
// with nothing good lost; a host that stops pushing is DOWN with its reason; the JSON body path.
#include "hub_fixture.h"

#include "protocol/decode.h"

#include <functional>

using namespace vigil::itest;
using namespace vigil::protocol;

namespace {

// A page's socket past welcome/catalog/live, reading what follows as decoded messages.
struct Screen {
    WsTestClient ws;
    Catalog catalog;

    explicit Screen(int port, const std::string& target = "/ws") {
        REQUIRE(ws.connect(port, at_target(target)));
        auto h = hello("c-ingest");
        h["history_s"] = 0;
        REQUIRE(ws.send_json(h));
        REQUIRE(!read_until_type(ws, "welcome").is_null());
        auto text = ws.read();
        REQUIRE(text);
        auto c = decode_hub_message(*text);
        REQUIRE(std::holds_alternative<Catalog>(c));
        catalog = std::get<Catalog>(c);
        REQUIRE(!read_until_type(ws, "live").is_null());
    }

    // Reads until a samples frame satisfies `done` (catalogs on the way replace `catalog`).
    std::optional<Samples> frame_until(const std::function<bool(const Samples&)>& done,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            auto text = ws.read(left);
            if (!text) return std::nullopt;
            auto m = decode_hub_message(*text);  // the hub's frames pass the page's decoder
            if (auto* c = std::get_if<Catalog>(&m)) catalog = *c;
            if (auto* s = std::get_if<Samples>(&m); s && done(*s)) return *s;
        }
        return std::nullopt;
    }

    const HostInfo* host(const std::string& id) const {
        for (auto& h : catalog.hosts)
            if (h.id == id) return &h;
        return nullptr;
    }
};

std::optional<double> value(const Samples& s, const std::string& host, const std::string& key) {
    for (auto& h : s.hosts)
        if (h.host == host)
            for (auto& [k, v] : h.values)
                if (k == key) return v;
    return std::nullopt;
}

const HostDown* down(const Samples& s, const std::string& host) {
    for (auto& d : s.down)
        if (d.host == host) return &d;
    return nullptr;
}

double metric(int port, const std::string& series) {
    auto r = http_get(port, "/metrics");
    auto at = r.body.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(r.body.substr(at + series.size() + 2));
}

const std::string kTelegraf =
    "cpu,cpu=cpu-total,host=db-01 usage_idle=87.5,usage_user=10 1764138000000000000\n"
    "mem,host=db-01 used_percent=41.25,available=1024i 1764138000000000000\n"
    "system,host=db-01 load1=0.5,load5=0.25,load15=0.125,n_cpus=4i 1764138000000000000\n";

}  // namespace

TEST_CASE("a good body: the host appears in a catalog on the open socket, its values in the next frame, 204") {
    HubFixture f;
    auto& hub = f.start({"--push-down-intervals", "40"});
    Screen screen(hub.port());
    CHECK(!screen.host("db-01"));
    auto r = http_post(hub.port(), "/ingest", {{"Content-Type", "text/plain; charset=utf-8"}}, kTelegraf);
    CHECK(r.status == 204);
    CHECK(r.body.empty());
    auto frame = screen.frame_until([](const Samples& s) { return value(s, "db-01", "cpu").has_value(); });
    REQUIRE(frame);
    const HostInfo* h = screen.host("db-01");
    REQUIRE(h);  // the catalog came before the frame that carries the host
    CHECK(h->name == "db-01");
    REQUIRE(h->metrics.size() == 5);
    CHECK(h->metrics[0].key == "cpu");
    CHECK(h->metrics[0].unit == "%");
    CHECK(h->metrics[0].crit == 95.0);
    CHECK(h->metrics[2].key == "load1");
    CHECK(h->metrics[2].warn == 4.0);
    CHECK(*value(*frame, "db-01", "cpu") == doctest::Approx(12.5));
    CHECK(*value(*frame, "db-01", "mem") == doctest::Approx(41.25));
    CHECK(*value(*frame, "db-01", "load15") == doctest::Approx(0.125));
    CHECK(frame->hosts.front().host != "db-01");  // after the hub's own hosts
    CHECK(metric(hub.port(), "vigil_hub_ingest_lines_total{outcome=\"accepted\"}") == 3);
    CHECK(metric(hub.port(), "vigil_hub_ingest_requests_total{status=\"204\"}") == 1);
    auto health = healthz(hub.port());
    CHECK(health["ingest"]["hosts"] == 1);
    CHECK(health["ingest"]["lines"]["accepted"] == 3);
    CHECK(health["ingest"]["forgotten"] == 0);  // hosts and keys forgotten (a day of silence by default)
    CHECK(health["ingest"]["forgotten_keys"] == 0);
    CHECK(metric(hub.port(), "vigil_hub_push_keys_forgotten_total") == 0);
}

TEST_CASE("a mixed body: 400 with the bad lines' numbers, the good lines shown") {
    HubFixture f;
    auto& hub = f.start({"--push-down-intervals", "40"});
    Screen screen(hub.port());
    auto r = http_post(hub.port(), "/ingest", {},
                       "mem,host=web-01 used_percent=10\n"
                       "mem,host=web-01 used_percent=ten\n"
                       "mem,host=web-02 used_percent=20\n"
                       "mem used_percent=30\n"
                       "mem,host=local used_percent=40\n");
    REQUIRE(r.status == 400);
    CHECK(r.content_type == "application/json");
    auto j = nlohmann::json::parse(r.body);
    CHECK(j["accepted"] == 2);
    CHECK(j["rejected"] == 3);
    REQUIRE(j["errors"].size() == 3);
    CHECK(j["errors"][0]["line"] == 2);
    CHECK(j["errors"][0]["message"].get<std::string>().find("line 2: invalid_field_value") == 0);
    CHECK(j["errors"][1]["line"] == 4);
    CHECK(j["errors"][1]["message"] == "line 4: no host tag");
    CHECK(j["errors"][2]["line"] == 5);  // `local` is the hub's own host: not taken over
    CHECK(j["errors"][2]["message"].get<std::string>().find("host_taken") != std::string::npos);
    auto frame = screen.frame_until([](const Samples& s) { return value(s, "web-01", "mem") && value(s, "web-02", "mem"); });
    REQUIRE(frame);
    CHECK(*value(*frame, "web-01", "mem") == 10);
    CHECK(*value(*frame, "web-02", "mem") == 20);
    CHECK(metric(hub.port(), "vigil_hub_ingest_lines_total{outcome=\"parse_error\"}") == 1);
    CHECK(metric(hub.port(), "vigil_hub_ingest_lines_total{outcome=\"no_host\"}") == 1);
    CHECK(metric(hub.port(), "vigil_hub_ingest_lines_total{outcome=\"host_taken\"}") == 1);
    CHECK(metric(hub.port(), "vigil_hub_ingest_requests_total{status=\"400\"}") == 1);
}

TEST_CASE("binary garbage: 400, the good line inside it shown, the hub serves on") {
    HubFixture f;
    auto& hub = f.start({"--push-down-intervals", "40"});
    Screen screen(hub.port());
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage += char((i * 131 + 7) & 0xff);
    garbage += "\nmem,host=survivor used_percent=33\n";
    for (int i = 0; i < 4096; ++i) garbage += char((i * 17 + 3) & 0xff);
    auto r = http_post(hub.port(), "/ingest", {{"Content-Type", "application/octet-stream"}}, garbage);
    REQUIRE(r.status == 400);
    auto j = nlohmann::json::parse(r.body);  // the errors quote bytes: still valid JSON
    CHECK(j["accepted"] == 1);
    CHECK(j["rejected"].get<int>() > 0);
    CHECK(j["errors"].size() <= 20);
    auto frame = screen.frame_until([](const Samples& s) { return value(s, "survivor", "mem").has_value(); });
    REQUIRE(frame);
    CHECK(*value(*frame, "survivor", "mem") == 33);
    CHECK(healthz(hub.port())["ok"] == true);
}

TEST_CASE("a body over --ingest-max-bytes: 413 before it is sent (Content-Length) or as it comes (chunked)") {
    HubFixture f;
    auto& hub = f.start({"--ingest-max-bytes", "4096"});
    // Only the headers go: the hub answers from Content-Length without waiting for the body.
    auto r = http_raw(hub.port(),
                      "POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\nExpect: 100-continue\r\n\r\n");
    CHECK(r.status == 413);
    CHECK(r.header("connection") == "close");
    std::string chunked = "POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string line = "mem,host=big used_percent=1\n";
    std::string chunk;
    while (chunk.size() < 6000) chunk += line;
    char size[32];
    std::snprintf(size, sizeof size, "%zx", chunk.size());
    chunked += std::string(size) + "\r\n" + chunk + "\r\n0\r\n\r\n";
    r = http_raw(hub.port(), chunked);
    CHECK(r.status == 413);
    // Under the limit, chunked is fine.
    chunked = "POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
              [&] {
                  std::snprintf(size, sizeof size, "%zx", line.size());
                  return std::string(size);
              }() +
              "\r\n" + line + "\r\n0\r\n\r\n";
    CHECK(http_raw(hub.port(), chunked).status == 204);
    CHECK(metric(hub.port(), "vigil_hub_ingest_requests_total{status=\"413\"}") == 2);
    CHECK(healthz(hub.port())["ingest"]["hosts"] == 1);
}

TEST_CASE("with --token: 401 without it (counted), Bearer, Token (InfluxDB) and ?token= accepted") {
    HubFixture f;
    auto& hub = f.start({"--token", "s3cret", "--stats-token", "peek"});
    const std::string body = "mem,host=a used_percent=1\n";
    auto r = http_post(hub.port(), "/ingest", {}, body);
    CHECK(r.status == 401);
    CHECK(r.header("www-authenticate") == "Bearer");
    CHECK(http_post(hub.port(), "/ingest", {{"Authorization", "Bearer wrong"}}, body).status == 401);
    CHECK(http_post(hub.port(), "/ingest", {{"Authorization", "Bearer peek"}}, body).status == 401);  // read-only token
    CHECK(http_post(hub.port(), "/ingest", {{"Authorization", "Bearer s3cret"}}, body).status == 204);
    CHECK(http_post(hub.port(), "/api/v2/write?org=o&bucket=b&precision=s", {{"Authorization", "Token s3cret"}},
                    "mem,host=a used_percent=2 1764138000\n")
              .status == 204);
    CHECK(http_post(hub.port(), "/write?db=telegraf&token=s3cret", {}, body).status == 204);
    auto m = http_get_with(hub.port(), "/metrics", {{"Authorization", "Bearer s3cret"}});
    CHECK(m.body.find("vigil_hub_ingest_requests_total{status=\"401\"} 3") != std::string::npos);
    CHECK(m.body.find("vigil_hub_ingest_requests_total{status=\"204\"} 3") != std::string::npos);
}

TEST_CASE("GET /ingest is 405 with Allow: POST") {
    HubFixture f;
    auto& hub = f.start();
    auto r = http_get(hub.port(), "/ingest");
    CHECK(r.status == 405);
    CHECK(r.header("allow") == "POST");
    CHECK(metric(hub.port(), "vigil_hub_ingest_requests_total{status=\"405\"}") == 1);
}

TEST_CASE("a host that stops pushing is DOWN in the frames with `no push for N s` and since; a push brings it back") {
    HubFixture f;
    auto& hub = f.start();  // 50 ms frames, DOWN after 3 intervals without a push
    Screen screen(hub.port());
    const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    REQUIRE(http_post(hub.port(), "/ingest", {}, "mem,host=quiet used_percent=5\n").status == 204);
    auto frame = screen.frame_until([](const Samples& s) { return down(s, "quiet") != nullptr; });
    REQUIRE(frame);
    const HostDown* d = down(*frame, "quiet");
    CHECK(d->reason == "no push for 0.15 s");
    CHECK(d->since >= before + 150);
    CHECK(d->since <= frame->t);
    CHECK(!value(*frame, "quiet", "mem"));
    CHECK(healthz(hub.port())["ingest"]["down"] == 1);
    CHECK(metric(hub.port(), "vigil_hub_push_hosts{state=\"down\"}") == 1);
    REQUIRE(http_post(hub.port(), "/ingest", {}, "mem,host=quiet used_percent=6\n").status == 204);
    frame = screen.frame_until([](const Samples& s) { return value(s, "quiet", "mem").has_value(); });
    REQUIRE(frame);
    CHECK(!down(*frame, "quiet"));
    CHECK(*value(*frame, "quiet", "mem") == 6);
}

TEST_CASE("the samples JSON body (Content-Type: application/json): hosts and values; a bad entry refused, the rest kept") {
    HubFixture f;
    auto& hub = f.start({"--push-down-intervals", "40"});
    Screen screen(hub.port());
    auto r = http_post(hub.port(), "/ingest", {{"Content-Type", "application/json"}},
                       R"({"hosts":{"api-01":{"cpu":12.5,"queue":7},"api-02":{"cpu":null}}})");
    REQUIRE(r.status == 400);
    auto j = nlohmann::json::parse(r.body);
    CHECK(j["accepted"] == 1);
    CHECK(j["errors"][0]["host"] == "api-02");
    auto frame = screen.frame_until([](const Samples& s) { return value(s, "api-01", "queue").has_value(); });
    REQUIRE(frame);
    CHECK(*value(*frame, "api-01", "cpu") == 12.5);
    CHECK(*value(*frame, "api-01", "queue") == 7);
    REQUIRE(screen.host("api-01"));
    CHECK(screen.host("api-01")->metrics[0].unit == "%");
    CHECK(!screen.host("api-02"));
    CHECK(http_post(hub.port(), "/ingest", {{"Content-Type", "application/json"}}, R"({"hosts":{"api-01":{"cpu":1}}})").status == 204);
}
