// When the page redraws (see the header).
#include "model/draw_cadence.h"

namespace vigil::model {

bool draw_due(const DrawInputs& in, const DrawCadence& c) {
    if (in.urgent || in.second_turned) return true;
    const double animation_ms = in.replaying ? c.replay_ms : (in.live ? c.animation_ms : c.quiet_animation_ms);
    const double data_ms = in.replaying ? c.replay_ms : c.data_ms;
    return (in.animating && in.since_last_draw_ms >= animation_ms) || (in.dirty && in.since_last_draw_ms >= data_ms);
}

}  // namespace vigil::model
