// A resume is served at most the page's history window, plus one gap for what lies before it.
#include <doctest/doctest.h>

#include <variant>

#include "hub/journal_replay.h"
#include "hub/replay_window.h"
#include "protocol/decode.h"
#include "test_journal_support.h"

using namespace vigil::hub;
using namespace vigil::protocol;
using namespace journal_test;

namespace {

struct Sent {
    std::vector<Seq> frames;
    std::vector<Gap> gaps;
};

// What the session sends for `hello` at `now_ms`, as ws_session plans it.
Sent serve(const Journal& j, const Hello& hello, std::int64_t now_ms) {
    ReplayPolicy policy;
    const SeqAtOrAfter seq_at = [&j](std::int64_t t) { return j.seq_at_or_after(t); };
    const auto plan = bound_to_history_window(plan_replay(hello, j.view(), now_ms, policy, seq_at), hello, now_ms,
                                              policy, seq_at);
    ReplayStream stream(j, plan);
    Sent s;
    for (int guard = 0; !stream.done() && guard < 10000; ++guard) {
        for (const auto& text : stream.next_batch(16)) {
            auto m = decode_hub_message(text);
            if (auto* f = std::get_if<Samples>(&m)) s.frames.push_back(f->seq);
            if (auto* g = std::get_if<Gap>(&m)) s.gaps.push_back(*g);
        }
    }
    return s;
}

Hello resume(const std::string& epoch, Seq seq, std::optional<double> history_s) {
    return Hello{1, "", "c", ResumeCursor{epoch, seq}, history_s};
}

}  // namespace

TEST_CASE("a cursor older than the history window gets one gap up to the window, then only the window's frames") {
    Harness h;
    auto j = h.open();
    append_range(*j, 1, 1000);  // t = 1000 * seq: one frame a second
    const std::int64_t now = 1000 * 1000;
    auto sent = serve(*j, resume(j->epoch(), 10, 60.0), now);
    REQUIRE(sent.gaps.size() == 1);
    CHECK(sent.gaps[0] == Gap{11, 939});  // t >= now - 60 s is seq 940
    REQUIRE(sent.frames.size() == 61);
    CHECK(sent.frames.front() == 940);
    CHECK(sent.frames.back() == 1000);
}

TEST_CASE("without history_s the default window (300 s) bounds the resume") {
    Harness h;
    auto j = h.open();
    append_range(*j, 1, 1000);
    auto sent = serve(*j, resume(j->epoch(), 1, std::nullopt), 1000 * 1000);
    REQUIRE(sent.gaps.size() == 1);
    CHECK(sent.gaps[0] == Gap{2, 699});
    CHECK(sent.frames.size() == 301);
}

TEST_CASE("a cursor inside the window is replayed in full, no gap") {
    Harness h;
    auto j = h.open();
    append_range(*j, 1, 1000);
    auto sent = serve(*j, resume(j->epoch(), 990, 60.0), 1000 * 1000);
    CHECK(sent.gaps.empty());
    CHECK(sent.frames.size() == 10);
}

TEST_CASE("when nothing retained is inside the window, the whole resume is one gap to the head") {
    Harness h;
    auto j = h.open();
    append_range(*j, 1, 100);
    auto sent = serve(*j, resume(j->epoch(), 40, 10.0), 1000 * 1000);  // last frame 900 s ago
    REQUIRE(sent.gaps.size() == 1);
    CHECK(sent.gaps[0] == Gap{41, 100});
    CHECK(sent.frames.empty());
}

TEST_CASE("a cursor before retention keeps one gap from the cursor, not two") {
    Harness h;
    auto o = small_segments(h.options());
    o.max_records = 200;
    auto j = h.open(o);
    append_range(*j, 1, 1000);
    REQUIRE(j->oldest_seq() > 1);
    auto sent = serve(*j, resume(j->epoch(), 0, 60.0), 1000 * 1000);
    REQUIRE(sent.gaps.size() == 1);
    CHECK(sent.gaps[0] == Gap{1, 939});
    CHECK(sent.frames.front() == 940);
}
