// Series: bounded rings of {seq, t, value} whose gaps are drawn as gaps, never bridged.
#include <doctest/doctest.h>

#include "model/fleet.h"
#include "model/series.h"

#include <vector>

using vigil::model::Fleet;
using vigil::model::FleetLimits;
using vigil::model::Series;
using vigil::model::SeriesBreakRule;
using vigil::model::SeriesWindow;
using vigil::model::series_capacity_for;
using vigil::protocol::HostSamples;
using vigil::protocol::Samples;

namespace {

// Frame `seq` at hub time 1000 * seq.
Samples frame(vigil::protocol::Seq seq, std::vector<HostSamples> hosts) {
    return Samples{seq, static_cast<std::int64_t>(seq) * 1000, std::move(hosts)};
}

std::vector<std::size_t> run_sizes(const SeriesWindow& w) {
    std::vector<std::size_t> sizes;
    for (const auto& r : w.runs) sizes.push_back(r.size());
    return sizes;
}

}  // namespace

TEST_CASE("consecutive frames form one run; a missing seq range starts a new run and is never bridged") {
    Series s(100, SeriesBreakRule{0});
    for (int seq = 1; seq <= 5; ++seq) s.push(seq, seq * 1000.0, seq);
    for (int seq = 9; seq <= 10; ++seq) s.push(seq, seq * 1000.0, seq);  // 6..8 lost
    SeriesWindow w;
    s.window(0, 20000, w);
    CHECK(run_sizes(w) == std::vector<std::size_t>{5, 2});
    CHECK(w.points[w.runs[1].begin].seq == 9);
    CHECK(w.points[w.runs[0].end - 1].seq == 5);
}

TEST_CASE("a host absent from frames has a gap in its series while a host that kept reporting has none") {
    Fleet fleet;
    for (int seq = 1; seq <= 3; ++seq)
        fleet.apply_samples(frame(seq, {HostSamples{"a", {{"cpu", 1}}}, HostSamples{"b", {{"cpu", 2}}}}), seq);
    for (int seq = 4; seq <= 5; ++seq) fleet.apply_samples(frame(seq, {HostSamples{"b", {{"cpu", 2}}}}), seq);
    for (int seq = 6; seq <= 7; ++seq)
        fleet.apply_samples(frame(seq, {HostSamples{"a", {{"cpu", 1}}}, HostSamples{"b", {{"cpu", 2}}}}), seq);
    SeriesWindow w;
    fleet.find("a")->series.at("cpu").window(0, 1e9, w);
    CHECK(run_sizes(w) == std::vector<std::size_t>{3, 2});
    fleet.find("b")->series.at("cpu").window(0, 1e9, w);
    CHECK(run_sizes(w) == std::vector<std::size_t>{7});
}

TEST_CASE("a lone sample between two gaps is a run of one point (drawn as a dot)") {
    Series s(100, SeriesBreakRule{0});
    s.push(1, 1000, 1);
    s.push(3, 3000, 3);
    s.push(5, 5000, 5);
    SeriesWindow w;
    s.window(0, 10000, w);
    CHECK(run_sizes(w) == std::vector<std::size_t>{1, 1, 1});
}

TEST_CASE("a time jump between consecutive seqs is a gap (a hub that paused), a normal step is not") {
    Series s(100, SeriesBreakRule{3000});
    s.push(1, 1000, 1);
    s.push(2, 4000, 2);   // 3 s: still one run
    s.push(3, 60000, 3);  // 56 s later with the next seq: a gap
    SeriesWindow w;
    s.window(0, 1e9, w);
    CHECK(run_sizes(w) == std::vector<std::size_t>{2, 1});
}

TEST_CASE("legacy points without seqs are joined by time alone") {
    Series s(100, SeriesBreakRule{3000});
    s.push(0, 1000, 1);
    s.push(0, 2000, 2);
    s.push(0, 9000, 3);
    SeriesWindow w;
    s.window(0, 1e9, w);
    CHECK(run_sizes(w) == std::vector<std::size_t>{2, 1});
}

TEST_CASE("the ring never holds more than its capacity and keeps the newest points") {
    Series s(50, SeriesBreakRule{0});
    for (int seq = 1; seq <= 1000; ++seq) s.push(seq, seq * 1000.0, seq);
    CHECK(s.size() == 50);
    CHECK(s.capacity() == 50);
    CHECK(s.at(0).seq == 951);
    CHECK(s.newest().seq == 1000);
    SeriesWindow w;
    s.window(0, 1e9, w);
    REQUIRE(w.points.size() == 50);
    CHECK(run_sizes(w) == std::vector<std::size_t>{50});  // wrapping did not cut the run
    for (std::size_t i = 1; i < w.points.size(); ++i) CHECK(w.points[i].seq == w.points[i - 1].seq + 1);
    CHECK(w.min_value == 951);
    CHECK(w.max_value == 1000);
}

TEST_CASE("capacity follows the history window and interval, within 2 and 3600 points") {
    CHECK(series_capacity_for(600, 1000) == 601);
    CHECK(series_capacity_for(60, 5000) == 13);
    CHECK(series_capacity_for(86400, 1000) == Series::kMaxCapacity);
    CHECK(series_capacity_for(86400, 0.001) == Series::kMaxCapacity);
    CHECK(series_capacity_for(0, 1000) == 2);
    CHECK(Series(1'000'000).capacity() == Series::kMaxCapacity);
}

TEST_CASE("shrinking a ring keeps the newest points and does not join them to what was cut") {
    Series s(100, SeriesBreakRule{0});
    for (int seq = 1; seq <= 80; ++seq) s.push(seq, seq * 1000.0, seq);
    s.set_capacity(10);
    CHECK(s.size() == 10);
    CHECK(s.at(0).seq == 71);
    CHECK(s.at(0).starts_run);
    s.push(81, 81000, 81);
    CHECK(s.size() == 10);
    CHECK(s.newest().seq == 81);
    CHECK_FALSE(s.newest().starts_run);
}

TEST_CASE("a frame older than the newest point, or the same frame again, is not inserted") {
    Series s(10, SeriesBreakRule{0});
    CHECK(s.push(5, 5000, 5));
    CHECK_FALSE(s.push(5, 5000, 5));
    CHECK_FALSE(s.push(4, 4000, 4));
    CHECK(s.size() == 1);
    CHECK(s.dropped() == 2);
}

TEST_CASE("replayed frames after a reconnect fill in in order, indistinguishable from live ones") {
    Fleet live, reconnected;
    for (int seq = 1; seq <= 12; ++seq) live.apply_samples(frame(seq, {HostSamples{"h", {{"cpu", seq * 1.5}}}}), seq * 1000.0);
    // Live for 5 frames, then the link drops; on reconnect 6..10 arrive as a burst (replay), then live.
    for (int seq = 1; seq <= 5; ++seq)
        reconnected.apply_samples(frame(seq, {HostSamples{"h", {{"cpu", seq * 1.5}}}}), seq * 1000.0);
    for (int seq = 6; seq <= 10; ++seq)
        reconnected.apply_samples(frame(seq, {HostSamples{"h", {{"cpu", seq * 1.5}}}}), 30000.0);
    for (int seq = 11; seq <= 12; ++seq)
        reconnected.apply_samples(frame(seq, {HostSamples{"h", {{"cpu", seq * 1.5}}}}), 30000.0 + seq);
    SeriesWindow a, b;
    live.find("h")->series.at("cpu").window(0, 1e9, a);
    reconnected.find("h")->series.at("cpu").window(0, 1e9, b);
    REQUIRE(a.points.size() == b.points.size());
    CHECK(run_sizes(b) == std::vector<std::size_t>{12});
    for (std::size_t i = 0; i < a.points.size(); ++i) {
        CHECK(a.points[i].seq == b.points[i].seq);
        CHECK(a.points[i].t == b.points[i].t);
        CHECK(a.points[i].value == b.points[i].value);
        CHECK(a.points[i].starts_run == b.points[i].starts_run);
    }
}

TEST_CASE("a new epoch starts new runs even when the next seq happens to follow") {
    Fleet fleet;
    fleet.apply_samples(frame(1, {HostSamples{"h", {{"cpu", 1}}}}), 1);
    fleet.apply_samples(frame(2, {HostSamples{"h", {{"cpu", 1}}}}), 2);
    fleet.on_new_epoch();
    fleet.apply_samples(frame(3, {HostSamples{"h", {{"cpu", 1}}}}), 3);
    SeriesWindow w;
    fleet.find("h")->series.at("cpu").window(0, 1e9, w);
    CHECK(run_sizes(w) == std::vector<std::size_t>{2, 1});
}

TEST_CASE("a window keeps the neighbours just outside its edges so lines reach the edges, but not across a gap") {
    Series s(100, SeriesBreakRule{0});
    for (int seq = 1; seq <= 10; ++seq) s.push(seq, seq * 1000.0, seq);
    SeriesWindow w;
    s.window(3500, 6500, w);  // inside: 4, 5, 6; neighbours 3 and 7 belong to the same run
    REQUIRE(w.points.size() == 5);
    CHECK(w.points.front().seq == 3);
    CHECK(w.points.back().seq == 7);

    Series gappy(100, SeriesBreakRule{0});
    gappy.push(1, 1000, 1);
    gappy.push(3, 3000, 3);  // gap before
    gappy.push(4, 4000, 4);
    gappy.push(6, 6000, 6);  // gap before
    gappy.window(2500, 4500, w);
    REQUIRE(w.points.size() == 2);  // 3 and 4 only: 1 and 6 lie across gaps
    CHECK(w.points.front().seq == 3);
    CHECK(w.points.back().seq == 4);

    s.window(3200, 3800, w);  // between two points of a run: the segment crossing the window
    REQUIRE(w.points.size() == 2);
    CHECK(w.points.front().seq == 3);
    gappy.window(1500, 2500, w);  // inside a gap: nothing to draw
    CHECK(w.points.empty());
    CHECK(w.runs.empty());
    s.window(20000, 30000, w);  // after everything
    CHECK(w.points.empty());
}

TEST_CASE("the fleet's point budget shortens every series when there are many, and stays within it") {
    FleetLimits limits;
    limits.max_total_points = 100;
    Fleet fleet(limits);
    std::vector<std::pair<std::string, double>> values;
    for (int m = 0; m < 10; ++m) values.emplace_back("m" + std::to_string(m), 1.0);
    for (int seq = 1; seq <= 500; ++seq) fleet.apply_samples(frame(seq, {HostSamples{"h", values}}), seq);
    std::size_t total = 0;
    for (const auto& kv : fleet.find("h")->series) total += kv.second.size();
    CHECK(fleet.series_count() == 10);
    CHECK(fleet.points_per_series() == 10);
    CHECK(total == 100);
}

TEST_CASE("the history a page asks the hub for is what its series hold at this fleet's size") {
    // A fresh page knows no fleet yet: its configured history. Once the point budget is shared by
    // many series, only what they hold (10 points at 1 Hz: 10 s), never frames thrown away.
    FleetLimits limits;
    limits.max_total_points = 100;
    Fleet fleet(limits);
    fleet.set_history_s(600);
    fleet.set_interval_ms(1000);
    CHECK(fleet.kept_history_s() == 600);
    std::vector<std::pair<std::string, double>> values;
    for (int m = 0; m < 10; ++m) values.emplace_back("m" + std::to_string(m), 1.0);
    fleet.apply_samples(frame(1, {HostSamples{"h", values}}), 1);
    CHECK(fleet.points_per_series() == 10);
    CHECK(fleet.kept_history_s() == 10);
    Fleet small;  // a small fleet keeps its whole configured history
    small.set_history_s(120);
    small.apply_samples(frame(1, {HostSamples{"h", {{"cpu", 1}}}}), 1);
    CHECK(small.kept_history_s() == 120);
}

TEST_CASE("a longer history or a shorter interval resizes the series, keeping what they hold") {
    Fleet fleet;
    fleet.set_history_s(60);
    fleet.set_interval_ms(1000);
    for (int seq = 1; seq <= 100; ++seq) fleet.apply_samples(frame(seq, {HostSamples{"h", {{"cpu", 1}}}}), seq);
    CHECK(fleet.find("h")->series.at("cpu").size() == 61);
    fleet.set_history_s(120);
    CHECK(fleet.find("h")->series.at("cpu").capacity() == 121);
    CHECK(fleet.find("h")->series.at("cpu").size() == 61);
}
