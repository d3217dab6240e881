// What the scrape loop shows of itself: per target (GET /targets), totals (/healthz `targets`)
// and counters (/metrics). Beast-free, so the hub's context and tests include it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vigil::hub::scrape {

struct TargetStatus {
    std::string host, address, path;
    bool up = false;                      // last scrape succeeded
    bool down = false;                    // DOWN (neither: not scraped yet)
    std::string reason;                   // of the DOWN state
    std::int64_t since = 0;               // Unix ms the outage started
    std::int64_t last_scrape_unix_ms = 0;
    double duration_ms = 0;               // of the last scrape
    std::size_t series = 0;               // good series read of the last good body
    std::size_t samples = 0;              // its sample lines (read, histogram/summary or skipped)
    std::uint64_t errors = 0;             // bad lines, all scrapes
    std::string last_error;               // first bad line of the last body that had one
    std::size_t dropped_keys = 0;         // cpuN keys of the last good body not sent (the page's
                                          // max_metrics keys per host: scrape_body.h core_key_room)
    double interval_s = 0;
};

// Scrapes by outcome and their durations are the hub's counters (ScrapeLoop::observe).
struct ScrapeCounters {
    std::uint64_t reloads = 0, reload_errors = 0;  // re-reads of the targets files
    std::string last_reload_error;
};

class ScrapeStatus {
public:
    virtual ~ScrapeStatus() = default;
    virtual std::vector<TargetStatus> targets() const = 0;  // config order
    virtual const ScrapeCounters& counters() const = 0;
};

// GET /targets: [{host, address, path, up, reason, since, last_scrape_unix_ms, duration_ms,
// series, samples, errors, last_error, dropped_keys, interval_ms}] in config order (reason/since null unless DOWN).
std::string targets_json(const ScrapeStatus& status);

struct TargetTotals {
    std::size_t total = 0, up = 0, down = 0;
    std::size_t dropped_keys = 0;  // summed over the targets
};
TargetTotals target_totals(const std::vector<TargetStatus>& targets);

}  // namespace vigil::hub::scrape
