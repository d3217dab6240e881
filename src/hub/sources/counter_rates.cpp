// Keyed counter -> rate per second.
#include "hub/sources/counter_rates.h"

#include <cmath>

namespace vigil::hub::sources {

std::optional<double> CounterRates::update(std::string_view key, double value, double now_s) {
    auto it = series_.find(key);
    if (!std::isfinite(value)) {
        // NaN or Inf says nothing about the counter; start over from the next finite reading.
        if (it != series_.end()) series_.erase(it);
        return std::nullopt;
    }
    if (it == series_.end()) {
        series_.emplace(std::string(key), State{value, now_s, true});
        return std::nullopt;
    }
    State& s = it->second;
    s.touched = true;
    if (value < s.value) {  // reset: this interval has no reading, the new value is the baseline
        s.value = value;
        s.at_s = now_s;
        return std::nullopt;
    }
    if (!(now_s > s.at_s)) return std::nullopt;  // the same response twice, or a clock step back
    const double rate = (value - s.value) / (now_s - s.at_s);
    s.value = value;
    s.at_s = now_s;
    return rate;
}

void CounterRates::sweep() {
    for (auto it = series_.begin(); it != series_.end();) {
        if (!it->second.touched) {
            it = series_.erase(it);
        } else {
            it->second.touched = false;
            ++it;
        }
    }
}

}  // namespace vigil::hub::sources
