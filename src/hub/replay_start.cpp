// Replay start from a hello (interim, see header).
#include "hub/replay_start.h"

#include <algorithm>
#include <cmath>

namespace vigil::hub {

ReplayStart plan_replay(const protocol::Hello& hello, const std::string& epoch, protocol::Seq head,
                        protocol::Seq oldest, std::int64_t interval_ms) {
    ReplayStart r;
    r.first = head + 1;
    if (hello.resume && hello.resume->epoch == epoch && hello.resume->seq <= head) {
        r.first = hello.resume->seq + 1;
        protocol::Seq retained_from = oldest ? oldest : head + 1;
        if (r.first < retained_from) {
            r.gap = protocol::Gap{r.first, retained_from - 1};
            r.first = retained_from;
        }
        return r;
    }
    // No usable cursor (first visit, another epoch, or a cursor ahead of this journal):
    // backfill the requested history from what is retained.
    if (hello.history_s && *hello.history_s > 0 && head > 0 && oldest > 0) {
        double frames = std::ceil(*hello.history_s * 1000.0 / double(std::max<std::int64_t>(1, interval_ms)));
        protocol::Seq want = frames >= double(head) ? head : protocol::Seq(frames);
        r.first = std::max(oldest, head - want + 1);
    }
    return r;
}

}  // namespace vigil::hub
