// When the page redraws: when something changed, when the clock's second turned, or for an
// animation on the half-second steps of the clock; otherwise not at all (an idle wall costs
// almost nothing). Pure: the page passes in what happened since its last draw.
#pragma once

namespace vigil::model {

// The caps. A wall is read from across a room: new data shows within 100 ms, and a replay
// (hundreds of frames after a reconnect or on a fresh page) is drawn twice a second, so decoding
// is not starved by drawing (a draw costs far more than a frame's decode on a software-rendered
// canvas: a 600 s backfill of 256 hosts drawn at 8 per second took 4x as long to reach LIVE).
// Animations (rolling digits, pulses, the scrolling board and ticker) are discrete: they move
// only on the clock's half-second steps (`step_ms`, counted on the same clock as the second, so
// one step is the second's own draw). At 1 Hz data the page then draws at most 3 times a
// second (the frame, and the two steps while something moves), however much animates; at
// 30 fps a 1,000-host wall drew ~11 times a second for counters retargeted by every frame.
struct DrawCadence {
    double data_ms = 100.0;
    double replay_ms = 500.0;
    double step_ms = 500.0;  // the page counts steps of this length on the clock it shows
};

struct DrawInputs {
    double since_last_draw_ms = 0;
    bool urgent = false;         // input, a resize, new fonts, a restored context: at once
    bool second_turned = false;  // the wall clock shows a new second: at once, replaying or not
    bool step_turned = false;    // a new half-second animation step began (DrawCadence::step_ms)
    bool dirty = false;          // data changed since the last draw
    // Something on screen moves, or the last drawn frame showed it mid-motion (a pulse that has
    // ended since must still be drawn at rest once).
    bool animating = false;
    bool replaying = false;      // between the hub's welcome and its `live`
};

bool draw_due(const DrawInputs& in, const DrawCadence& cadence = {});

}  // namespace vigil::model
