// A backend's own JSON into the fleet (see the header).
#include "model/source_feed.h"

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
    if (m.bad_time) ++counts_.bad_times;
    if (!m.problem.empty()) counts_.last_problem = m.problem;
    if (m.unmatched) ++counts_.unmatched;
    if (m.hosts.empty()) return m.alive;
    ++counts_.frames;
    const double t = m.time_ms.value_or(wall_ms);
    for (const auto& h : m.hosts) fleet.apply_host(h, t, now_ms);
    replay.on_frame(0, now_ms);  // no welcome, no seq: every frame is live data (banner LIVE)
    return m.alive;
}

}  // namespace vigil::model
