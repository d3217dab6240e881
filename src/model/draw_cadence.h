// When the page redraws: when something changed, when the clock's second turned, or for an
// animation, each at a capped rate; otherwise not at all (an idle wall costs almost nothing).
// Pure: the page passes in what happened since its last draw.
#pragma once

namespace vigil::model {

// The caps. A wall is read from across a room: new data shows within 100 ms, animations (rolling
// digits, pulses, the ticker) run at 30 fps while LIVE and 10 fps otherwise, and a replay
// (hundreds of frames after a reconnect or on a fresh page) is drawn twice a second, animations
// included, so decoding is not starved by drawing: a draw costs far more than a frame's decode on
// a software-rendered canvas, and a replay restarts animations all the time (each replayed alarm
// change pulses, each draw retargets the rolling counters). With animations at 30 fps, a 600 s
// backfill of 256 hosts drew ~8 times a second and took 4x as long to reach LIVE.
struct DrawCadence {
    double data_ms = 100.0;
    double animation_ms = 1000.0 / 30.0;
    double quiet_animation_ms = 100.0;
    double replay_ms = 500.0;
};

struct DrawInputs {
    double since_last_draw_ms = 0;
    bool urgent = false;         // input, a resize, new fonts, a restored context: at once
    bool second_turned = false;  // the wall clock shows a new second: at once, replaying or not
    bool dirty = false;          // data changed since the last draw
    bool animating = false;      // something on screen moves
    bool live = false;           // the banner says LIVE
    bool replaying = false;      // between the hub's welcome and its `live`
};

bool draw_due(const DrawInputs& in, const DrawCadence& cadence = {});

}  // namespace vigil::model
