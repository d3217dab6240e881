// Health of one scrape target.
#include "hub/scrape/target_health.h"

namespace vigil::hub::scrape {

TargetHealth::Change TargetHealth::succeed(sources::HostValues values, double now_s, std::int64_t unix_ms) {
    const bool was_down = down_;
    scraped_ = true;
    down_ = false;
    reason_.clear();
    since_ = 0;
    last_unix_ms_ = unix_ms;
    values_ = std::move(values);
    values_s_ = now_s;
    have_values_ = true;
    return was_down ? Change::came_up : Change::none;
}

TargetHealth::Change TargetHealth::fail(std::string reason, std::int64_t unix_ms) {
    const bool was_down = down_;
    scraped_ = true;
    down_ = true;
    if (!was_down) since_ = unix_ms;  // the outage's start stays while the reason may change
    reason_ = std::move(reason);
    last_unix_ms_ = unix_ms;
    have_values_ = false;  // a DOWN host has no values; after it comes back, only new ones
    values_.clear();
    return was_down ? Change::none : Change::went_down;
}

const sources::HostValues* TargetHealth::values_at(double now_s, double interval_s) const {
    if (down_ || !have_values_) return nullptr;
    if (now_s - values_s_ > 2 * interval_s) return nullptr;
    return &values_;
}

}  // namespace vigil::hub::scrape
