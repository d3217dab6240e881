// The JetStream journal's one-writer guarantee against a real nats-server: two journals on one
// stream publishing the same seq at the same moment store it once; the loser steps down. No
// timing luck involved: both publishes are in flight together.
#include "nats_cluster.h"

#include "hub/nats/jetstream_journal.h"

#include <doctest/doctest.h>

#include <condition_variable>
#include <deque>
#include <functional>
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
    std::string role() const {
        for (auto& [k, v] : journal->status())
            if (k == "collector") return v;
        return "";
    }
};

}  // namespace

TEST_CASE("two collectors publishing the same seq at once: the stream stores it once, the loser stands by") {
    NatsCluster nats(1);
    nats.start_all();
    REQUIRE(nats.wait_ready(std::chrono::seconds(20)));
    Hub a(nats, "a"), b(nats, "b");

    // Both pump their posted work until each may publish: its last publish answered and, for a
    // standby, the stream silent for 2 intervals since the last frame it saw.
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
