// A hub that keeps breathing: out of file descriptors it pauses accepting instead of spinning and
// serves again once they are back; while journal appends fail /healthz answers 503 and says why;
// a resume is served at most the page's history window.
#include "hub_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace vigil::itest;

namespace {

// A plain TCP connection that says nothing (holds one of the hub's descriptors).
int open_silent(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(std::uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// The value of an unlabelled sample in a Prometheus exposition (-1 when absent).
double metric(const std::string& text, const std::string& name) {
    auto at = text.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + name.size() + 2));
}

}  // namespace

TEST_CASE("out of file descriptors (low RLIMIT_NOFILE), the hub pauses accepting instead of spinning, then serves again") {
    HubFixture f;
    SpawnOptions spawn;
    spawn.max_open_files = 48;
    auto& hub = f.start({"--max-clients", "200"}, spawn);
    std::vector<int> held;
    for (int i = 0; i < 120; ++i) {
        int fd = open_silent(hub.port());  // the kernel completes these from the backlog
        if (fd >= 0) held.push_back(fd);
    }
    REQUIRE(held.size() > 60);  // more than the hub can hold: its accepts fail with EMFILE
    hold_for(1500ms);           // the scenario: the descriptor table stays full this long
    for (int fd : held) ::close(fd);
    // Breathing again: it answers, and a screen gets in.
    std::string text;
    REQUIRE(eventually([&] {
        auto r = http_get(hub.port(), "/metrics", 1s);
        text = r.body;
        return r.status == 200;
    }, 15s));
    const double errors = metric(text, "vigil_hub_accept_errors_total");
    MESSAGE("accept errors while the table was full: " << errors);
    CHECK(errors >= 1);   // the table was full...
    CHECK(errors <= 200);  // ...and the hub paused (10 ms doubling to 1 s), not retried at once (~10^5/s)
    WsTestClient screen;
    REQUIRE(screen.connect(hub.port()));
    REQUIRE(screen.send_json(hello("c-after")));
    CHECK(!read_until_type(screen, "live").is_null());
}

TEST_CASE("while journal appends fail (file size limit ~ a full disk), /healthz answers 503 and says why") {
    HubFixture f;
    SpawnOptions spawn;
    spawn.max_file_bytes = 48 * 1024;  // the segment reaches it within a few seconds at 20 frames/s
    auto& hub = f.start({}, spawn);
    CHECK(http_get(hub.port(), "/healthz").status == 200);
    HttpReply r;
    REQUIRE(eventually([&] {
        r = http_get(hub.port(), "/healthz");
        return r.status == 503;
    }, 30s));
    auto h = nlohmann::json::parse(r.body);
    CHECK(h["ok"] == false);
    REQUIRE(h["problems"].size() >= 1);
    CHECK(h["problems"][0].get<std::string>().find("journal appends failing") != std::string::npos);
    CHECK(h["append_failures"].get<int>() >= 1);
    const auto metrics = http_get(hub.port(), "/metrics").body;
    CHECK(metric(metrics, "vigil_hub_healthy") == 0);
    CHECK(metric(metrics, "vigil_hub_journal_append_failures_total") >= 1);
    // Nothing unjournaled was sent: a page's stream ends at the last stored frame.
    WsTestClient c;
    REQUIRE(c.connect(hub.port()));
    REQUIRE(c.send_json(hello("c-full")));
    auto live = read_until_type(c, "live");
    REQUIRE(!live.is_null());
    CHECK(live["head"].get<std::uint64_t>() == h["head"].get<std::uint64_t>());
}

TEST_CASE("a resume is served at most the page's history_s window, plus one gap for what lies before it") {
    HubFixture f;
    auto& hub = f.start();  // 20 frames a second
    std::string epoch;
    REQUIRE(eventually([&] {
        auto h = healthz(hub.port());
        epoch = h.value("epoch", "");
        return h.value("head", 0) >= 120;  // 6 s of frames
    }, 20s));
    WsTestClient c;
    REQUIRE(c.connect(hub.port()));
    auto h = resume_hello("c-window", epoch, 1);
    h["history_s"] = 1.0;
    REQUIRE(c.send_json(h));
    std::vector<nlohmann::json> gaps;
    int frames = 0;
    auto live = read_until_type(c, "live", [&](const nlohmann::json& m) {
        if (m["type"] == "gap") gaps.push_back(m);
        if (m["type"] == "samples") ++frames;
    });
    REQUIRE(!live.is_null());
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0]["from"] == 2);
    CHECK(gaps[0]["to"].get<std::uint64_t>() >= 90);  // everything older than ~1 s
    MESSAGE("replayed " << frames << " frames for a 1 s window at 20 frames/s");
    CHECK(frames <= 40);  // the window's ~20 and what arrived meanwhile, not the 120+ after the cursor
    CHECK(frames >= 5);
}
