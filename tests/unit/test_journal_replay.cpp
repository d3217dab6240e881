// Replay out of a real journal: what a resuming page receives, checked the way the page reads it.
#include <doctest/doctest.h>

#include <variant>

#include "hub/journal_replay.h"
#include "protocol/decode.h"
#include "protocol/seq_tracker.h"
#include "test_journal_support.h"

using namespace vigil::hub;
using namespace vigil::protocol;
using namespace journal_test;

namespace {

// What a page sees: frames (by seq) and gaps, in order.
struct Received {
    std::vector<Seq> frames;
    std::vector<Gap> gaps;
    std::vector<std::string> order;  // "f12", "g13-20"
    Seq live = 0;
};

Received drain(const Journal& j, const ReplayPlan& plan, std::size_t batch = 7) {
    ReplayStream stream(j, plan);
    Received r;
    for (int guard = 0; !stream.done() && guard < 100000; ++guard) {
        for (const auto& text : stream.next_batch(batch)) {
            auto m = decode_hub_message(text);
            if (auto* s = std::get_if<Samples>(&m)) {
                r.frames.push_back(s->seq);
                r.order.push_back("f" + std::to_string(s->seq));
            } else if (auto* g = std::get_if<Gap>(&m)) {
                r.gaps.push_back(*g);
                r.order.push_back("g" + std::to_string(g->from) + "-" + std::to_string(g->to));
            } else {
                FAIL("unexpected message " << text);
            }
        }
    }
    REQUIRE(stream.done());
    r.live = stream.live_head();
    return r;
}

Hello resume(const std::string& epoch, Seq seq) { return Hello{1, "", "c", ResumeCursor{epoch, seq}, std::nullopt}; }

ReplayPlan plan_for(const Journal& j, const Hello& hello, std::int64_t now_ms = 0) {
    return plan_replay(hello, j.view(), now_ms, ReplayPolicy{},
                       [&j](std::int64_t t) { return j.seq_at_or_after(t); });
}

std::vector<Seq> range(Seq a, Seq b) {
    std::vector<Seq> v;
    for (Seq s = a; s <= b; ++s) v.push_back(s);
    return v;
}

}  // namespace

TEST_CASE("a page resuming inside retention gets exactly the frames after its cursor, then live at head") {
    Harness h;
    auto j = h.open();
    append_range(*j, 1, 100);
    auto r = drain(*j, plan_for(*j, resume(j->epoch(), 41)));
    CHECK(r.frames == range(42, 100));
    CHECK(r.gaps.empty());
    CHECK(r.live == 100);
}

TEST_CASE("a page at head gets no frames, just live") {
    Harness h;
    auto j = h.open();
    append_range(*j, 1, 10);
    auto r = drain(*j, plan_for(*j, resume(j->epoch(), 10)));
    CHECK(r.frames.empty());
    CHECK(r.gaps.empty());
    CHECK(r.live == 10);
}

TEST_CASE("a cursor older than retention gets a gap up to oldest - 1, then everything retained") {
    Harness h;
    auto o = h.options();
    o.segment_bytes = 4096;
    o.max_records = 100;
    o.max_bytes = 0;
    auto j = h.open(o);
    append_range(*j, 1, 500);
    const Seq oldest = j->oldest_seq();
    REQUIRE(oldest > 11);
    auto r = drain(*j, plan_for(*j, resume(j->epoch(), 10)));
    REQUIRE_FALSE(r.gaps.empty());
    CHECK(r.gaps[0] == Gap{11, oldest - 1});
    CHECK(r.order[0] == "g11-" + std::to_string(oldest - 1));
    CHECK(r.frames == range(oldest, 500));
}

TEST_CASE("after a machine crash, a page resuming before the skipped seqs gets frames, a gap over them, then the new frames") {
    Harness h;
    auto o = h.options();
    o.reserve_block = 64;
    o.boot_id = "boot-a";
    {
        auto j = h.open(o);
        append_range(*j, 1, 70);
        std::filesystem::copy(o.dir, h.tmp.sub("crashed"), std::filesystem::copy_options::recursive);
    }
    o.dir = h.tmp.sub("crashed");
    o.boot_id = "boot-b";  // the machine crashed
    auto j = h.open(o);
    append_range(*j, 129, 131);  // reserved up to 128 before the crash
    auto r = drain(*j, plan_for(*j, resume(j->epoch(), 60)));
    CHECK(r.order == std::vector<std::string>{"f61", "f62", "f63", "f64", "f65", "f66", "f67", "f68", "f69",
                                              "f70", "g71-128", "f129", "f130", "f131"});
    CHECK(r.live == 131);
}

TEST_CASE("after a machine crash, a page whose cursor is inside the skipped seqs gets a gap to the head and goes live") {
    Harness h;
    auto o = h.options();
    o.reserve_block = 64;
    o.boot_id = "boot-a";
    {
        auto j = h.open(o);
        append_range(*j, 1, 70);
        std::filesystem::copy(o.dir, h.tmp.sub("crashed"), std::filesystem::copy_options::recursive);
    }
    o.dir = h.tmp.sub("crashed");
    o.boot_id = "boot-b";  // the machine crashed
    auto j = h.open(o);  // head 128 (reserved), records end at 70
    // The page had seen up to 75 (sent before the crash, never made durable).
    auto r = drain(*j, plan_for(*j, resume(j->epoch(), 75)));
    CHECK(r.frames.empty());
    CHECK(r.order == std::vector<std::string>{"g76-128"});
    CHECK(r.live == 128);
}

TEST_CASE("after a process crash in the same boot, a resuming page gets every frame and no gap") {
    Harness h;
    auto o = h.options();
    o.reserve_block = 64;
    o.boot_id = "boot-a";
    auto crashed = h.open(o);
    append_range(*crashed, 1, 70);
    auto j = h.open(o);  // kill -9: reopened without close()
    append_range(*j, 71, 73);
    auto r = drain(*j, plan_for(*j, resume(j->epoch(), 60)));
    CHECK(r.gaps.empty());
    CHECK(r.frames == range(61, 73));
    CHECK(r.live == 73);
    j.reset();
    crashed.reset();
}

TEST_CASE("frames appended while a replay is in progress are sent by the replay") {
    Harness h;
    auto j = h.open();
    append_range(*j, 1, 20);
    ReplayStream stream(*j, plan_for(*j, resume(j->epoch(), 0)));
    std::vector<Seq> got;
    Seq next_live = 21;
    while (!stream.done()) {
        for (auto& text : stream.next_batch(5)) got.push_back(std::get<Samples>(decode_hub_message(text)).seq);
        if (!stream.done() && next_live <= 30) append_range(*j, next_live, next_live), ++next_live;
    }
    CHECK(stream.live_head() == j->head_seq());
    CHECK(got == range(1, stream.live_head()));
}

TEST_CASE("a page of another epoch gets its history window from the journal") {
    Harness h;
    auto j = h.open();
    append_range(*j, 1, 1000);  // t = 1000 * seq
    Hello hello{1, "", "c", ResumeCursor{"e-other", 5}, 60.0};
    auto r = drain(*j, plan_for(*j, hello, 1'000'000));
    CHECK(r.frames == range(940, 1000));
    CHECK(r.gaps.empty());
}

TEST_CASE("whatever the cursor, a page's SeqTracker applies every frame once and the rest are gaps") {
    Harness h;
    auto o = h.options();
    o.segment_bytes = 4096;
    o.max_records = 100;
    o.max_bytes = 0;
    o.reserve_block = 16;
    o.boot_id = "boot-a";
    {
        auto j = h.open(o);
        append_range(*j, 1, 300);
        std::filesystem::copy(o.dir, h.tmp.sub("crashed"), std::filesystem::copy_options::recursive);
    }
    o.dir = h.tmp.sub("crashed");
    o.boot_id = "boot-b";  // a machine crash, so the replay crosses skipped seqs
    auto j = h.open(o);
    append_range(*j, j->next_seq(), j->next_seq() + 20);
    for (Seq cursor : {Seq{0}, Seq{150}, Seq{250}, Seq{299}, Seq{300}, Seq{305}, j->head_seq() - 3}) {
        CAPTURE(cursor);
        SeqTracker page;
        page.on_welcome(Welcome{1, j->epoch(), j->head_seq(), j->oldest_seq(), "", 1000});
        if (cursor) page.on_gap(Gap{1, cursor});  // stands for "applied up to cursor"
        ReplayStream stream(*j, plan_for(*j, resume(j->epoch(), cursor)));
        while (!stream.done()) {
            for (auto& text : stream.next_batch(9)) {
                auto m = decode_hub_message(text);
                if (auto* g = std::get_if<Gap>(&m)) {
                    REQUIRE(page.on_gap(*g).has_value());
                } else {
                    CHECK(page.accept(std::get<Samples>(m).seq).verdict == SeqVerdict::apply);
                }
            }
        }
        CHECK(page.last() == stream.live_head());
        CHECK(stream.live_head() == j->head_seq());
    }
}
