// When the page redraws (see the header).
#include "model/draw_cadence.h"

namespace vigil::model {

bool draw_due(const DrawInputs& in, const DrawCadence& c) {
    if (in.urgent || in.second_turned) return true;
    // An animation moves on the steps alone, never sooner than new data would after a draw (a
    // frame drawn just before a step takes the step's draw a little later: no two draws 10 ms
    // apart for a software rasteriser to queue), and while replaying no more often than the replay.
    const double data_ms = in.replaying ? c.replay_ms : c.data_ms;
    if (in.animating && in.step_turned && in.since_last_draw_ms >= data_ms) return true;
    return in.dirty && in.since_last_draw_ms >= data_ms;
}

}  // namespace vigil::model
