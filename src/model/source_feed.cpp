// A backend's own JSON into the fleet (see the header).
#include "model/source_feed.h"

#include <cmath>

namespace vigil::model {

bool SourceFeed::apply(std::string_view text, bool binary, double now_ms, double wall_ms, Fleet& fleet,
                       ReplayProgress& replay) {
    ++counts_.messages;
    if (binary) {
        ++counts_.unmatched;
        counts_.last_problem = "a binary message (only text is mapped)";
        return false;
    }
    const SourceMessage m = map_source_message(config_, text);
    if (m.alive) ++counts_.alive;
    counts_.skipped_hosts += static_cast<long long>(m.skipped_hosts);
    counts_.skipped_values += static_cast<long long>(m.skipped_values);
    double t = m.time_ms.value_or(wall_ms);
    std::string problem = m.problem;
    if (m.time_ms && !(std::abs(t - wall_ms) <= kMaxTimeOffMs)) {
        if (problem.empty())
            problem = std::string("time is over a day ") + (t > wall_ms ? "ahead of" : "behind") +
                      " this page's clock (source.time_unit?): read at arrival";
        t = wall_ms;
        ++counts_.bad_times;
    } else if (m.bad_time) {
        ++counts_.bad_times;
    }
    if (!problem.empty()) counts_.last_problem = problem;
    if (m.unmatched) ++counts_.unmatched;
    if (m.hosts.empty()) return m.alive;
    ++counts_.frames;
    for (const auto& h : m.hosts) fleet.apply_host(h, t, now_ms);
    // Every message of a backend is live data, whatever its own time says: one host whose clock
    // runs ahead must not make the page's data look older than it is (the banner's STALE).
    fleet.note_arrival(now_ms);
    replay.on_frame(0, now_ms);  // no welcome, no seq: every frame is live data (banner LIVE)
    return m.alive;
}

}  // namespace vigil::model
