// Turns a monotonically rising counter (bytes received so far) into a rate per second.
// The first reading, a counter that went backwards (reset, wrap, device gone) and a zero time
// step give no rate rather than a spike.
#pragma once

#include <cstdint>
#include <optional>

namespace vigil::hub {

class CounterRate {
public:
    // `now_s` is monotonic seconds. Returns the rate since the previous reading, if meaningful.
    std::optional<double> update(std::uint64_t counter, double now_s);

private:
    bool has_previous_ = false;
    std::uint64_t previous_ = 0;
    double previous_s_ = 0;
};

}  // namespace vigil::hub
