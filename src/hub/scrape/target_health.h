// One target's health as the wall sees it: up with its latest values, or DOWN with the reason and
// the Unix ms of the first failure of this outage. Pure (times come in), so the rules are unit-tested.
#pragma once

#include "hub/sources/host_values.h"

#include <cstdint>
#include <string>

namespace vigil::hub::scrape {

class TargetHealth {
public:
    enum class Change { none, went_down, came_up };  // logged once per transition, not per scrape

    // A scrape whose response completed at monotonic `now_s` (Unix `unix_ms`).
    Change succeed(sources::HostValues values, double now_s, std::int64_t unix_ms);
    Change fail(std::string reason, std::int64_t unix_ms);

    bool down() const { return down_; }
    bool up() const { return scraped_ && !down_; }  // not yet scraped is neither
    const std::string& reason() const { return reason_; }
    std::int64_t since() const { return since_; }            // of the current outage
    std::int64_t last_unix_ms() const { return last_unix_ms_; }  // last scrape, either way

    // The latest values when they are not older than 2 intervals at `now_s` (a 10 s target on a
    // 1 s wall stays shown between its scrapes); nullptr when older, DOWN or never scraped: the
    // frame leaves the host out and the page greys it.
    const sources::HostValues* values_at(double now_s, double interval_s) const;

private:
    bool scraped_ = false, down_ = false;
    std::string reason_;
    std::int64_t since_ = 0, last_unix_ms_ = 0;
    sources::HostValues values_;
    double values_s_ = 0;
    bool have_values_ = false;
};

}  // namespace vigil::hub::scrape
