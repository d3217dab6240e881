// Several hubs on a real 3-node NATS JetStream cluster (replicas 3), every process started and
// killed by PID on loopback ports: kill -9 of the writing collector (a standby takes over), one
// NATS node killed, every NATS node down and back. Throughout, a page on a hub sees contiguous
// seqs with no gap, and every seq it received has exactly the content the stream holds.
#include "hub_fixture.h"
#include "nats_cluster.h"

#include "hub/nats/jetstream_journal.h"

#include <nats/nats.h>

#include <map>
#include <sstream>

using namespace vigil::itest;

namespace {

constexpr int kIntervalMs = 200;

struct Site {
    TempDir dir;
    std::string root = dir.path() + "/site";
    Site() {
        std::filesystem::create_directories(root);
        std::ofstream(root + "/index.html") << "<!doctype html><title>Vigil</title>";
    }
    std::string journal(const std::string& id) const { return dir.path() + "/journal-" + id; }  // unused by --nats
};

// `simulate`: hosts besides `local`; hubs with different fleets tell whose catalog a screen gets.
std::unique_ptr<HubProcess> start_hub(const Site& site, const NatsCluster& nats, const std::string& id, int simulate = 4) {
    return std::make_unique<HubProcess>(site.root, site.journal(id),
                                        std::vector<std::string>{"--nats", nats.urls(), "--nats-replicas",
                                                                 std::to_string(nats.size() >= 3 ? 3 : 1),
                                                                 "--interval-ms", std::to_string(kIntervalMs),
                                                                 "--simulate", std::to_string(simulate), "--seed", "7",
                                                                 "--hub-id", id});
}

std::string journal_status(const HubProcess& hub, const std::string& key) {
    auto h = healthz(hub.port());
    if (h.is_null() || !h.contains("journal_status")) return "";
    return h["journal_status"].value(key, "");
}
std::string collector(const HubProcess& hub) { return journal_status(hub, "collector"); }

// Follows one hub like a page; every frame's text is kept by seq, so a seq seen twice with two
// contents (two writers) is caught, as are holes and gaps.
struct Page {
    std::uint64_t last = 0;
    int frames = 0;
    std::map<std::uint64_t, std::string> by_seq;
    std::vector<std::string> problems;
    std::chrono::steady_clock::time_point last_frame_at = std::chrono::steady_clock::now();
    std::chrono::milliseconds longest_pause{0};
    std::chrono::system_clock::time_point longest_pause_end;  // wall clock, to set beside nats-server's log
    std::vector<std::size_t> catalog_sizes;  // hosts in each catalog received
    // Previews (the writer's frames the stream has not delivered yet): how many, and the longest
    // time with neither a new frame nor a preview (what a screen would show as fresh data).
    int previews = 0;
    std::int64_t newest_t = 0;  // hub time of the newest frame or preview
    std::chrono::steady_clock::time_point last_fresh_at = std::chrono::steady_clock::now();
    std::chrono::milliseconds longest_fresh_pause{0};

    void fresh(std::int64_t t) {
        const auto now = std::chrono::steady_clock::now();
        if (t <= newest_t) return;
        longest_fresh_pause = std::max(longest_fresh_pause, std::chrono::duration_cast<std::chrono::milliseconds>(now - last_fresh_at));
        last_fresh_at = now;
        newest_t = t;
    }

    void take(const std::string& text) {
        auto m = nlohmann::json::parse(text);
        auto type = m.value("type", "");
        if (type == "catalog") catalog_sizes.push_back(m["hosts"].size());
        if (type == "gap") problems.push_back("gap " + m.dump() + " after " + std::to_string(last));
        if (type == "preview") {
            // Never journaled, so never with a seq; always news (the hub drops outdated ones).
            if (m.contains("seq")) problems.push_back("a preview with a seq: " + m.dump());
            if (m.value("t", std::int64_t{0}) <= newest_t) problems.push_back("a preview older than what came before: " + m.dump());
            ++previews;
            fresh(m.value("t", std::int64_t{0}));
            return;
        }
        if (type != "samples") return;
        fresh(m.value("t", std::int64_t{0}));
        auto seq = m["seq"].get<std::uint64_t>();
        auto now = std::chrono::steady_clock::now();
        const auto pause = std::chrono::duration_cast<std::chrono::milliseconds>(now - last_frame_at);
        if (frames > 0 && pause > longest_pause) {
            longest_pause = pause;
            longest_pause_end = std::chrono::system_clock::now();
        }
        last_frame_at = now;
        if (last != 0 && seq != last + 1) problems.push_back("seq " + std::to_string(seq) + " after " + std::to_string(last));
        auto [it, fresh] = by_seq.emplace(seq, text);
        if (!fresh && it->second != text) problems.push_back("seq " + std::to_string(seq) + " came with two contents");
        last = std::max(last, seq);
        ++frames;
    }
    // Reads until n more frames came; false when the connection ended or the deadline passed.
    bool read_frames(WsTestClient& c, int n, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        const int target = frames + n;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (frames < target) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            auto text = c.read(left);
            if (!text) return false;
            take(*text);
        }
        return true;
    }
};

void join(WsTestClient& c, int port, Page& page, const std::string& client, bool previews = false) {
    REQUIRE(c.connect(port));
    auto h = hello(client);
    if (previews) h["previews"] = true;
    REQUIRE(c.send_json(h));
    for (;;) {
        auto text = c.read();
        REQUIRE(text);
        auto m = nlohmann::json::parse(*text);
        if (m.value("type", "") == "live") break;
        page.take(*text);
    }
}

// A ping on the screen's socket, read until its pong: the frames before it go to the page.
void ping_until_pong(WsTestClient& c, Page& page, int t, std::chrono::milliseconds wait) {
    REQUIRE(c.send_json({{"type", "ping"}, {"t", t}}));
    for (;;) {
        auto text = c.read(wait);
        REQUIRE(text);
        if (nlohmann::json::parse(*text).value("type", "") == "pong") return;
        page.take(*text);
    }
}

// Reads stored frames back from the stream itself (nats.c), as a third party would.
class StreamReader {
public:
    explicit StreamReader(const std::string& urls) {
        natsOptions* opts = nullptr;
        natsOptions_Create(&opts);
        std::vector<std::string> list;
        std::stringstream in(urls);
        for (std::string u; std::getline(in, u, ',');) list.push_back(u);
        std::vector<const char*> servers;
        for (auto& u : list) servers.push_back(u.c_str());
        natsOptions_SetServers(opts, servers.data(), static_cast<int>(servers.size()));
        natsOptions_SetTimeout(opts, 2000);
        ok_ = natsConnection_Connect(&nc_, opts) == NATS_OK && natsConnection_JetStream(&js_, nc_, nullptr) == NATS_OK;
        natsOptions_Destroy(opts);
    }
    ~StreamReader() {
        if (js_) jsCtx_Destroy(js_);
        if (nc_) natsConnection_Destroy(nc_);
    }
    bool ok() const { return ok_; }
    bool info(jsStreamInfo** out, const char* stream = "VIGIL") { return js_GetStreamInfo(out, js_, stream, nullptr, nullptr) == NATS_OK; }
    // Consumers of a stream now (-1: no answer).
    long consumers(const char* stream) {
        jsStreamInfo* i = nullptr;
        if (!info(&i, stream)) return -1;
        const long n = static_cast<long>(i->State.Consumers);
        jsStreamInfo_Destroy(i);
        return n;
    }
    // Whether the stream has a leader and every replica is current (none offline or lagging).
    bool all_current() {
        jsStreamInfo* info = nullptr;
        if (js_GetStreamInfo(&info, js_, "VIGIL", nullptr, nullptr) != NATS_OK) return false;
        bool ok = info->Cluster && info->Cluster->Leader && info->Cluster->ReplicasLen == 2;
        for (int i = 0; ok && i < info->Cluster->ReplicasLen; ++i)
            ok = info->Cluster->Replicas[i]->Current && !info->Cluster->Replicas[i]->Offline;
        jsStreamInfo_Destroy(info);
        return ok;
    }
    // The server name of the stream's current leader ("" when unknown).
    std::string stream_leader() {
        jsStreamInfo* info = nullptr;
        if (js_GetStreamInfo(&info, js_, "VIGIL", nullptr, nullptr) != NATS_OK) return "";
        std::string leader = info->Cluster && info->Cluster->Leader ? info->Cluster->Leader : "";
        jsStreamInfo_Destroy(info);
        return leader;
    }
    // Deletes one frame (nats stream rmm): the stream's last seq stays what it was.
    bool delete_msg(std::uint64_t seq) { return js_DeleteMsg(js_, "VIGIL", seq, nullptr, nullptr) == NATS_OK; }
    // Deletes the frames' stream, as an operator with the nats CLI would.
    bool remove() { return js_DeleteStream(js_, "VIGIL", nullptr, nullptr) == NATS_OK; }
    std::optional<std::string> get(std::uint64_t seq) {
        natsMsg* msg = nullptr;
        if (js_GetMsg(&msg, js_, "VIGIL", seq, nullptr, nullptr) != NATS_OK) return std::nullopt;
        std::string text(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
        natsMsg_Destroy(msg);
        return text;
    }

private:
    natsConnection* nc_ = nullptr;
    jsCtx* js_ = nullptr;
    bool ok_ = false;
};

// Every frame the page received is, byte for byte, what the stream holds under that seq.
void check_against_stream(const NatsCluster& nats, const Page& page) {
    StreamReader reader(nats.urls());
    REQUIRE(reader.ok());
    int differ = 0, missing = 0;
    for (const auto& [seq, text] : page.by_seq) {
        auto stored = reader.get(seq);
        if (!stored) ++missing;
        else if (*stored != text) ++differ;
    }
    CHECK(missing == 0);
    CHECK(differ == 0);
}

// HH:MM:SS.mmm (UTC), the way nats-server's log lines show time.
std::string wall_clock(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03lld", tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(ms % 1000));
    return buf;
}

long long ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
}

// The arrangement most cases start from: the cluster ready (3 nodes, or `nodes`), hub a
// writing, hub b standing by.
struct TwoHubs {
    NatsCluster nats;
    Site site;
    std::unique_ptr<HubProcess> a, b;
    explicit TwoHubs(int b_simulate = 4, int nodes = 3) : nats(nodes) {
        nats.start_all();
        REQUIRE(nats.wait_ready(std::chrono::seconds(30)));
        a = start_hub(site, nats, "a");
        REQUIRE(eventually([&] { return collector(*a) == "writer"; }, std::chrono::seconds(10)));
        b = start_hub(site, nats, "b", b_simulate);
    }
};

// One node, one replica, ready: for the cases about the stream itself.
struct OneNode {
    NatsCluster nats{1};
    Site site;
    OneNode() {
        nats.start_all();
        REQUIRE(nats.wait_ready(std::chrono::seconds(20)));
    }
};

}  // namespace

TEST_CASE("kill -9 of the writing collector: the standby takes over, seqs stay contiguous; one NATS node killed changes nothing") {
    TwoHubs hubs(2);  // b's own fleet is smaller: 3 hosts, a's has 5
    auto& nats = hubs.nats;
    auto& site = hubs.site;
    auto& a = hubs.a;
    auto& b = hubs.b;

    Page page;
    WsTestClient on_b;
    join(on_b, b->port(), page, "screen-b");
    REQUIRE(page.read_frames(on_b, 10));
    CHECK(collector(*b) == "standby");  // frames keep coming from a: b never wrote
    CHECK(page.catalog_sizes == std::vector<std::size_t>{5});  // the writer's catalog, not b's own

    // The writer dies. Takeover time: from the kill to the next frame on the page.
    const auto last_before = page.last;
    const auto killed = std::chrono::steady_clock::now();
    a->kill9();
    REQUIRE(page.read_frames(on_b, 1));
    const auto takeover_ms = ms_since(killed);
    CHECK(page.last == last_before + 1);  // the takeover's first frame is the next seq: nothing lost, no gap
    REQUIRE(page.read_frames(on_b, 10));
    CHECK(collector(*b) == "writer");
    CHECK(page.catalog_sizes == std::vector<std::size_t>{5, 3});  // the new writer's catalog, once
    MESSAGE("takeover after kill -9 of the writer: " << takeover_ms << " ms to the next frame (interval "
                                                      << kIntervalMs << " ms; rule: within 3 intervals)");
    // The bound. The standby publishes at its first tick 2 intervals after the last frame
    // it saw, which came before the kill: at most 3 intervals after the kill. Beyond that only the
    // frame's way (publish, stream, consumer, WebSocket to this page: tens of ms on loopback).
    constexpr long long kFrameWayMs = 100;
    CHECK(takeover_ms <= 3 * kIntervalMs + kFrameWayMs);

    // The dead hub comes back: it stands by, the page's stream does not notice.
    a = start_hub(site, nats, "a");
    REQUIRE(page.read_frames(on_b, 10));
    CHECK(collector(*a) == "standby");

    // One NATS node of three dies (replicas 3: the stream keeps its quorum). A follower of the
    // stream first, then (restarted) the stream's leader, which costs a leader election.
    std::string leader;
    REQUIRE(eventually([&] { return !(leader = StreamReader(nats.urls()).stream_leader()).empty(); }, std::chrono::seconds(5)));
    const int follower = leader == "n0" ? 1 : 0;
    page.longest_pause = std::chrono::milliseconds(0);
    nats.kill9(follower);
    REQUIRE(page.read_frames(on_b, 25));
    MESSAGE("a NATS node (a follower of the stream) killed: longest pause between frames on the page "
            << page.longest_pause.count() << " ms");
    nats.start(follower);
    REQUIRE(nats.wait_ready(std::chrono::seconds(30)));
    REQUIRE(page.read_frames(on_b, 10));
    // The restarted node must have caught up with the stream before its leader dies: until then
    // two of three replicas are not usable and no leader can be elected (an outage, not this case).
    // And the leader is read again: leadership may have moved meanwhile.
    REQUIRE(eventually([&] {
        StreamReader r(nats.urls());
        return r.all_current() && !(leader = r.stream_leader()).empty();
    }, std::chrono::seconds(30)));
    REQUIRE(page.read_frames(on_b, 1));
    // Besides this page (its hello asks for no previews: an older build), one that asks for them.
    Page wants;
    WsTestClient previews_on_b;
    join(previews_on_b, b->port(), wants, "screen-b-previews", /*previews=*/true);
    REQUIRE(wants.read_frames(previews_on_b, 2));
    CHECK(wants.previews == 0);  // frames are stored in time: no preview is shown
    page.longest_pause = wants.longest_pause = wants.longest_fresh_pause = std::chrono::milliseconds(0);
    const int leader_node = std::stoi(leader.substr(1));
    const auto leader_killed = std::chrono::system_clock::now();
    nats.kill9(leader_node);
    // The election silences the stream for seconds; the writer's previews keep that page fresh.
    const bool resumed = wants.read_frames(previews_on_b, 25, std::chrono::seconds(40));
    MESSAGE("the NATS node leading the stream killed at " << wall_clock(leader_killed)
            << ": longest pause between frames " << wants.longest_pause.count() << " ms, ended at "
            << wall_clock(wants.longest_pause_end) << "; " << wants.previews << " previews meanwhile, longest time without "
            << "fresh data (a frame or a preview) " << wants.longest_fresh_pause.count() << " ms (interval " << kIntervalMs << " ms)");
    if (resumed) {
        // The election took seconds (nats-server 2.9: 4-9 s): previews came, about one a tick.
        CHECK(wants.longest_pause > std::chrono::milliseconds(4 * kIntervalMs));
        CHECK(wants.previews >= 2);
        CHECK(wants.problems == std::vector<std::string>{});
        check_against_stream(nats, wants);
        // The page that did not ask got the same frames and not one preview.
        REQUIRE(page.read_frames(on_b, static_cast<int>(wants.last - page.last)));
        CHECK(page.previews == 0);
    }
    // With VIGIL_NATS_DEBUG=1 the nodes log their raft elections: when the new stream leader was
    // elected, beside the kill and the first frame after it.
    for (int i = 0; i < nats.size(); ++i) {
        if (i == leader_node) continue;
        for (const auto& needle : {"Switching to candidate", "Switching to leader", "[WRN]", "[ERR]"})
            for (const auto& line : nats.log_lines(i, needle)) MESSAGE("n" << i << ": " << line);
    }
    REQUIRE(resumed);

    // A page on the other hub resumes from the first seq the first page saw: same contents.
    Page other;
    WsTestClient on_a;
    REQUIRE(on_a.connect(a->port()));
    REQUIRE(on_a.send_json(resume_hello("screen-a", healthz(a->port())["epoch"], page.by_seq.begin()->first - 1)));
    REQUIRE(other.read_frames(on_a, static_cast<int>(page.by_seq.size())));
    for (const auto& [seq, text] : other.by_seq) {
        auto it = page.by_seq.find(seq);
        if (it != page.by_seq.end() && it->second != text) other.problems.push_back("seq " + std::to_string(seq) + " differs between hubs");
    }
    CHECK(page.problems == std::vector<std::string>{});
    CHECK(other.problems == std::vector<std::string>{});
    check_against_stream(nats, page);

    // A rolling upgrade, make before break: SIGTERM to hub a (a standby here) tells its screen
    // to open its next connection (`shutdown` with handover_ms) and goes on sending it frames
    // while taking no new connection; the screen resumes on b from its cursor, then leaves a,
    // and a exits at once.
    const std::string epoch = healthz(a->port())["epoch"];
    a->terminate();
    auto shutdown = read_until_type(on_a, "shutdown", [&](const nlohmann::json& m) {
        if (m.value("type", "") == "samples") other.last = std::max(other.last, m["seq"].get<std::uint64_t>());
    });
    REQUIRE(!shutdown.is_null());
    const auto hinted = std::chrono::steady_clock::now();
    CHECK(shutdown["reason"] == "reconnect");
    CHECK(shutdown["retry_ms"] == 0);
    CHECK(shutdown.value("handover_ms", 0) == 3000);
    Page after_hint;
    after_hint.last = other.last;
    REQUIRE(after_hint.read_frames(on_a, 3));  // still live on a after the hint
    CHECK(after_hint.problems == std::vector<std::string>{});
    WsTestClient refused;
    std::string why;
    CHECK_FALSE(refused.connect(a->port(), {}, &why, std::chrono::seconds(2)));  // nginx's next try goes elsewhere
    Page moved;
    moved.last = after_hint.last;
    WsTestClient again;
    REQUIRE(again.connect(b->port()));
    REQUIRE(again.send_json(resume_hello("screen-a", epoch, after_hint.last)));
    REQUIRE(moved.read_frames(again, 5));
    CHECK(moved.problems == std::vector<std::string>{});  // frames after_hint.last + 1, ... : no gap, none missing
    on_a.drop();  // the screen leaves a (a page closes 1000 "handed over")
    const auto exited = a->wait_exit(std::chrono::seconds(5));
    REQUIRE(exited);
    CHECK(*exited == 0);
    MESSAGE("SIGTERM of a standby with one screen: " << after_hint.frames << " frames on it after the hint; the hub exited "
            << ms_since(hinted) << " ms after the hint, once its screen had left (the window is 3000 ms)");
}

TEST_CASE("SIGTERM of the writer: it hands its screen over, a standby takes over on its leaving note, and the window ends with 1012") {
    TwoHubs hubs;
    auto& a = hubs.a;
    auto& b = hubs.b;
    Page page;
    WsTestClient on_a;
    join(on_a, a->port(), page, "screen-a");
    REQUIRE(page.read_frames(on_a, 5));
    REQUIRE(collector(*a) == "writer");
    REQUIRE(collector(*b) == "standby");
    page.longest_pause = std::chrono::milliseconds(0);
    const auto last_before = page.last;
    const auto termed = std::chrono::steady_clock::now();
    a->terminate();
    // The screen does not leave: frames keep coming on a (b's, once it writes) until the window ends.
    std::chrono::steady_clock::time_point hint_at, first_new_at;
    bool hinted = false, saw_new = false;
    int frames_after_hint = 0, shutdowns = 0;
    for (;;) {
        auto text = on_a.read(std::chrono::seconds(6));
        if (!text) break;
        auto m = nlohmann::json::parse(*text);
        if (m.value("type", "") == "shutdown") {
            // The hint first; at the window's end the plain "reconnect now" before the 1012.
            if (++shutdowns == 1) {
                hinted = true;
                hint_at = std::chrono::steady_clock::now();
                CHECK(m.value("handover_ms", 0) == 3000);
            } else {
                CHECK(m.value("handover_ms", 0) == 0);
            }
            continue;
        }
        page.take(*text);
        if (m.value("type", "") != "samples") continue;
        if (hinted) ++frames_after_hint;
        if (!saw_new && journal_status(*b, "collector") == "writer") {
            saw_new = true;
            first_new_at = std::chrono::steady_clock::now();
        }
    }
    REQUIRE(hinted);
    CHECK(shutdowns == 2);
    REQUIRE(on_a.closed());
    CHECK(on_a.close_code() == 1012);
    CHECK(on_a.close_reason() == "retry_ms=0 reconnect=now");
    const auto window_ms = ms_since(hint_at);
    CHECK(frames_after_hint >= 5);  // 3 s at 200 ms: served live through the window
    CHECK(page.last > last_before);
    CHECK(page.problems == std::vector<std::string>{});  // contiguous through the takeover
    REQUIRE(collector(*b) == "writer");
    CHECK(journal_status(*b, "takeovers_on_leaving_note") == "1");  // not the silence rule
    REQUIRE(a->wait_exit(std::chrono::seconds(3)));
    check_against_stream(hubs.nats, page);
    MESSAGE("SIGTERM of the writer (interval " << kIntervalMs << " ms): longest pause between frames on its screen "
            << page.longest_pause.count() << " ms (the silence rule alone waits 2 intervals + a tick); standby writing "
            << (saw_new ? std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(first_new_at - termed).count()) : std::string("?"))
            << " ms after the SIGTERM (polled); " << frames_after_hint << " frames after the hint; close 1012 "
            << window_ms << " ms after it");
}

TEST_CASE("every NATS node down: screens stay connected and frames stop (honest); NATS back: frames continue, no seq reused") {
    TwoHubs hubs;
    auto& nats = hubs.nats;
    auto& b = hubs.b;
    Page page;
    WsTestClient on_b;
    join(on_b, b->port(), page, "screen-b");
    REQUIRE(page.read_frames(on_b, 5));

    for (int i = 0; i < nats.size(); ++i) nats.kill9(i);
    // Frames already on their way may still arrive; then nothing while NATS is away.
    // The outage itself: NATS away for 3 s (VIGIL_NATS_OUTAGE_MS=N for a longer one, to measure).
    const char* outage = std::getenv("VIGIL_NATS_OUTAGE_MS");
    hold_for(std::chrono::milliseconds(outage && std::atoi(outage) > 3000 ? std::atoi(outage) : 3000));
    // The screen's connection is alive: a ping is answered (frames sent before the outage may come first).
    ping_until_pong(on_b, page, 1, std::chrono::seconds(2));
    const auto last_in_outage = page.last;
    REQUIRE(on_b.send_json({{"type", "ping"}, {"t", 2}}));
    auto second = on_b.read(std::chrono::seconds(2));
    REQUIRE(second);
    CHECK(nlohmann::json::parse(*second).value("type", "") == "pong");  // no frame without NATS, just the pong
    CHECK(page.last == last_in_outage);
    auto health = healthz(b->port());
    CHECK(health["ok"] == false);  // no frame for 3 intervals + 1 s: the hub says so
    CHECK(health["journal_status"]["nats"] == "disconnected");

    const auto back = std::chrono::steady_clock::now();
    nats.start_all();
    REQUIRE(nats.wait_ready(std::chrono::seconds(30)));
    REQUIRE(page.read_frames(on_b, 1, std::chrono::seconds(60)));
    MESSAGE("every NATS node restarted: first frame on the page " << ms_since(back) << " ms after the restart began");
    CHECK(page.last == last_in_outage + 1);  // the seq after the last one stored: none reused, none skipped
    StreamReader reader(nats.urls());
    // Two hubs, one ordered consumer each: more are consumers nats.c reset and left behind
    // (ephemeral: the server drops them after a while without interest). Reported, not asserted.
    const long consumers_at_first = reader.consumers("VIGIL");
    REQUIRE(page.read_frames(on_b, 10));
    MESSAGE("consumers of the frames' stream: " << consumers_at_first << " at the first frame after the restart, "
            << reader.consumers("VIGIL") << " ten frames later (2 hubs)");
    CHECK(page.problems == std::vector<std::string>{});  // contiguous: the first frame after is last + 1
    check_against_stream(nats, page);
}

TEST_CASE("every NATS node stopped (SIGSTOP: unreachable, not refusing): the hub's thread does not wait for nats.c's reconnect") {
    // nats.c 3.4.1 reconnects holding the connection's lock while it opens TCP to a node and waits
    // for its INFO (up to the 2 s timeout): a stopped node accepts the TCP connection and never
    // answers. A publish made on the hub's thread then waits for that lock, and so does every
    // screen and request of the hub meanwhile. POST /ingest forwards each body (a core publish).
    NatsCluster nats;
    nats.start_all();
    REQUIRE(nats.wait_ready(std::chrono::seconds(30)));
    Site site;
    auto a = start_hub(site, nats, "a");
    REQUIRE(eventually([&] { return collector(*a) == "writer"; }, std::chrono::seconds(10)));
    Page page;
    WsTestClient screen;
    join(screen, a->port(), page, "screen-a");
    REQUIRE(page.read_frames(screen, 3));

    for (int i = 0; i < nats.size(); ++i) nats.pause(i);
    struct Resume {  // SIGCONT whatever happens: a stopped nats-server outlives a failed test otherwise
        NatsCluster& n;
        ~Resume() { for (int i = 0; i < n.size(); ++i) n.resume(i); }
    } resume{nats};
    // nats.c notices the dead connection after two unanswered pings (1 s apart) and reconnects.
    REQUIRE(eventually([&] { return journal_status(*a, "nats") == "disconnected"; }, std::chrono::seconds(15)));

    // Now the reconnect thread holds the lock most of the time. Each POST, ping and /healthz is
    // answered at once (the blocked hub took ~2 s per POST, each waiting for a node's INFO timeout).
    long long slowest_post = 0, slowest_pong = 0, slowest_healthz = 0;
    const std::string body = "mem,host=pushed-01 used_percent=41.25\n";
    for (int i = 0; i < 5; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        auto r = http_post(a->port(), "/ingest", {{"Content-Type", "text/plain"}}, body, std::chrono::seconds(10));
        slowest_post = std::max(slowest_post, ms_since(t0));
        CHECK(r.status == 204);
        t0 = std::chrono::steady_clock::now();
        ping_until_pong(screen, page, i + 1, std::chrono::seconds(10));
        slowest_pong = std::max(slowest_pong, ms_since(t0));
        t0 = std::chrono::steady_clock::now();
        CHECK(http_get(a->port(), "/healthz", std::chrono::seconds(10)).status != 0);
        slowest_healthz = std::max(slowest_healthz, ms_since(t0));
    }
    MESSAGE("every NATS node stopped, hub reconnecting: slowest POST /ingest " << slowest_post << " ms, pong "
            << slowest_pong << " ms, /healthz " << slowest_healthz << " ms (5 of each)");
    // Generous for a loaded 2-core machine; a blocked hub waits ~2 s (a node's INFO timeout).
    CHECK(slowest_post < 1000);
    CHECK(slowest_pong < 1000);
    CHECK(slowest_healthz < 1000);
    CHECK(std::stoull(journal_status(*a, "push_forward_drops")) >= 5);  // at most once: dropped, counted
    CHECK(http_get(a->port(), "/metrics").body.find("vigil_hub_nats_dropped_total{kind=\"push\"} ") != std::string::npos);
    CHECK(journal_status(*a, "nats") == "disconnected");

    // NATS runs again: the hub reconnects, frames continue with the next seq, pushes are forwarded.
    const auto back = std::chrono::steady_clock::now();
    for (int i = 0; i < nats.size(); ++i) nats.resume(i);
    REQUIRE(page.read_frames(screen, 3, std::chrono::seconds(60)));
    MESSAGE("every NATS node resumed: 3 frames on the screen " << ms_since(back) << " ms later");
    const auto forwarded = std::stoull(journal_status(*a, "pushes_forwarded"));
    CHECK(http_post(a->port(), "/ingest", {{"Content-Type", "text/plain"}}, body).status == 204);
    CHECK(eventually([&] { return std::stoull(journal_status(*a, "pushes_forwarded")) > forwarded; }, std::chrono::seconds(5)));
    CHECK(page.problems == std::vector<std::string>{});
    check_against_stream(nats, page);
}

TEST_CASE("a hub started while no NATS node answers: it serves its screens without frames, then opens the stream and continues at the next seq") {
    // A stream with frames in it, then NATS and its writer gone.
    OneNode one;
    auto& nats = one.nats;
    auto& site = one.site;
    std::string epoch;
    std::uint64_t head = 0;
    {
        auto a = start_hub(site, nats, "a");
        REQUIRE(eventually([&] { return healthz(a->port())["head"].get<std::uint64_t>() >= 5; }, std::chrono::seconds(10)));
        a->kill9();
    }
    {
        StreamReader reader(nats.urls());
        REQUIRE(reader.ok());
        jsStreamInfo* info = nullptr;
        REQUIRE(reader.info(&info));
        head = info->State.LastSeq;
        epoch = vigil::hub::nats::stream_epoch("VIGIL", info->Created);
        jsStreamInfo_Destroy(info);
    }
    nats.kill9(0);

    // The hub comes up anyway and serves the page...
    auto b = start_hub(site, nats, "b");
    CHECK(http_get(b->port(), "/").status == 200);
    CHECK(journal_status(*b, "state") == "connecting");
    CHECK(journal_status(*b, "nats") == "disconnected");
    // ...and its screens, under the waiting epoch, with nothing to replay and no frame (STALE).
    WsTestClient screen;
    REQUIRE(screen.connect(b->port()));
    REQUIRE(screen.send_json(resume_hello("screen", epoch, head)));
    auto welcome = read_until_type(screen, "welcome");
    REQUIRE(!welcome.is_null());
    CHECK(welcome["epoch"] == "js-VIGIL-pending");
    CHECK(welcome["head"] == 0);
    REQUIRE(!read_until_type(screen, "live").is_null());
    hold_for(std::chrono::milliseconds(3 * kIntervalMs));  // the outage itself: three intervals without NATS
    REQUIRE(screen.send_json({{"type", "ping"}, {"t", 1}}));
    auto next = screen.read_json(std::chrono::seconds(2));
    CHECK(next.value("type", "") == "pong");  // no frame came first
    // No frame for 3 intervals + 1 s: not healthy (polled: the bound counts from the hub's start).
    CHECK(eventually([&] { return healthz(b->port())["ok"] == false; }, std::chrono::seconds(5)));
    CHECK(journal_status(*b, "collector") == "standby");
    CHECK(journal_status(*b, "state") == "connecting");

    // NATS is back: the hub opens the stream and tells its screens to reconnect now.
    const auto back = std::chrono::steady_clock::now();
    nats.start(0);
    REQUIRE(nats.wait_ready(std::chrono::seconds(20)));
    auto shutdown = read_until_type(screen, "shutdown", std::chrono::milliseconds(20000));
    REQUIRE(!shutdown.is_null());
    CHECK(shutdown["reason"] == "reconnect");
    CHECK(shutdown["retry_ms"] == 0);
    REQUIRE(screen.read_until_closed(std::chrono::seconds(3)));
    CHECK(screen.close_code() == 1012);
    CHECK(journal_status(*b, "state") == "open");
    CHECK(healthz(b->port())["epoch"] == epoch);

    // The screen resumes with the cursor it had before: frames from head + 1, nothing reused.
    Page page;
    page.last = head;
    WsTestClient again;
    REQUIRE(again.connect(b->port()));
    REQUIRE(again.send_json(resume_hello("screen", epoch, head)));
    welcome = read_until_type(again, "welcome");
    REQUIRE(!welcome.is_null());
    CHECK(welcome["epoch"] == epoch);
    REQUIRE(page.read_frames(again, 5));
    MESSAGE("NATS started after the hub: first new frame on the screen " << ms_since(back) << " ms after nats-server was started");
    CHECK(page.by_seq.begin()->first == head + 1);  // the next seq of the stream, written by b
    CHECK(page.problems == std::vector<std::string>{});
    CHECK(collector(*b) == "writer");
    check_against_stream(nats, page);
}

TEST_CASE("POST /ingest to a standby hub: the writer samples the pushed host, and the answer stays per line") {
    TwoHubs hubs(4, 1);
    auto& nats = hubs.nats;
    auto& a = hubs.a;
    auto& b = hubs.b;
    Page page;
    WsTestClient on_a;
    join(on_a, a->port(), page, "screen-a");
    REQUIRE(page.read_frames(on_a, 3));
    REQUIRE(collector(*b) == "standby");

    // One good line and one refused, posted to the hub that does not write.
    auto r = http_post(b->port(), "/ingest", {{"Content-Type", "text/plain"}},
                       "mem,host=pushed-01 used_percent=41.25\nmem,host=pushed-01 used_percent=ten\n");
    CHECK(r.status == 400);
    auto answer = nlohmann::json::parse(r.body);
    CHECK(answer["accepted"] == 1);
    CHECK(answer["rejected"] == 1);
    CHECK(answer["errors"][0]["line"] == 2);

    // The writer (a) samples it: a frame of the stream carries the pushed value.
    std::optional<double> pushed;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!pushed && std::chrono::steady_clock::now() < deadline) {
        auto text = on_a.read(std::chrono::seconds(2));
        REQUIRE(text);
        page.take(*text);
        auto m = nlohmann::json::parse(*text);
        if (m.value("type", "") == "samples" && m["hosts"].contains("pushed-01"))
            pushed = m["hosts"]["pushed-01"].value("mem", -1.0);
    }
    REQUIRE(pushed);
    CHECK(*pushed == doctest::Approx(41.25));
    CHECK(collector(*a) == "writer");  // it was a's sampler, not a takeover by b
    // Counted on b's publisher thread once nats.c took it (a may have sampled it a moment before).
    CHECK(eventually([&] { return journal_status(*b, "pushes_forwarded") == "1"; }, std::chrono::seconds(5)));
    auto hb = healthz(b->port());
    CHECK(hb["ingest"]["lines"]["accepted"] == 1);  // counted once, where it was posted
    auto ha = healthz(a->port());
    CHECK(ha["journal_status"]["pushes_received"] == "1");
    CHECK(ha["ingest"]["lines"]["accepted"] == 0);
    CHECK(page.problems == std::vector<std::string>{});
    check_against_stream(nats, page);
}

TEST_CASE("a page whose cursor is a frame ahead of this hub's consumer: the welcome waits until the hub holds it") {
    // A page handed over from another hub may have been sent a frame this hub's consumer has not
    // delivered yet; a welcome with a head below its cursor would make the page reset the epoch.
    OneNode one;
    auto& nats = one.nats;
    auto& site = one.site;
    auto a = start_hub(site, nats, "a");
    REQUIRE(eventually([&] { return healthz(a->port())["head"].get<std::uint64_t>() >= 3; }, std::chrono::seconds(10)));
    WsTestClient first;
    REQUIRE(first.connect(a->port()));
    REQUIRE(first.send_json(hello("first")));
    auto welcome = read_until_type(first, "welcome");
    REQUIRE(!welcome.is_null());
    const std::string epoch = welcome["epoch"];
    const auto head = welcome["head"].get<std::uint64_t>();

    // The next seq, not stored yet: the welcome comes once the hub holds it (within an interval).
    WsTestClient ahead;
    REQUIRE(ahead.connect(a->port()));
    REQUIRE(ahead.send_json(resume_hello("ahead", epoch, head + 1)));
    auto held = read_until_type(ahead, "welcome", std::chrono::milliseconds(3000));
    REQUIRE(!held.is_null());
    CHECK(held["epoch"] == epoch);
    CHECK(held["head"].get<std::uint64_t>() >= head + 1);
    MESSAGE("held_hellos " << healthz(a->port()).value("held_hellos", -1));

    // A cursor the stream never reached (a restored backup, say) is not held for ever: past two
    // intervals the welcome goes out with the head the hub has, as before.
    WsTestClient far;
    REQUIRE(far.connect(a->port()));
    REQUIRE(far.send_json(resume_hello("far", epoch, head + 1000)));
    auto late = read_until_type(far, "welcome", std::chrono::milliseconds(3000));
    REQUIRE(!late.is_null());
    CHECK(late["head"].get<std::uint64_t>() < head + 1000);
    REQUIRE(!read_until_type(far, "live", std::chrono::milliseconds(3000)).is_null());
}

TEST_CASE("the stream deleted under running hubs: they create it again as a new epoch, the screens reconnect into it, seqs start over") {
    TwoHubs hubs;
    auto& a = hubs.a;
    auto& b = hubs.b;
    Page page;
    WsTestClient on_b;
    join(on_b, b->port(), page, "screen-b");
    REQUIRE(page.read_frames(on_b, 5));
    const std::string old_epoch = healthz(b->port())["epoch"];
    {
        StreamReader r(hubs.nats.urls());
        REQUIRE(r.ok());
        REQUIRE(r.remove());
    }
    const auto deleted = std::chrono::steady_clock::now();
    // Each hub asks for the stream's identity every 5 s: no stream, so it creates and reads it
    // again, and tells its screens to reconnect now (another epoch: they backfill).
    auto shutdown = read_until_type(on_b, "shutdown", std::chrono::milliseconds(30000));
    REQUIRE(!shutdown.is_null());
    CHECK(shutdown["reason"] == "reconnect");
    CHECK(shutdown["retry_ms"] == 0);
    const auto told_ms = ms_since(deleted);
    std::string new_epoch;
    REQUIRE(eventually([&] {
        new_epoch = healthz(b->port())["epoch"];
        return new_epoch != old_epoch && new_epoch.rfind("js-VIGIL-", 0) == 0 && new_epoch.find("pending") == std::string::npos;
    }, std::chrono::seconds(30)));
    REQUIRE(eventually([&] { return healthz(a->port())["epoch"] == new_epoch; }, std::chrono::seconds(30)));
    CHECK(journal_status(*a, "reopens") == "1");
    CHECK(journal_status(*b, "reopens") == "1");

    // The screen comes back with its old cursor: the welcome names the new epoch, and what follows
    // is the new stream from its first seq on, contiguous, the stream's own contents.
    WsTestClient again;
    REQUIRE(again.connect(b->port()));
    REQUIRE(again.send_json(resume_hello("screen-b", old_epoch, page.last)));
    auto welcome = read_until_type(again, "welcome", std::chrono::milliseconds(5000));
    REQUIRE(!welcome.is_null());
    CHECK(welcome["epoch"] == new_epoch);
    Page fresh;
    REQUIRE(fresh.read_frames(again, 10));
    CHECK(fresh.problems == std::vector<std::string>{});
    CHECK(fresh.by_seq.begin()->first <= 20);  // the new stream's early seqs, not the old numbering
    check_against_stream(hubs.nats, fresh);
    // One writer again, by the standby's rule.
    REQUIRE(eventually([&] { return (collector(*a) == "writer") != (collector(*b) == "writer"); }, std::chrono::seconds(10)));
    // A reopen only unsubscribes (the hub's thread waits for no consumer deletion): the server drops
    // the catalog consumers nobody listens to by itself, leaving one per hub.
    StreamReader r(hubs.nats.urls());
    long catalog_consumers = -1;
    CHECK(eventually([&] { return (catalog_consumers = r.consumers("VIGIL_CATALOG")) == 2; }, std::chrono::seconds(30)));
    MESSAGE("consumers of VIGIL_CATALOG after the reopens: " << catalog_consumers);
    MESSAGE("stream deleted: the screen was told to reconnect " << told_ms << " ms later; new epoch " << new_epoch
            << ", first seq on the screen " << fresh.by_seq.begin()->first);
}

TEST_CASE("the stream's newest frame deleted: a hub started then opens the stream, writes on at the last seq + 1, and a resume across it gets a gap") {
    OneNode one;
    auto& nats = one.nats;
    auto& site = one.site;
    {
        auto a = start_hub(site, nats, "a");
        REQUIRE(eventually([&] { return healthz(a->port())["head"].get<std::uint64_t>() >= 5; }, std::chrono::seconds(10)));
        a->kill9();  // no writer left: nothing is stored after the frame deleted below
    }
    std::uint64_t last = 0;
    std::string epoch;
    {
        StreamReader reader(nats.urls());
        REQUIRE(reader.ok());
        jsStreamInfo* info = nullptr;
        REQUIRE(reader.info(&info));
        last = info->State.LastSeq;
        epoch = vigil::hub::nats::stream_epoch("VIGIL", info->Created);
        jsStreamInfo_Destroy(info);
        REQUIRE(reader.delete_msg(last));
        // The case: the stream still names `last` as its last seq, but holds no frame under it.
        REQUIRE(reader.info(&info));
        CHECK(info->State.LastSeq == last);
        CHECK(info->State.Msgs == last - 1);
        jsStreamInfo_Destroy(info);
        CHECK_FALSE(reader.get(last));
    }

    // A hub started now reads the stream up to what it holds and opens it (it used to wait for
    // `last` to come through its consumer: never).
    const auto started = std::chrono::steady_clock::now();
    auto b = start_hub(site, nats, "b");
    REQUIRE(eventually([&] { return journal_status(*b, "state") == "open"; }, std::chrono::seconds(10)));
    const auto open_ms = ms_since(started);
    CHECK(healthz(b->port())["epoch"] == epoch);
    // It takes the role (no writer) and writes on after `last`: that seq is not used again.
    REQUIRE(eventually([&] { return healthz(b->port())["head"].get<std::uint64_t>() >= last + 3; }, std::chrono::seconds(10)));
    CHECK(collector(*b) == "writer");

    // A screen whose cursor is before the deleted frame: a gap for it, then the frames after it.
    WsTestClient screen;
    REQUIRE(screen.connect(b->port()));
    REQUIRE(screen.send_json(resume_hello("screen", epoch, last - 1)));
    std::vector<nlohmann::json> gaps;
    std::uint64_t first_seq = 0;
    std::string first_text;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!first_seq && std::chrono::steady_clock::now() < deadline) {
        auto text = screen.read(std::chrono::seconds(5));
        REQUIRE(text);
        auto m = nlohmann::json::parse(*text);
        if (m.value("type", "") == "welcome") CHECK(m["epoch"] == epoch);
        if (m.value("type", "") == "gap") gaps.push_back(m);
        if (m.value("type", "") == "samples") {
            first_seq = m["seq"].get<std::uint64_t>();
            first_text = *text;
        }
    }
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0]["from"] == last);
    CHECK(gaps[0]["to"] == last);
    CHECK(first_seq == last + 1);
    StreamReader reader(nats.urls());
    CHECK(reader.get(last + 1) == first_text);  // written by b after the deleted seq, as stored
    MESSAGE("the stream's newest frame (seq " << last << ") deleted: a hub started after opened the stream in "
            << open_ms << " ms and wrote on at seq " << last + 1);
}

TEST_CASE("a NATS node back with an older disk (a power cut lost frames it had acknowledged): the hubs publish them again from their copies, byte for byte, and write on") {
    // One node, one replica: the frames it lost are nowhere else but in the hubs' copies.
    TwoHubs hubs(4, 1);
    auto& nats = hubs.nats;
    auto& a = hubs.a;
    auto& b = hubs.b;
    Page page;
    WsTestClient on_b;
    join(on_b, b->port(), page, "screen-b");
    REQUIRE(page.read_frames(on_b, 5));

    // The disk as it is now, copied while the node is down: what a power cut leaves later of the
    // writes it has not synced yet (nats-server syncs every 2 min by default).
    const std::string store = nats.store_path(0);
    const std::string older = store + ".older";
    nats.kill9(0);
    std::filesystem::copy(store, older, std::filesystem::copy_options::recursive);
    const auto on_older_disk = page.last;  // about this far (for the figures)
    nats.start(0);
    REQUIRE(nats.wait_ready(std::chrono::seconds(20)));
    REQUIRE(page.read_frames(on_b, 15, std::chrono::seconds(30)));  // stored after the copy: the older disk lacks them
    const auto seen = page.last;

    // The power cut: the node is back with the older disk.
    nats.kill9(0);
    std::filesystem::remove_all(store);
    std::filesystem::rename(older, store);
    const auto back = std::chrono::steady_clock::now();
    nats.start(0);
    REQUIRE(nats.wait_ready(std::chrono::seconds(20)));
    // The frames go on after the last one the screen got, and every seq it got, the lost ones
    // included, holds in the stream exactly what the screen received (no seq with two contents).
    REQUIRE(page.read_frames(on_b, 10, std::chrono::seconds(30)));
    const auto recovered_ms = ms_since(back);
    CHECK(page.problems == std::vector<std::string>{});
    CHECK(page.last == seen + 10);
    check_against_stream(nats, page);
    const auto count = [](const HubProcess& hub, const char* key) { return std::stoull("0" + journal_status(hub, key)); };
    const auto restored = count(*a, "frames_restored") + count(*b, "frames_restored");
    CHECK(count(*a, "restores") + count(*b, "restores") >= 1);
    CHECK(restored >= 1);
    MESSAGE("a NATS node back with an older disk (the screen had seq " << seen << ", at the copy " << on_older_disk
            << "): " << restored << " frame(s) published again from the hubs' copies (a " << count(*a, "frames_restored")
            << ", b " << count(*b, "frames_restored") << "), 10 new frames on the screen " << recovered_ms
            << " ms after the node was started again");
}
