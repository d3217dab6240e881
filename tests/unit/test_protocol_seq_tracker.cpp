// SeqTracker: the page applies each frame once, in order, and knows what it missed.
#include <doctest/doctest.h>

#include "protocol/seq_tracker.h"

using namespace vigil::protocol;

namespace {
Welcome welcome(std::string epoch, Seq head) { return Welcome{1, std::move(epoch), head, 1, "", 1000}; }
}  // namespace

TEST_CASE("the first frame of an epoch applies, whatever its seq, and consecutive ones follow") {
    SeqTracker t;
    CHECK(t.on_welcome(welcome("e-a", 100)));
    CHECK_FALSE(t.cursor().has_value());
    CHECK(t.accept(42).verdict == SeqVerdict::apply);
    CHECK(t.accept(43).verdict == SeqVerdict::apply);
    REQUIRE(t.cursor().has_value());
    CHECK(*t.cursor() == ResumeCursor{"e-a", 43});
}

TEST_CASE("a frame replayed twice is applied once: the second is a duplicate") {
    SeqTracker t;
    t.on_welcome(welcome("e-a", 10));
    for (Seq s = 1; s <= 10; ++s) REQUIRE(t.accept(s).applies());
    for (Seq s = 5; s <= 10; ++s) {
        const SeqCheck c = t.accept(s);
        CHECK(c.verdict == SeqVerdict::duplicate);
        CHECK(c.rejection() == RejectionKind::seq_duplicate);
    }
    CHECK(t.last() == Seq{10});
    CHECK(t.accept(11).verdict == SeqVerdict::apply);
}

TEST_CASE("a jump forward applies the frame and reports the missing range") {
    SeqTracker t;
    t.on_welcome(welcome("e-a", 10));
    t.accept(3);
    const SeqCheck c = t.accept(8);
    CHECK(c.verdict == SeqVerdict::gap_before);
    CHECK(c.applies());
    CHECK(c.missing == Gap{4, 7});
    CHECK(t.last() == Seq{8});
}

TEST_CASE("a late frame inside a gap or before the first frame is backwards, not a duplicate") {
    SeqTracker t;
    t.on_welcome(welcome("e-a", 10));
    t.accept(3);
    t.accept(8);  // 4..7 missing
    CHECK(t.accept(5).verdict == SeqVerdict::backwards);
    CHECK(t.classify(5).rejection() == RejectionKind::seq_backwards);
    CHECK(t.accept(2).verdict == SeqVerdict::backwards);
    CHECK(t.accept(3).verdict == SeqVerdict::duplicate);
    CHECK(t.accept(8).verdict == SeqVerdict::duplicate);
    CHECK(t.last() == Seq{8});
}

TEST_CASE("classify does not change the tracker") {
    SeqTracker t;
    t.on_welcome(welcome("e-a", 10));
    t.accept(1);
    CHECK(t.classify(2).verdict == SeqVerdict::apply);
    CHECK(t.classify(2).verdict == SeqVerdict::apply);
    CHECK(t.last() == Seq{1});
}

TEST_CASE("a gap message moves the cursor past the lost range, so the next frame follows without gap") {
    SeqTracker t;
    t.on_welcome(welcome("e-a", 100));
    t.accept(10);
    auto newly = t.on_gap(Gap{11, 49});
    REQUIRE(newly.has_value());
    CHECK(*newly == Gap{11, 49});
    CHECK(t.accept(50).verdict == SeqVerdict::apply);
    CHECK(t.accept(20).verdict == SeqVerdict::backwards);
    CHECK(t.cursor()->seq == 50);
}

TEST_CASE("a gap that starts after our last frame also covers the unexplained part before it") {
    SeqTracker t;
    t.on_welcome(welcome("e-a", 100));
    t.accept(10);
    CHECK(*t.on_gap(Gap{20, 30}) == Gap{11, 30});
    CHECK_FALSE(t.on_gap(Gap{5, 25}).has_value());  // nothing new
}

TEST_CASE("a gap before any frame (a backfill cut by retention) sets where frames continue") {
    SeqTracker t;
    t.on_welcome(welcome("e-a", 100));
    CHECK(*t.on_gap(Gap{1, 40}) == Gap{1, 40});
    CHECK(t.accept(41).verdict == SeqVerdict::apply);
    CHECK(t.accept(40).verdict == SeqVerdict::backwards);
}

TEST_CASE("a new epoch resets; the same epoch keeps the cursor across reconnects") {
    SeqTracker t;
    t.on_welcome(welcome("e-a", 10));
    t.accept(10);
    CHECK_FALSE(t.on_welcome(welcome("e-a", 12)));
    CHECK(t.cursor() == ResumeCursor{"e-a", 10});
    CHECK(t.accept(11).verdict == SeqVerdict::apply);
    CHECK(t.on_welcome(welcome("e-b", 3)));
    CHECK_FALSE(t.cursor().has_value());
    CHECK(t.epoch() == "e-b");
    CHECK(t.accept(1).verdict == SeqVerdict::apply);
}

TEST_CASE("a hub whose head is behind what we applied lost data: same epoch name, still a reset") {
    SeqTracker t;
    t.on_welcome(welcome("e-a", 50));
    t.accept(50);
    CHECK(t.on_welcome(welcome("e-a", 40)));
    CHECK_FALSE(t.last().has_value());
    CHECK(t.accept(35).verdict == SeqVerdict::apply);
}

TEST_CASE("beyond the remembered holes, old frames count as backwards") {
    SeqTracker t(2);
    t.on_welcome(welcome("e-a", 100));
    t.accept(1);
    t.accept(3);  // hole 2
    t.accept(5);  // hole 4
    t.accept(7);  // hole 6; hole 2 forgotten
    CHECK(t.accept(1).verdict == SeqVerdict::backwards);
    CHECK(t.accept(4).verdict == SeqVerdict::backwards);
    CHECK(t.accept(5).verdict == SeqVerdict::duplicate);
}
