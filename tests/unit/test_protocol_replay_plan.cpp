// Replay planning: what a hub sends after hello, for every kind of page cursor.
#include <doctest/doctest.h>

#include <map>

#include "protocol/replay_plan.h"

using namespace vigil::protocol;

namespace {

// A journal of records seq -> t, as plan_replay's caller would look it up.
struct FakeJournal {
    JournalView view;
    std::map<Seq, std::int64_t> t_of;

    FakeJournal(std::string epoch, Seq oldest, Seq head, Seq last_record, std::int64_t t0, std::int64_t step) {
        view.epoch = std::move(epoch);
        view.head = head;
        view.oldest = oldest;
        for (Seq s = oldest; oldest && s <= last_record; ++s) t_of[s] = t0 + std::int64_t(s - oldest) * step;
        view.oldest_t_ms = oldest ? t0 : 0;
    }
    SeqAtOrAfter lookup() const {
        return [this](std::int64_t t) -> std::optional<Seq> {
            for (auto& [s, ts] : t_of) if (ts >= t) return s;
            return std::nullopt;
        };
    }
};

Hello resume(std::string epoch, Seq seq, std::optional<double> history = std::nullopt) {
    return Hello{1, "", "c", ResumeCursor{std::move(epoch), seq}, history};
}
Hello fresh(std::optional<double> history) { return Hello{1, "", "c", std::nullopt, history}; }

constexpr std::int64_t kT0 = 1'000'000;
const ReplayPolicy kPolicy{};  // default history 300 s, interval 1000 ms

}  // namespace

TEST_CASE("same epoch, cursor at head: nothing to replay and no gap") {
    FakeJournal j("e-a", 1, 100, 100, kT0, 1000);
    auto p = plan_replay(resume("e-a", 100), j.view, kT0 + 100'000, kPolicy, j.lookup());
    CHECK(p.reason == ReplayReason::cursor_current);
    CHECK_FALSE(p.from.has_value());
    CHECK_FALSE(p.gap.has_value());
    CHECK(p.head == 100);
}

TEST_CASE("same epoch, cursor retained: replay from cursor + 1 to head, no gap") {
    FakeJournal j("e-a", 1, 100, 100, kT0, 1000);
    auto p = plan_replay(resume("e-a", 41), j.view, kT0, kPolicy, j.lookup());
    CHECK(p.reason == ReplayReason::cursor_retained);
    CHECK(p.from == Seq{42});
    CHECK_FALSE(p.gap.has_value());
}

TEST_CASE("same epoch, cursor exactly one before oldest: replay from oldest, no gap") {
    FakeJournal j("e-a", 50, 100, 100, kT0, 1000);
    auto p = plan_replay(resume("e-a", 49), j.view, kT0, kPolicy, j.lookup());
    CHECK(p.reason == ReplayReason::cursor_retained);
    CHECK(p.from == Seq{50});
    CHECK_FALSE(p.gap.has_value());
}

TEST_CASE("same epoch, cursor older than oldest: gap [cursor+1, oldest-1] then replay from oldest") {
    FakeJournal j("e-a", 50, 100, 100, kT0, 1000);
    auto p = plan_replay(resume("e-a", 10), j.view, kT0, kPolicy, j.lookup());
    CHECK(p.reason == ReplayReason::cursor_before_oldest);
    CHECK(p.gap == Gap{11, 49});
    CHECK(p.from == Seq{50});
}

TEST_CASE("same epoch, nothing retained at all: everything after the cursor is a gap") {
    JournalView v{"e-a", 100, 0, 0};
    auto p = plan_replay(resume("e-a", 10), v, kT0, kPolicy, nullptr);
    CHECK(p.reason == ReplayReason::cursor_before_oldest);
    CHECK(p.gap == Gap{11, 100});
    CHECK_FALSE(p.from.has_value());
}

TEST_CASE("same epoch, records lost in a crash after the cursor: replay from cursor + 1, the stream reports the hole") {
    // Head 2048 was reserved before the crash; records end at 1041; the page saw up to 1030.
    FakeJournal j("e-a", 1, 2048, 1041, kT0, 1000);
    auto p = plan_replay(resume("e-a", 1030), j.view, kT0, kPolicy, j.lookup());
    CHECK(p.reason == ReplayReason::cursor_retained);
    CHECK(p.from == Seq{1031});
    CHECK(p.head == 2048);
}

TEST_CASE("another epoch: backfill the page's history window, no gap") {
    FakeJournal j("e-b", 1, 1000, 1000, kT0, 1000);  // t of seq s = kT0 + (s-1) s
    const std::int64_t now = kT0 + 999'000;              // t of head
    auto p = plan_replay(resume("e-a", 5000, 60.0), j.view, now, kPolicy, j.lookup());
    CHECK(p.reason == ReplayReason::cursor_other_epoch);
    CHECK(p.from == Seq{940});  // t >= now - 60 s
    CHECK_FALSE(p.gap.has_value());
    CHECK(p.history_s == 60.0);
}

TEST_CASE("no cursor and no history_s: the hub's default window") {
    FakeJournal j("e-b", 1, 1000, 1000, kT0, 1000);
    auto p = plan_replay(fresh(std::nullopt), j.view, kT0 + 999'000, kPolicy, j.lookup());
    CHECK(p.reason == ReplayReason::no_cursor);
    CHECK(p.from == Seq{700});
    CHECK(p.history_s == 300.0);
}

TEST_CASE("history_s 0 means live only; a window with no records replays nothing") {
    FakeJournal j("e-b", 1, 1000, 1000, kT0, 1000);
    auto none = plan_replay(fresh(0.0), j.view, kT0 + 999'000, kPolicy, j.lookup());
    CHECK_FALSE(none.from.has_value());
    CHECK_FALSE(none.gap.has_value());
    auto stale = plan_replay(fresh(10.0), j.view, kT0 + 5'000'000, kPolicy, j.lookup());  // hub was down
    CHECK_FALSE(stale.from.has_value());
    CHECK_FALSE(stale.gap.has_value());
    JournalView empty{"e-b", 0, 0, 0};
    auto e = plan_replay(fresh(600.0), empty, kT0, kPolicy, nullptr);
    CHECK_FALSE(e.from.has_value());
    CHECK_FALSE(e.gap.has_value());
}

TEST_CASE("a history window is capped at max_history_s") {
    FakeJournal j("e-b", 1, 1000, 1000, kT0, 1000);
    ReplayPolicy policy;
    policy.max_history_s = 100;
    auto p = plan_replay(fresh(1e9), j.view, kT0 + 999'000, policy, j.lookup());
    CHECK(p.history_s == 100.0);
    CHECK(p.from == Seq{900});
}

TEST_CASE("a window reaching before retention that dropped records: gap for the frames it would have held") {
    // Oldest retained is 501 (1..500 dropped); the window starts 101 s before it: seqs 400..500.
    FakeJournal j("e-b", 501, 1000, 1000, kT0, 1000);
    const std::int64_t now = kT0 + 499'000;  // t of head
    auto p = plan_replay(fresh(600.0), j.view, now, kPolicy, j.lookup());
    CHECK(p.from == Seq{501});
    CHECK(p.gap == Gap{400, 500});
}

TEST_CASE("a window reaching before the first record of an epoch is no gap: nothing was dropped") {
    FakeJournal j("e-b", 1, 100, 100, kT0, 1000);
    auto p = plan_replay(fresh(3600.0), j.view, kT0 + 99'000, kPolicy, j.lookup());
    CHECK(p.from == Seq{1});
    CHECK_FALSE(p.gap.has_value());
}

TEST_CASE("same epoch, cursor ahead of head: the hub lost what it sent, backfill like a new epoch") {
    FakeJournal j("e-a", 1, 100, 100, kT0, 1000);
    auto p = plan_replay(resume("e-a", 150, 30.0), j.view, kT0 + 99'000, kPolicy, j.lookup());
    CHECK(p.reason == ReplayReason::cursor_ahead);
    CHECK(p.from == Seq{70});
    CHECK_FALSE(p.gap.has_value());
}

TEST_CASE("replay reasons have names for logs") {
    CHECK(std::string(replay_reason_name(ReplayReason::cursor_before_oldest)) == "cursor_before_oldest");
    CHECK(std::string(replay_reason_name(ReplayReason::cursor_ahead)) == "cursor_ahead");
}
