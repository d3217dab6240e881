// A fixed-bucket histogram of durations in seconds, the shape Prometheus exposes (cumulative
// `le` buckets, sum, count). Bounded: a handful of counters whatever the number of observations.
#pragma once

#include <array>
#include <cstdint>

namespace vigil::hub {

class LatencyHistogram {
public:
    // Upper bounds in seconds, 100 us to 10 s: fsync on SSDs and on a loaded spinning disk fit.
    static constexpr std::array<double, 12> kBounds = {0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                       0.025,  0.05,   0.1,   0.5,    1.0,   10.0};

    void observe(double seconds) {
        for (std::size_t i = 0; i < kBounds.size(); ++i)
            if (seconds <= kBounds[i]) ++buckets_[i];  // cumulative: each bound counts all below it
        ++count_;
        sum_ += seconds;
        last_ = seconds;
    }

    std::uint64_t bucket(std::size_t i) const { return buckets_[i]; }  // observations <= kBounds[i]
    std::uint64_t count() const { return count_; }
    double sum() const { return sum_; }
    double last() const { return last_; }

private:
    std::array<std::uint64_t, kBounds.size()> buckets_{};
    std::uint64_t count_ = 0;
    double sum_ = 0;
    double last_ = 0;
};

}  // namespace vigil::hub
