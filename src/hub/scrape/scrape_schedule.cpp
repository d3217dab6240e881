// Scrape schedule arithmetic.
#include "hub/scrape/scrape_schedule.h"

#include <cmath>

namespace vigil::hub::scrape {

double phase_offset_s(std::size_t index, std::size_t count, double interval_s) {
    if (count == 0 || interval_s <= 0) return 0;
    return interval_s * double(index % count) / double(count);
}

double next_due_s(double due_s, double now_s, double interval_s) {
    if (interval_s <= 0) return now_s;
    double next = due_s + interval_s;
    if (next <= now_s) next += std::floor((now_s - next) / interval_s + 1) * interval_s;
    return next;
}

}  // namespace vigil::hub::scrape
