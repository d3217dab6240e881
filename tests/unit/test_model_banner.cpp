// The banner's judgement (model/banner_state.h) and the replay progress it reads
// (model/replay_progress.h): every state the banner can show and what moves it between them.
#include <doctest/doctest.h>

#include "model/banner_state.h"
#include "model/replay_progress.h"

#include <set>
#include <string>

using vigil::core::LinkState;
using vigil::model::BannerInputs;
using vigil::model::BannerKind;
using vigil::model::Freshness;
using vigil::model::FreshnessLevel;
using vigil::model::judge_banner;
using vigil::model::Lang;
using vigil::model::ReplayProgress;
using vigil::protocol::ResumeCursor;
using vigil::protocol::Welcome;

namespace {

BannerInputs open_at(double now, const ReplayProgress& r, Freshness fleet = {FreshnessLevel::fresh, 100}) {
    BannerInputs in;
    in.status.state = LinkState::Open;
    in.now_ms = now;
    in.ever_opened = true;
    in.replaying = r.replaying();
    in.catch_up = r.progress();
    in.live_data = r.live_data();
    in.waiting_since_ms = r.waiting_since_ms();
    in.fleet = fleet;
    return in;
}

Welcome welcome(std::uint64_t head, std::uint64_t oldest, std::string epoch = "e-1") {
    Welcome w;
    w.epoch = std::move(epoch);
    w.head = head;
    w.oldest = oldest;
    w.interval_ms = 1000;
    return w;
}

}  // namespace

TEST_CASE("a kiosk that boots before its hub shows CONNECTING with attempt and retry until its first open") {
    BannerInputs in;
    in.now_ms = 10'000;
    in.ever_opened = false;
    for (LinkState s : {LinkState::Idle, LinkState::Connecting, LinkState::WaitingToRetry, LinkState::Connecting,
                        LinkState::WaitingToRetry}) {
        in.status.state = s;
        CHECK(vigil::model::banner_kind(in) == BannerKind::Connecting);
    }
    in.status.attempt = 3;
    in.status.next_try_at_ms = 12'000;
    in.status.reason = "hub unreachable (socket error)";
    const auto b = judge_banner(in, Lang::en);
    CHECK(b.kind == BannerKind::Connecting);
    CHECK(b.detail == "attempt 3 · retry in 2 s · hub unreachable (socket error)");
    // Once a socket opened, a drop is a reconnect.
    in.ever_opened = true;
    CHECK(vigil::model::banner_kind(in) == BannerKind::Reconnecting);
    in.status.state = LinkState::Connecting;
    CHECK(vigil::model::banner_kind(in) == BannerKind::Reconnecting);
}

TEST_CASE("connected with no frame yet is WAITING for 3 intervals, then STALE; not STALE 100 ms after open") {
    ReplayProgress r;
    r.on_open(5'000);
    auto in = open_at(5'100, r, Freshness{FreshnessLevel::never, 0});
    CHECK(judge_banner(in, Lang::en).kind == BannerKind::Waiting);
    CHECK(judge_banner(in, Lang::en).detail == "Waiting for data…");
    in.now_ms = 8'000;  // exactly 3 intervals: still waiting
    CHECK(judge_banner(in, Lang::en).kind == BannerKind::Waiting);
    in.now_ms = 8'001;
    const auto b = judge_banner(in, Lang::en);
    CHECK(b.kind == BannerKind::Stale);
    CHECK(b.detail == "Waiting for data…");
    // The limit follows the hub's interval and the configured count.
    in.interval_ms = 2000;
    in.stale_after_intervals = 5;
    CHECK(judge_banner(in, Lang::en).kind == BannerKind::Waiting);
}

TEST_CASE("a resume replay is CATCHING UP with progress, never LIVE; LIVE only after live and a live frame") {
    ReplayProgress r;
    r.on_open(0);
    r.on_welcome(welcome(1100, 1), ResumeCursor{"e-1", 1000}, 600);
    auto in = open_at(10, r);  // the fleet looks fresh: the replayed frames just arrived
    CHECK(judge_banner(in, Lang::en).kind == BannerKind::CatchingUp);
    CHECK(judge_banner(in, Lang::en).detail == "0 / 100 frames");
    for (std::uint64_t seq = 1001; seq <= 1040; ++seq) r.on_frame(seq, 20);
    in = open_at(20, r);
    CHECK(in.catch_up.done == 40);
    CHECK(in.catch_up.total == 100);
    CHECK(judge_banner(in, Lang::zh_CN).kind == BannerKind::CatchingUp);
    CHECK(vigil::model::banner_word(BannerKind::CatchingUp) == std::string("CATCHING_UP"));
    for (std::uint64_t seq = 1041; seq <= 1102; ++seq) r.on_frame(seq, 30);  // two appended meanwhile
    in = open_at(30, r);
    CHECK(in.catch_up.done == 102);
    CHECK(in.catch_up.total == 102);
    CHECK(judge_banner(in, Lang::en).detail == "102 / 102 frames");
    r.on_live(40);
    in = open_at(40, r);
    CHECK(judge_banner(in, Lang::en).kind == BannerKind::Waiting);  // past live, no live frame yet
    r.on_frame(1103, 900);
    CHECK(judge_banner(open_at(900, r), Lang::en).kind == BannerKind::Live);
    CHECK(judge_banner(open_at(900, r), Lang::en).detail.empty());
    // Live data that then stops: STALE with its age.
    const auto stale = judge_banner(open_at(9'000, r, Freshness{FreshnessLevel::stale, 8'100}), Lang::en);
    CHECK(stale.kind == BannerKind::Stale);
    CHECK(stale.detail == "last update 8 s ago");
}

TEST_CASE("a backfill's progress runs over the history window, and a gap counts as covered") {
    ReplayProgress r;
    r.on_open(0);
    r.on_welcome(welcome(100'000, 1), std::nullopt, 600);  // no cursor: the last 600 frames
    CHECK(r.progress().total == 600);
    CHECK(r.progress().done == 0);
    // A resume from another epoch is a backfill too.
    r.on_welcome(welcome(100'000, 1, "e-2"), ResumeCursor{"e-1", 5}, 600);
    CHECK(r.progress().total == 600);
    // A week-old cursor: the hub may cap the replay with a gap (progress jumps) or replay it all.
    r.on_welcome(welcome(700'000, 1), ResumeCursor{"e-1", 95'200}, 600);
    CHECK(r.progress().total == 604'800);
    r.on_gap(699'400);
    CHECK(r.progress().done == 604'200);
    r.on_frame(700'000, 5);
    CHECK(r.progress().done == r.progress().total);
    // Nothing retained: nothing to catch up.
    r.on_welcome(welcome(50, 0), std::nullopt, 600);
    CHECK(r.progress().total == 0);
}

TEST_CASE("a backend that never sends live is live once frames past its head kept coming for 3 intervals") {
    ReplayProgress r;
    r.on_open(0);
    r.on_welcome(welcome(10, 1), ResumeCursor{"e-1", 10}, 600);
    r.on_frame(11, 1000);
    r.settle(3'999, 3000);
    CHECK(r.replaying());
    r.on_frame(12, 2000);
    r.settle(4'001, 3000);
    CHECK_FALSE(r.replaying());
    CHECK(r.live_data());
    CHECK(judge_banner(open_at(4'001, r), Lang::en).kind == BannerKind::Live);
}

TEST_CASE("a replay cut short ends with its connection; the next one starts from nothing") {
    ReplayProgress r;
    r.on_open(0);
    r.on_welcome(welcome(100, 1), ResumeCursor{"e-1", 50}, 600);
    r.on_frame(51, 10);
    r.on_close();
    CHECK_FALSE(r.replaying());
    CHECK_FALSE(r.live_data());
    r.on_open(500);
    CHECK(judge_banner(open_at(600, r), Lang::en).kind == BannerKind::Waiting);
}

TEST_CASE("legacy pushes (no welcome) are live data at once") {
    ReplayProgress r;
    r.on_open(0);
    r.on_frame(0, 100);
    CHECK(judge_banner(open_at(100, r), Lang::en).kind == BannerKind::Live);
}

TEST_CASE("maintenance, offline and unauthorized say what the link says") {
    BannerInputs in;
    in.ever_opened = true;
    in.now_ms = 1000;
    in.status.state = LinkState::Maintenance;
    in.status.attempt = 1;
    in.status.next_try_at_ms = 2500;
    in.status.reason = "hub maintenance: 1012 service restart: retry_ms=1500";
    auto b = judge_banner(in, Lang::en);
    CHECK(b.kind == BannerKind::Maintenance);
    CHECK(b.detail == "in 2 s · hub maintenance: 1012 service restart: retry_ms=1500");
    in.status.state = LinkState::Offline;
    in.offline_since_clock = "14:03:07";
    b = judge_banner(in, Lang::en);
    CHECK(b.kind == BannerKind::Offline);
    CHECK(b.detail == "since 14:03:07");
    in.status.state = LinkState::Unauthorized;
    CHECK(judge_banner(in, Lang::en).kind == BannerKind::Unauthorized);
}

TEST_CASE("every banner kind has a distinct English word for window.vigil") {
    std::set<std::string> words;
    for (int i = 0; i < vigil::model::kBannerKindCount; ++i)
        words.insert(vigil::model::banner_word(static_cast<BannerKind>(i)));
    CHECK(words.size() == static_cast<std::size_t>(vigil::model::kBannerKindCount));
    CHECK(words.count("?") == 0);
}
