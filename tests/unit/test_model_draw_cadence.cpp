// Draw cadence: the page redraws on a change, a clock second, or on a half-second step while an
// animation runs; a replay is drawn twice a second whatever animates (model/draw_cadence.h).
#include <doctest/doctest.h>

#include "model/draw_cadence.h"

#include <algorithm>
#include <initializer_list>
#include <vector>

using vigil::model::draw_due;
using vigil::model::DrawInputs;

namespace {

DrawInputs after(double ms) {
    DrawInputs in;
    in.since_last_draw_ms = ms;
    return in;
}

// The shortest wait (1 ms steps) after which draw_due says yes, or -1 within 5 s.
double first_draw_after(DrawInputs in) {
    for (double ms = 0; ms <= 5000; ms += 1) {
        in.since_last_draw_ms = ms;
        if (draw_due(in)) return ms;
    }
    return -1;
}

}  // namespace

TEST_CASE("nothing changed, nothing moves, same second: no draw however long since the last") {
    CHECK_FALSE(draw_due(after(0)));
    CHECK_FALSE(draw_due(after(60 * 60 * 1000.0)));
    DrawInputs replaying = after(60 * 60 * 1000.0);
    replaying.replaying = true;
    CHECK_FALSE(draw_due(replaying));
}

TEST_CASE("input, a resize or new fonts, and a new clock second draw at once, replaying or not") {
    for (bool replaying : {false, true}) {
        DrawInputs urgent = after(0);
        urgent.urgent = true;
        urgent.replaying = replaying;
        CHECK(draw_due(urgent));
        DrawInputs second = after(0);
        second.second_turned = true;
        second.replaying = replaying;
        CHECK(draw_due(second));
    }
}

TEST_CASE("new data shows within 100 ms, and within 500 ms while replaying") {
    DrawInputs data = after(0);
    data.dirty = true;
    CHECK(first_draw_after(data) == 100);
    data.replaying = true;
    CHECK(first_draw_after(data) == 500);
}

TEST_CASE("an animation moves on the half-second steps only, however long since the last draw") {
    DrawInputs anim = after(0);
    anim.animating = true;
    CHECK(first_draw_after(anim) == -1);  // no step turned: no draw, even 5 s later
    anim.step_turned = true;
    CHECK(first_draw_after(anim) == 100);  // a step turned: at least 100 ms after the last draw
    anim.since_last_draw_ms = 1000;
    anim.animating = false;  // a step with nothing moving (and nothing shown mid-motion): nothing
    CHECK_FALSE(draw_due(anim));
}

TEST_CASE("while replaying, an animation draws no more often than the replay: twice a second") {
    // A replay keeps something animating all the time (each replayed alarm change pulses, each
    // draw retargets the rolling counters); at 30 fps the draws starved the decoding.
    DrawInputs anim = after(0);
    anim.animating = true;
    anim.step_turned = true;
    anim.replaying = true;
    CHECK(first_draw_after(anim) == 500);
    anim.dirty = true;  // data and an animation together: still twice a second
    CHECK(first_draw_after(anim) == 500);
}

// A page's loop in 1 ms steps for `seconds`: a frame every second at `phase_ms`, something
// animating all the time (counters retargeted by every frame, a scrolling board), the clock's
// second and its half-second steps turning. Returns the draws per second (the most in any one).
namespace {

struct Simulated {
    int max_per_s = 0;
    int frames_not_drawn = 0;
};
Simulated simulate(int seconds, int phase_ms, bool replaying) {
    Simulated out;
    double last_draw = -1e9;
    long long last_second = -1, last_step = -1;
    bool dirty = false;
    std::vector<int> per_s(static_cast<std::size_t>(seconds), 0);
    for (int t = 0; t < seconds * 1000; ++t) {
        if (t % 1000 == phase_ms) {
            if (dirty) ++out.frames_not_drawn;  // the previous frame never reached the screen
            dirty = true;
        }
        DrawInputs in;
        in.since_last_draw_ms = t - last_draw;
        in.second_turned = t / 1000 != last_second;
        in.step_turned = t / 500 != last_step;
        in.dirty = dirty;
        in.animating = true;
        in.replaying = replaying;
        if (!draw_due(in)) continue;
        last_draw = t;
        last_second = t / 1000;
        last_step = t / 500;
        dirty = false;
        ++per_s[static_cast<std::size_t>(t / 1000)];
    }
    for (int n : per_s) out.max_per_s = std::max(out.max_per_s, n);
    return out;
}

}  // namespace

TEST_CASE("1 Hz data with something always moving: at most 3 draws a second, every frame drawn") {
    // Drawn at 30 fps this was ~11 a second on a 1,000-host wall (bench row 13).
    for (int phase : {0, 1, 99, 337, 499, 500, 501, 900, 999}) {
        CAPTURE(phase);
        const Simulated live = simulate(20, phase, false);
        CHECK(live.max_per_s <= 3);
        CHECK(live.frames_not_drawn == 0);
        const Simulated replay = simulate(20, phase, true);
        CHECK(replay.max_per_s <= 3);
    }
}
