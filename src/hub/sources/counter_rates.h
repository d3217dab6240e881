// Rates per second from Prometheus counters (doubles), one per series key, at the monotonic time
// the caller took each response. Like hub/counter_rate.h (one unsigned counter) but keyed and
// over doubles: the first reading, a counter that went down (a reset: the process or host
// restarted) and a time that did not advance give no rate, never a negative one or a spike; the
// reading after a reset is normal again. A missed scrape needs nothing: the next rate is over the
// real elapsed time.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::hub::sources {

class CounterRates {
public:
    // The rate of `key` since its previous reading. `now_s` is the caller's monotonic seconds.
    std::optional<double> update(std::string_view key, double value, double now_s);

    // Forgets series that had no update() since the previous sweep(): call once per scrape, after
    // it, so series that are gone (an unplugged disk, a stopped container) do not pile up.
    void sweep();

    std::size_t size() const { return series_.size(); }

private:
    struct State {
        double value = 0;
        double at_s = 0;
        bool touched = true;
    };
    std::map<std::string, State, std::less<>> series_;
};

}  // namespace vigil::hub::sources
