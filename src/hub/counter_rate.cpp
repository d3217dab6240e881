// Counter -> rate per second.
#include "hub/counter_rate.h"

namespace vigil::hub {

std::optional<double> CounterRate::update(std::uint64_t counter, double now_s) {
    std::optional<double> rate;
    if (has_previous_ && counter >= previous_ && now_s > previous_s_)
        rate = double(counter - previous_) / (now_s - previous_s_);
    has_previous_ = true;
    previous_ = counter;
    previous_s_ = now_s;
    return rate;
}

}  // namespace vigil::hub
