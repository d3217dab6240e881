// Scrape schedule arithmetic.
#include "hub/scrape/scrape_schedule.h"

#include <algorithm>
#include <cmath>

namespace vigil::hub::scrape {

double phase_offset_s(std::size_t index, std::size_t count, double interval_s) {
    if (count == 0 || interval_s <= 0) return 0;
    // At most one phase per kPhaseStepS: targets sharing a phase are woken by one timer expiry
    // and their responses tend to come in one epoll wait, where a phase each would cost the hub
    // a wake-up per target (at 1,000 targets the kernel's share of the hub's CPU was the largest).
    const auto phases = std::max<std::size_t>(1, std::min(count, std::size_t(interval_s / kPhaseStepS)));
    return interval_s * double(index % phases) / double(phases);
}

double first_due_s(double epoch_s, double now_s, std::size_t index, std::size_t count, double interval_s) {
    const double due = epoch_s + phase_offset_s(index, count, interval_s);
    return due >= now_s ? due : next_due_s(due, now_s, interval_s);
}

double next_due_s(double due_s, double now_s, double interval_s) {
    if (interval_s <= 0) return now_s;
    double next = due_s + interval_s;
    if (next <= now_s) next += std::floor((now_s - next) / interval_s + 1) * interval_s;
    return next;
}

int scrape_timeout_ms(int flag_ms, double interval_s) {
    const int most = std::max(1, int(interval_s * 900));
    return flag_ms > 0 ? std::min(flag_ms, most) : std::max(1, int(interval_s * 800));
}

}  // namespace vigil::hub::scrape
