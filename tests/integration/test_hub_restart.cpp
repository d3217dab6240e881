// Restarts lose nothing: SIGTERM sends shutdown + close 1012 with the hint and exits promptly;
// after a restart (clean or kill -9) a page resuming from its cursor gets every seq, in order,
// with no gap (kill -9 kills the process, not the machine: every journaled record survives);
// a cursor older than retention gets an explicit gap.
#include "hub_fixture.h"

using namespace vigil::itest;

namespace {

// Follows the stream like a page: remembers the epoch and the last seq, and fails on any hole
// and on any gap (a restart on the same machine has nothing to declare lost).
struct Follower {
    std::string epoch;
    std::uint64_t last = 0;
    int frames = 0;
    std::vector<std::string> problems;
    std::vector<nlohmann::json> gaps;

    void take(const nlohmann::json& m) {
        auto type = m.value("type", "");
        if (type == "welcome") epoch = m["epoch"];
        if (type == "gap") {
            gaps.push_back(m);
            problems.push_back("gap " + m.dump() + " after " + std::to_string(last));
            last = m["to"].get<std::uint64_t>();
        }
        if (type != "samples") return;
        auto seq = m["seq"].get<std::uint64_t>();
        if (last != 0 && seq != last + 1)
            problems.push_back("seq " + std::to_string(seq) + " after " + std::to_string(last));
        last = seq;
        ++frames;
    }

    // Reads until `n` more samples frames arrived (or the connection ended).
    void read_frames(WsTestClient& c, int n) {
        int target = frames + n;
        while (frames < target) {
            auto m = c.read_json();
            if (m.is_null()) return;
            take(m);
        }
    }
};

}  // namespace

TEST_CASE("SIGTERM: every client gets shutdown{restart, retry_ms} and close 1012 'retry_ms=<hint>'; exit 0 within a second") {
    HubFixture f;
    auto& hub = f.start({"--retry-hint-ms", "1234"});
    WsTestClient a, b;
    REQUIRE(a.connect(hub.port()));
    REQUIRE(b.connect(hub.port()));
    REQUIRE(a.send_json(hello("c-a")));
    REQUIRE(b.send_json(hello("c-b")));
    REQUIRE(!read_until_type(a, "live").is_null());
    REQUIRE(!read_until_type(b, "live").is_null());

    auto t0 = std::chrono::steady_clock::now();
    hub.terminate();
    for (auto* c : {&a, &b}) {
        auto shutdown = read_until_type(*c, "shutdown");
        REQUIRE(!shutdown.is_null());
        CHECK(shutdown["reason"] == "restart");
        CHECK(shutdown["retry_ms"] == 1234);
        REQUIRE(c->read_until_closed(3s));
        CHECK(c->close_code() == 1012);
        CHECK(c->close_reason() == "retry_ms=1234");
    }
    auto status = hub.wait_exit(3s);
    REQUIRE(status);
    CHECK(*status == 0);
    CHECK(std::chrono::steady_clock::now() - t0 < 2s);  // generous for a loaded machine; the hub aims at < 1 s
}

TEST_CASE("after SIGTERM and restart, resuming from the cursor misses no seq and the epoch is kept") {
    HubFixture f;
    f.start();
    Follower page;
    {
        WsTestClient c;
        REQUIRE(c.connect(f.hub->port()));
        REQUIRE(c.send_json(hello("c-resume")));
        page.read_frames(c, 15);
        f.hub->terminate();
        while (auto m = c.read(3s)) page.take(nlohmann::json::parse(*m));  // frames up to the close
        CHECK(c.close_code() == 1012);
        REQUIRE(f.hub->wait_exit(3s) == 0);
    }
    REQUIRE(page.last > 0);
    const auto before_epoch = page.epoch;
    const auto before_last = page.last;

    f.start();
    WsTestClient c;
    REQUIRE(c.connect(f.hub->port()));
    REQUIRE(c.send_json(resume_hello("c-resume", page.epoch, page.last)));
    auto welcome = c.read_json();
    REQUIRE(welcome["type"] == "welcome");
    CHECK(welcome["epoch"] == before_epoch);
    CHECK(welcome["head"].get<std::uint64_t>() >= before_last);
    page.read_frames(c, 20);
    CHECK(page.last >= before_last + 20);
    CHECK(page.problems.empty());
    for (auto& p : page.problems) MESSAGE(p);
}

TEST_CASE("after kill -9 mid-stream and restart, resuming from the cursor misses no seq and gets no gap") {
    HubFixture f;
    f.start();
    Follower page;
    {
        WsTestClient c;
        REQUIRE(c.connect(f.hub->port()));
        REQUIRE(c.send_json(hello("c-crash")));
        page.read_frames(c, 20);
        f.hub->kill9();  // mid-stream: no flush, no shutdown message
        while (auto m = c.read(3s)) page.take(nlohmann::json::parse(*m));
        REQUIRE(f.hub->wait_exit(3s) == 128 + 9);
    }
    const auto seen_last = page.last;
    REQUIRE(seen_last > 0);

    f.start();
    WsTestClient c;
    REQUIRE(c.connect(f.hub->port()));
    REQUIRE(c.send_json(resume_hello("c-crash", page.epoch, page.last)));
    auto welcome = c.read_json();
    REQUIRE(welcome["type"] == "welcome");
    CHECK(welcome["epoch"] == page.epoch);
    // Every frame the page saw was journaled before it was sent: the recovered head covers it.
    // Same boot: the head is the last journaled record, not the reservation (which would be
    // ~1024 seqs ahead and replay as a gap of frames that never existed).
    const auto head = welcome["head"].get<std::uint64_t>();
    CHECK(head >= seen_last);
    CHECK(head < seen_last + 64);  // at most the frames journaled but not yet read when the hub died
    page.read_frames(c, 20);
    CHECK(page.last >= seen_last + 20);
    CHECK(page.gaps.empty());
    CHECK(page.problems.empty());
    for (auto& p : page.problems) MESSAGE(p);
    auto h = healthz(f.hub->port());
    CHECK(h["head"].get<std::uint64_t>() >= page.last);
    CHECK(h["gaps_sent"].get<int>() == 0);
}

TEST_CASE("a cursor older than retention gets an explicit gap, then the retained frames in order") {
    HubFixture f;
    // Retention drops whole segments: small ones make it bite within a second.
    auto& hub = f.start({"--retention-frames", "10", "--journal-segment-bytes", "4096"});
    WsTestClient first;
    REQUIRE(first.connect(hub.port()));
    REQUIRE(first.send_json(hello("c-old")));
    auto welcome = first.read_json();
    REQUIRE(welcome["type"] == "welcome");
    const std::string epoch = welcome["epoch"];
    REQUIRE(eventually([&] { return healthz(hub.port())["head"].get<int>() >= 40; }, 10s));

    WsTestClient late;
    REQUIRE(late.connect(hub.port()));
    REQUIRE(late.send_json(resume_hello("c-old", epoch, 1)));
    auto w = late.read_json();
    REQUIRE(w["type"] == "welcome");
    const auto oldest = w["oldest"].get<std::uint64_t>();
    REQUIRE(oldest > 2);
    nlohmann::json gap = read_until_type(late, "gap");
    REQUIRE(!gap.is_null());
    CHECK(gap["from"] == 2);
    CHECK(gap["to"].get<std::uint64_t>() >= oldest - 1);
    // Then frames resume right after the gap, with no hole until live.
    std::uint64_t expect = gap["to"].get<std::uint64_t>() + 1;
    for (;;) {
        auto m = late.read_json();
        REQUIRE(!m.is_null());
        if (m["type"] == "live") break;
        if (m["type"] != "samples") continue;
        CHECK(m["seq"] == expect);
        expect = m["seq"].get<std::uint64_t>() + 1;
    }
    CHECK(healthz(hub.port())["gaps_sent"].get<int>() >= 1);
}
