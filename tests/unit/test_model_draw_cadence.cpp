// Draw cadence: the page redraws on a change, a clock second or an animation, each at its cap;
// a replay is drawn twice a second whatever animates (model/draw_cadence.h).
#include <doctest/doctest.h>

#include "model/draw_cadence.h"

#include <initializer_list>

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
    data.live = true;
    CHECK(first_draw_after(data) == 100);
    data.replaying = true;
    CHECK(first_draw_after(data) == 500);
}

TEST_CASE("animations run at 30 fps while LIVE and 10 fps otherwise") {
    DrawInputs anim = after(0);
    anim.animating = true;
    anim.live = true;
    CHECK(first_draw_after(anim) == 34);  // 1000 / 30 ms, in whole ms
    anim.live = false;
    CHECK(first_draw_after(anim) == 100);
}

TEST_CASE("while replaying, an animation draws no more often than the replay: twice a second") {
    // A replay keeps something animating all the time (each replayed alarm change pulses, each
    // draw retargets the rolling counters); at 30 fps the draws starved the decoding.
    for (bool live : {true, false}) {
        DrawInputs anim = after(0);
        anim.animating = true;
        anim.live = live;
        anim.replaying = true;
        CHECK(first_draw_after(anim) == 500);
        anim.dirty = true;  // data and an animation together: still twice a second
        CHECK(first_draw_after(anim) == 500);
    }
}
