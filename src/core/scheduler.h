// Time for the connection core: a monotonic clock and one-shot timers.
// Implemented over emscripten_set_timeout / emscripten_get_now in src/platform/web, and by a fake clock in tests.
#pragma once

#include <cstdint>
#include <functional>

namespace vigil::core {

using TimerId = std::uint64_t;  // 0 means "no timer"

class Scheduler {
public:
    virtual ~Scheduler() = default;

    // Monotonic milliseconds; only differences mean anything.
    virtual double now_ms() const = 0;

    // Calls `fn` once, no earlier than `delay_ms` from now (browsers may fire much later:
    // background tabs are throttled). Never calls `fn` from inside set_timeout().
    virtual TimerId set_timeout(double delay_ms, std::function<void()> fn) = 0;

    // Cancels a pending timer; clearing a fired or unknown id is harmless.
    virtual void clear_timeout(TimerId id) = 0;
};

// Uniform random numbers in [0, 1), injected so jitter is deterministic under test.
class RandomSource {
public:
    virtual ~RandomSource() = default;
    virtual double uniform01() = 0;
};

}  // namespace vigil::core
