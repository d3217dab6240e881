// Previews in the page's model (model/hub_feed.h, model/fleet.h): shown as the latest values,
// keeping the link fresh while the stored frames are late, never put into a series, never
// rolling back what a newer preview showed; ignored before the welcome and during a replay.
#include <doctest/doctest.h>

#include "model/banner_state.h"
#include "model/hub_feed.h"

#include <string>

using vigil::model::BannerKind;
using vigil::model::HubFeed;
using vigil::protocol::AlarmLevel;

namespace {

constexpr long long kT0 = 1'700'000'000'000LL;

std::string frame_fields(int tick, const std::string& hosts, const std::string& down) {
    return R"("t":)" + std::to_string(kT0 + tick * 1000LL) + R"(,"hosts":{)" + hosts + "}" +
           (down.empty() ? "" : R"(,"down":{)" + down + "}") + "}";
}

// The stored frame of `tick` (seq = tick) and its preview.
std::string samples(int tick, const std::string& hosts, const std::string& down = "") {
    return R"({"type":"samples","seq":)" + std::to_string(tick) + "," + frame_fields(tick, hosts, down);
}
std::string preview(int tick, const std::string& hosts, const std::string& down = "") {
    return R"({"type":"preview",)" + frame_fields(tick, hosts, down);
}

// Welcomed, catalogued (cpu crit at 95), replay over: a live page.
void go_live(HubFeed& feed, double now = 0) {
    feed.on_open(now);
    feed.apply(R"({"type":"welcome","v":1,"epoch":"e-1","head":0,"oldest":0,"interval_ms":1000})", false, now, 0);
    feed.apply(R"({"type":"catalog","hosts":[{"id":"a","metrics":[{"key":"cpu","warn":80,"crit":95}]},{"id":"b","metrics":[{"key":"cpu"}]}]})",
               false, now, 0);
    feed.apply(R"({"type":"live","head":0})", false, now, 0);
}

// The banner of an open connection over this feed, as PageApp::banner_inputs() builds it.
BannerKind banner(const HubFeed& feed, double now) {
    vigil::model::BannerInputs in;
    in.status.state = vigil::core::LinkState::Open;
    in.now_ms = now;
    in.ever_opened = true;
    in.replaying = feed.replay().replaying();
    in.live_data = feed.replay().live_data();
    in.waiting_since_ms = feed.replay().waiting_since_ms();
    in.fleet = feed.fleet().link_freshness(now);
    in.interval_ms = feed.fleet().interval_ms();
    in.stale_after_intervals = feed.fleet().stale_after_intervals();
    return vigil::model::banner_kind(in);
}

std::size_t points(const HubFeed& feed, const std::string& host) {
    const auto* h = feed.fleet().find(host);
    REQUIRE(h != nullptr);
    auto it = h->series.find("cpu");
    return it == h->series.end() ? 0 : it->second.size();
}

}  // namespace

TEST_CASE("previews keep the link fresh past stale_after intervals without adding a series point") {
    HubFeed with, without;
    go_live(with);
    go_live(without);
    for (HubFeed* f : {&with, &without}) {
        f->apply(samples(1, R"("a":{"cpu":10})"), false, 1000, 0);
        f->apply(samples(2, R"("a":{"cpu":20})"), false, 2000, 0);
    }
    // The stream cannot store for 6 s: only previews come.
    for (int tick = 3; tick <= 8; ++tick) with.apply(preview(tick, R"("a":{"cpu":)" + std::to_string(tick * 10) + "}"), false, tick * 1000.0, 0);
    const double now = 8500;  // 6.5 intervals after the last stored frame; stale after 3
    CHECK_FALSE(without.fleet().link_freshness(now).fresh());
    CHECK(with.fleet().link_freshness(now).fresh());
    CHECK(with.fleet().freshness(*with.fleet().find("a"), now).fresh());
    CHECK(banner(without, now) == BannerKind::Stale);
    CHECK(banner(with, now) == BannerKind::Live);
    CHECK(with.fleet().find("a")->latest.at("cpu") == 80);
    CHECK(with.fleet().find("a")->latest_wall_ms.at("cpu") == kT0 + 8000);
    CHECK(points(with, "a") == 2);  // the two stored frames only
    CHECK(with.counts().previews == 6);
    CHECK(with.counts().previews_ignored == 0);
    CHECK(with.counts().frames == 2);
    // The seq cursor did not move: the stored frames of ticks 3.. are still expected.
    CHECK(with.seqs().cursor()->seq == 2);
}

TEST_CASE("a stored frame after a newer preview goes into the series but does not roll back the latest values") {
    HubFeed feed;
    go_live(feed);
    feed.apply(samples(1, R"("a":{"cpu":10})"), false, 1000, 0);
    feed.apply(preview(2, R"("a":{"cpu":20})"), false, 2000, 0);
    feed.apply(preview(3, R"("a":{"cpu":99})"), false, 3000, 0);  // crit
    CHECK(feed.fleet().alarms().level("a", "cpu") == AlarmLevel::crit);
    // The stream stores again: the late frames of ticks 2 and 3 come.
    feed.apply(samples(2, R"("a":{"cpu":20})"), false, 3100, 0);
    const auto& a = *feed.fleet().find("a");
    CHECK(a.latest.at("cpu") == 99);                     // tick 2 is older than what is shown
    CHECK(a.latest_wall_ms.at("cpu") == kT0 + 3000);
    CHECK(feed.fleet().alarms().level("a", "cpu") == AlarmLevel::crit);
    CHECK(points(feed, "a") == 2);
    // The stored frame of the preview's own tick still makes its point.
    feed.apply(samples(3, R"("a":{"cpu":99})"), false, 3200, 0);
    REQUIRE(points(feed, "a") == 3);
    const auto& s = feed.fleet().find("a")->series.at("cpu");
    CHECK(s.newest().t == kT0 + 3000);
    CHECK(s.newest().seq == 3);
    CHECK(s.at(1).value == 20);
    CHECK(feed.counts().frames == 3);
    CHECK(feed.seqs().cursor()->seq == 3);
}

TEST_CASE("a preview before this connection's welcome or during its replay is ignored and counted") {
    HubFeed feed;
    feed.on_open(0);
    feed.apply(preview(1, R"("a":{"cpu":10})"), false, 100, 0);  // before any welcome
    CHECK(feed.fleet().find("a") == nullptr);
    CHECK(feed.counts().previews_ignored == 1);
    // Welcomed with frames to replay: the replay runs until `live`.
    feed.apply(R"({"type":"welcome","v":1,"epoch":"e-1","head":5,"oldest":1,"interval_ms":1000})", false, 200, 0);
    REQUIRE(feed.replay().replaying());
    feed.apply(samples(1, R"("a":{"cpu":10})"), false, 300, 0);
    feed.apply(preview(9, R"("a":{"cpu":90})"), false, 400, 0);  // during the replay
    CHECK(feed.fleet().find("a")->latest.at("cpu") == 10);
    CHECK(feed.counts().previews_ignored == 2);
    CHECK(feed.counts().previews == 0);
    for (int tick = 2; tick <= 5; ++tick) feed.apply(samples(tick, R"("a":{"cpu":50})"), false, 500, 0);
    feed.apply(R"({"type":"live","head":5})", false, 600, 0);
    feed.apply(preview(6, R"("a":{"cpu":60})"), false, 700, 0);
    CHECK(feed.fleet().find("a")->latest.at("cpu") == 60);
    CHECK(feed.counts().previews == 1);
    // A new connection: ignored again until its own welcome, although one came before.
    feed.on_close();
    feed.on_open(800);
    feed.apply(preview(7, R"("a":{"cpu":70})"), false, 900, 0);
    CHECK(feed.fleet().find("a")->latest.at("cpu") == 60);
    CHECK(feed.counts().previews_ignored == 3);
}

TEST_CASE("a preview's down list marks the host DOWN; an older stored frame does not bring it back up") {
    HubFeed feed;
    go_live(feed);
    const std::string b_down = R"("b":{"reason":"connection refused","since":)" + std::to_string(kT0 + 3000) + "}";
    feed.apply(samples(1, R"("a":{"cpu":10},"b":{"cpu":1})"), false, 1000, 0);
    feed.apply(preview(2, R"("a":{"cpu":11},"b":{"cpu":1})"), false, 2000, 0);
    const auto fx = feed.apply(preview(3, R"("a":{"cpu":12})", b_down), false, 3000, 0);  // b goes DOWN at tick 3
    REQUIRE(feed.fleet().find("b")->down.has_value());
    CHECK(feed.fleet().find("b")->down->reason == "connection refused");
    CHECK(feed.fleet().down_count() == 1);
    CHECK(feed.fleet().alarms().host_level("b") == AlarmLevel::crit);
    CHECK(fx.new_text == std::vector<std::string>{"connection refused"});  // its glyphs
    CHECK(points(feed, "b") == 1);
    // The stream stores again: tick 2's frame, from before b went down, is older news.
    feed.apply(samples(2, R"("a":{"cpu":11},"b":{"cpu":1})"), false, 3100, 0);
    CHECK(feed.fleet().find("b")->down.has_value());
    CHECK(feed.fleet().down_count() == 1);
    CHECK(points(feed, "b") == 2);
    feed.apply(samples(3, R"("a":{"cpu":12})", b_down), false, 3200, 0);
    CHECK(feed.fleet().find("b")->down.has_value());
    // The newest word brings it back up.
    feed.apply(samples(4, R"("a":{"cpu":13},"b":{"cpu":2})"), false, 4000, 0);
    CHECK_FALSE(feed.fleet().find("b")->down.has_value());
    CHECK(feed.fleet().down_count() == 0);
}

TEST_CASE("a page that connects while the stream stores nothing: previews after its live make it LIVE, not WAITING") {
    HubFeed feed;
    go_live(feed, 0);  // welcome, catalog, live: no frame on this connection yet
    CHECK(banner(feed, 100) == BannerKind::Waiting);
    feed.apply(preview(0, R"("a":{"cpu":10})"), false, 500, 0);
    CHECK(feed.replay().live_data());
    CHECK(banner(feed, 600) == BannerKind::Live);
    CHECK(points(feed, "a") == 0);
}
