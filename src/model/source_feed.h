// What a backend of one's own does to what the page knows: each pushed message through the
// `source` mapping (model/source_mapping.h) into the fleet, as hub samples are, with the counters
// window.vigil shows. No seq, so no gap detection and no resume. Portable: times are passed in.
#pragma once

#include "model/fleet.h"
#include "model/replay_progress.h"
#include "model/source_mapping.h"

#include <string>
#include <string_view>

namespace vigil::model {

class SourceFeed {
public:
    struct Counts {
        long long messages = 0;     // every inbound message
        long long frames = 0;       // messages that gave at least one host
        long long unmatched = 0;    // messages that gave none (and were not the alive reply)
        long long alive = 0;        // alive replies (text or field rule; any: every message)
        long long skipped_hosts = 0, skipped_values = 0;
        long long bad_times = 0;    // messages whose `time` was unreadable or over a day from this
                                    // page's clock (their hosts read at arrival)
        std::string last_problem;   // the latest reason a message, host or value was left out
    };

    explicit SourceFeed(const SourceConfig& config) : config_(config) {}

    // One inbound message at page time now_ms and wall time wall_ms (used when the mapping has
    // no `time`, or the message none). Returns true when it proves the backend alive.
    bool apply(std::string_view text, bool binary, double now_ms, double wall_ms, Fleet& fleet, ReplayProgress& replay);

    const Counts& counts() const { return counts_; }

    // A message time further than this from the page's clock is refused as a bad time: a unit
    // mistake (µs as ms: 1,000x; s as ms: 1970) or garbage, which would otherwise freeze every
    // later value behind it. A display PC or backend clock off by minutes or hours still passes.
    static constexpr double kMaxTimeOffMs = 24 * 3600 * 1000.0;

private:
    const SourceConfig& config_;
    Counts counts_;
};

}  // namespace vigil::model
