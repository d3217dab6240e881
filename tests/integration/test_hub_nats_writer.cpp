// The JetStream journal's one-writer guarantee against a real nats-server: two journals on one
// stream publishing the same seq at the same moment store it once; the loser steps down. No
// timing luck involved: both publishes are in flight together. And a writer that publishes a seq
// again (its first answer lost, or late: the server paused past the publish's wait) keeps the
// role, the seq its first content.
#include "nats_cluster.h"

#include "hub/nats/jetstream_journal.h"

#include <doctest/doctest.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

using namespace vigil::itest;
using vigil::hub::nats::JetStreamJournal;
using vigil::hub::nats::JetStreamOptions;

namespace {

// Stands in for the hub's io_context: what the journal posts runs when the test pumps it.
struct HubThread {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>> jobs;
    void post(std::function<void()> f) {
        std::lock_guard<std::mutex> lock(mu);
        jobs.push_back(std::move(f));
        cv.notify_all();
    }
    // Runs posted jobs until `done` holds (checked at least every 20 ms: it may depend on time
    // passing alone); false at the deadline.
    template <class F>
    bool run_until(F done, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            std::function<void()> job;
            {
                std::unique_lock<std::mutex> lock(mu);
                if (!cv.wait_for(lock, std::chrono::milliseconds(20), [&] { return !jobs.empty(); })) continue;
                job = std::move(jobs.front());
                jobs.pop_front();
            }
            job();
        }
        return true;
    }
};

struct Hub {
    HubThread thread;
    std::unique_ptr<JetStreamJournal> journal;
    std::vector<std::pair<std::uint64_t, std::string>> frames;  // as they came back from the stream

    Hub(const NatsCluster& nats, const std::string& id) {
        JetStreamOptions o;
        o.urls = {nats.url(0)};
        o.interval_ms = 100;
        o.writer_id = id;
        std::string error;
        journal = JetStreamJournal::open(o, &error);
        REQUIRE_MESSAGE(journal, error);
        vigil::hub::SharedJournalHooks hooks;
        hooks.post = [this](std::function<void()> f) { thread.post(std::move(f)); };
        hooks.on_frame = [this](std::uint64_t seq, std::int64_t, const std::shared_ptr<const std::string>& text) {
            frames.emplace_back(seq, *text);
        };
        journal->attach(std::move(hooks));
    }
    std::string status(const std::string& key) const {
        for (auto& [k, v] : journal->status())
            if (k == key) return v;
        return "";
    }
    std::string role() const { return status("collector"); }
    // Until it may publish (a standby: after 2 silent intervals), publishes the next seq and holds it.
    std::uint64_t write_one(const std::string& text) {
        REQUIRE(thread.run_until([&] { return journal->may_append(); }, std::chrono::seconds(5)));
        const auto seq = journal->next_seq();
        REQUIRE(journal->append(seq, 1000 + static_cast<std::int64_t>(seq), text));
        REQUIRE(thread.run_until([&] { return journal->head_seq() >= seq && journal->may_append(); }, std::chrono::seconds(5)));
        return seq;
    }
    // Every seq came back once, in order (one content per seq).
    bool contiguous() const {
        for (std::size_t i = 1; i < frames.size(); ++i)
            if (frames[i].first != frames[i - 1].first + 1) return false;
        return true;
    }
};

// What the stream holds under seq, read with nats.c as a third party would ("" when none).
std::string stored(const NatsCluster& nats, std::uint64_t seq) {
    natsConnection* nc = nullptr;
    jsCtx* js = nullptr;
    std::string text;
    if (natsConnection_ConnectTo(&nc, nats.url(0).c_str()) == NATS_OK && natsConnection_JetStream(&js, nc, nullptr) == NATS_OK) {
        natsMsg* msg = nullptr;
        if (js_GetMsg(&msg, js, "VIGIL", seq, nullptr, nullptr) == NATS_OK) {
            text.assign(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
            natsMsg_Destroy(msg);
        }
    }
    if (js) jsCtx_Destroy(js);
    if (nc) natsConnection_Destroy(nc);
    return text;
}

// One node, one hub that wrote a first frame and is the writer.
struct LoneWriter {
    NatsCluster nats{1};
    std::unique_ptr<Hub> hub;
    LoneWriter() {
        nats.start_all();
        REQUIRE(nats.wait_ready(std::chrono::seconds(20)));
        hub = std::make_unique<Hub>(nats, "a");
        hub->write_one("{\"from\":\"a\",\"n\":0}");
        REQUIRE(hub->role() == "writer");
    }
};

}  // namespace

// Both pump their posted work until each may publish (its last publish answered and, for a
// standby, the stream silent for 2 intervals since the last frame it saw), then publish the same
// seq together, each with its own content, three times: one frame per seq, one writer each time.
void race_three_rounds(Hub& a, Hub& b) {
    auto settle = [&](std::uint64_t seq) {
        for (auto* h : {&a, &b})
            REQUIRE(h->thread.run_until([&] { return h->journal->head_seq() >= seq && h->journal->may_append(); },
                                        std::chrono::seconds(5)));
    };
    settle(0);
    for (int round = 0; round < 3; ++round) {
        const auto seq = a.journal->next_seq();
        REQUIRE(seq == b.journal->next_seq());
        // Both in flight together, each with its own content for that seq.
        REQUIRE(a.journal->append(seq, 1000 + round, "{\"from\":\"a\",\"seq\":" + std::to_string(seq) + "}"));
        REQUIRE(b.journal->append(seq, 1000 + round, "{\"from\":\"b\",\"seq\":" + std::to_string(seq) + "}"));
        settle(seq);
        CHECK(a.frames.size() == static_cast<std::size_t>(round + 1));  // one frame stored per round, not two
        CHECK(b.frames.size() == a.frames.size());
        CHECK(a.frames.back() == b.frames.back());  // one content for that seq, the same on both
        CHECK(a.journal->head_seq() == seq);
        CHECK(b.journal->head_seq() == seq);
        CHECK((a.role() == "writer") != (b.role() == "writer"));  // exactly one of them writes now
    }
}

TEST_CASE("two collectors publishing the same seq at once: the stream stores it once, the loser stands by") {
    NatsCluster nats(1);
    nats.start_all();
    REQUIRE(nats.wait_ready(std::chrono::seconds(20)));
    Hub a(nats, "a"), b(nats, "b");
    race_three_rounds(a, b);
}

TEST_CASE("two collectors given the same --hub-id (one hostname, PID 1): still two ids, one writer") {
    // With one id the second publish of a seq would carry the first's message id: "duplicate",
    // read as this hub's own earlier try, so both would stay writer (and the give-way rule, which
    // compares ids, would never fire). The random suffix per process keeps the ids apart.
    NatsCluster nats(1);
    nats.start_all();
    REQUIRE(nats.wait_ready(std::chrono::seconds(20)));
    Hub a(nats, "same"), b(nats, "same");
    CHECK(a.journal->writer_id() != b.journal->writer_id());
    CHECK(a.journal->writer_id().rfind("same~", 0) == 0);
    race_three_rounds(a, b);
    CHECK(a.status("late_stores") == "0");  // no hub took the other's frame for its own
    CHECK(b.status("late_stores") == "0");
}

TEST_CASE("a writer that publishes one seq twice before it comes back: stored once with the first content, still the writer") {
    LoneWriter w;
    NatsCluster& nats = w.nats;
    Hub& a = *w.hub;

    // Both publishes of one seq queued before any answer is read: what a writer does when its
    // first answer comes too late (the next case) or is lost. The second is a duplicate of the
    // first's id; the stream keeps the first content.
    const auto seq = a.journal->next_seq();
    const std::string first = "{\"from\":\"a\",\"try\":1}", second = "{\"from\":\"a\",\"try\":2}";
    REQUIRE(a.journal->append(seq, 2000, first));
    REQUIRE(a.journal->append(seq, 2001, second));
    REQUIRE(a.thread.run_until([&] {
        return a.journal->head_seq() >= seq && (a.status("late_stores") == "1" || a.role() == "standby");
    }, std::chrono::seconds(5)));
    CHECK(a.role() == "writer");  // it stored that seq: no reason to stand by
    CHECK(a.status("late_stores") == "1");
    REQUIRE(!a.frames.empty());
    CHECK(a.frames.back() == std::make_pair(static_cast<std::uint64_t>(seq), first));
    CHECK(stored(nats, seq) == first);  // the second content is stored nowhere

    // It writes on at the next seq.
    const auto next = a.write_one("{\"from\":\"a\",\"n\":2}");
    CHECK(next == seq + 1);
    CHECK(a.role() == "writer");
    CHECK(a.contiguous());
}

TEST_CASE("a publish answered too late (the server paused past the publish's wait) and published again: the writer writes on") {
    LoneWriter w;
    NatsCluster& nats = w.nats;
    Hub& a = *w.hub;

    const auto seq = a.journal->next_seq();
    const std::string first = "{\"from\":\"a\",\"try\":1}", second = "{\"from\":\"a\",\"try\":2}";
    // The server stops answering: the publish waits its 200 ms and fails (not known to be stored).
    // It is in the server's socket all the same and stored once the server runs again.
    nats.pause(0);
    REQUIRE(a.journal->append(seq, 2000, first));
    const bool timed_out = a.thread.run_until([&] { return a.status("publish_failures") == "1"; }, std::chrono::seconds(5));
    // The writer keeps the role and, the frame not back yet, publishes the same seq again.
    const bool again = timed_out && a.journal->may_append() && a.journal->next_seq() == seq &&
                       a.journal->append(seq, 2001, second);
    nats.resume(0);
    REQUIRE(timed_out);
    REQUIRE(again);
    REQUIRE(a.thread.run_until([&] {
        return a.journal->head_seq() >= seq && (a.status("late_stores") == "1" || a.role() == "standby");
    }, std::chrono::seconds(5)));
    CHECK(a.role() == "writer");
    CHECK(a.status("late_stores") == "1");
    REQUIRE(!a.frames.empty());
    CHECK(a.frames.back() == std::make_pair(static_cast<std::uint64_t>(seq), first));
    CHECK(stored(nats, seq) == first);
    const auto next = a.write_one("{\"from\":\"a\",\"n\":2}");
    CHECK(next == seq + 1);
    CHECK(a.role() == "writer");
    CHECK(a.contiguous());
}

// The catalog's stream made to refuse the journal's consumer (its consumer limit taken by
// another client, as an operator's stream might be): every open attempt subscribes to the
// frames (which deliver the retained frames at once), is refused the catalog, and destroys what
// it made, four times a second for 15 s and then twice a second. Those subscriptions' closures
// are numbers (closure_registry.h): nothing stays allocated per attempt, and what they deliver
// late is dropped. The journal says why it is not open, opens once a consumer is freed, holds
// the retained frames once, and writes on.
TEST_CASE("a catalog stream refusing the journal's consumer: the journal says why, and opens with the retained frames once a consumer is freed") {
    LoneWriter w;
    NatsCluster& nats = w.nats;
    for (int n = 1; n <= 3; ++n) w.hub->write_one("{\"from\":\"a\",\"n\":" + std::to_string(n) + "}");
    const auto head = w.hub->journal->head_seq();
    REQUIRE(head == 4);
    w.hub.reset();  // gone with its subscriptions live

    natsConnection* nc = nullptr;
    jsCtx* js = nullptr;
    REQUIRE(natsConnection_ConnectTo(&nc, nats.url(0).c_str()) == NATS_OK);
    REQUIRE(natsConnection_JetStream(&js, nc, nullptr) == NATS_OK);
    REQUIRE(js_DeleteStream(js, "VIGIL_CATALOG", nullptr, nullptr) == NATS_OK);
    const char* subjects[] = {"VIGIL.catalog"};
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    sc.Name = "VIGIL_CATALOG";
    sc.Subjects = subjects;
    sc.SubjectsLen = 1;
    sc.MaxMsgs = 1;
    sc.MaxConsumers = 1;
    jsStreamInfo* si = nullptr;
    REQUIRE(js_AddStream(&si, js, &sc, nullptr, nullptr) == NATS_OK);
    jsStreamInfo_Destroy(si);
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = "blocker";
    cc.AckPolicy = js_AckExplicit;
    jsConsumerInfo* ci = nullptr;
    REQUIRE(js_AddConsumer(&ci, js, "VIGIL_CATALOG", &cc, nullptr, nullptr) == NATS_OK);
    jsConsumerInfo_Destroy(ci);

    // Started against it: not open after its 15 s of tries at start, and it says why.
    const auto started = std::chrono::steady_clock::now();
    Hub b(nats, "b");
    CHECK_FALSE(b.journal->is_open());
    CHECK(b.status("state") != "open");
    const std::string why = b.status("open_error");
    MESSAGE("refused: " << why << " (after "
                        << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
                        << " ms)");
    CHECK(why.find("VIGIL_CATALOG") != std::string::npos);
    // Still refused a second later: the background tries go on.
    CHECK_FALSE(b.thread.run_until([&] { return b.journal->is_open(); }, std::chrono::seconds(1)));

    // A consumer freed: open at the next try, with the retained frames, and it writes on.
    REQUIRE(js_DeleteConsumer(js, "VIGIL_CATALOG", "blocker", nullptr, nullptr) == NATS_OK);
    REQUIRE(b.thread.run_until([&] { return b.journal->is_open(); }, std::chrono::seconds(10)));
    CHECK(b.journal->head_seq() == head);
    CHECK(b.status("open_error").empty());
    MESSAGE("stale deliveries dropped (refused attempts' frames delivered after their end): " << b.status("stale_deliveries"));
    const auto next = b.write_one("{\"from\":\"b\",\"n\":4}");
    CHECK(next == head + 1);
    CHECK(stored(nats, next) == "{\"from\":\"b\",\"n\":4}");
    CHECK(b.role() == "writer");
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
}
