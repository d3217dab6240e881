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
        long long bad_times = 0;    // messages whose `time` was unreadable (their hosts read at arrival)
        std::string last_problem;   // the latest reason a message, host or value was left out
    };

    explicit SourceFeed(const SourceConfig& config) : config_(config) {}

    // One inbound message at page time now_ms and wall time wall_ms (used when the mapping has
    // no `time`, or the message none). Returns true when it proves the backend alive.
    bool apply(std::string_view text, bool binary, double now_ms, double wall_ms, Fleet& fleet, ReplayProgress& replay);

    const Counts& counts() const { return counts_; }

private:
    const SourceConfig& config_;
    Counts counts_;
};

}  // namespace vigil::model
