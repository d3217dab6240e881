// Fake time for the connection core's tests: a controllable clock, one-shot timers that fire in order,
// optionally late (as in a throttled background tab), and a seeded RandomSource.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <utility>

#include "core/scheduler.h"

namespace vigil::core::testing {

class FakeScheduler final : public Scheduler {
public:
    double now_ms() const override { return now_; }

    TimerId set_timeout(double delay_ms, std::function<void()> fn) override {
        const TimerId id = next_id_++;
        timers_.emplace(id, Timer{now_ + (delay_ms > 0 ? delay_ms : 0), std::move(fn)});
        ++armed_total_;
        return id;
    }

    void clear_timeout(TimerId id) override { timers_.erase(id); }

    // Moves the clock forward, firing every timer that falls due on the way at its due time.
    void advance(double ms) { advance_to(now_ + ms); }
    void advance_to(double t) {
        while (true) {
            const auto next = earliest();
            if (next == timers_.end() || next->second.due > t) break;
            now_ = std::max(now_, next->second.due);
            fire(next);
        }
        now_ = std::max(now_, t);
    }

    // A throttled tab: the clock jumps by `ms` first, then every timer that fell due fires late,
    // all seeing the new time (timers they set that are already due fire too).
    void advance_late(double ms) {
        now_ += ms;
        advance_to(now_);
    }

    // The clock moves but no timer fires: a throttled tab holding its timers back. Events a test
    // delivers meanwhile see the new time; advance_late(0) then fires what is overdue.
    void hold_timers_for(double ms) { now_ += ms; }

    // Fires the next timer at its due time; false when none is pending.
    bool run_next() {
        const auto next = earliest();
        if (next == timers_.end()) return false;
        now_ = std::max(now_, next->second.due);
        fire(next);
        return true;
    }

    std::size_t pending() const { return timers_.size(); }
    std::uint64_t armed_total() const { return armed_total_; }
    // Due time of the earliest pending timer, or +infinity.
    double next_due() const {
        const auto next = earliest();
        return next == timers_.end() ? std::numeric_limits<double>::infinity() : next->second.due;
    }

private:
    struct Timer {
        double due;
        std::function<void()> fn;
    };
    using Timers = std::map<TimerId, Timer>;

    // Earliest due; ties go to the timer set first (lowest id), as browsers do.
    Timers::const_iterator earliest() const {
        auto best = timers_.end();
        for (auto it = timers_.begin(); it != timers_.end(); ++it)
            if (best == timers_.end() || it->second.due < best->second.due) best = it;
        return best;
    }
    void fire(Timers::const_iterator it) {
        auto fn = std::move(const_cast<Timer&>(it->second).fn);
        timers_.erase(it);
        fn();
    }

    double now_ = 1000;  // not 0: a zero time must never look like "no time"
    TimerId next_id_ = 1;
    Timers timers_;
    std::uint64_t armed_total_ = 0;
};

// Deterministic uniform01: seeded, or a fixed value for exact-timing tests.
class FakeRandom final : public RandomSource {
public:
    explicit FakeRandom(std::uint64_t seed = 1) : engine_(seed) {}
    static FakeRandom fixed(double value) {
        FakeRandom r;
        r.fixed_ = value;
        return r;
    }
    double uniform01() override {
        if (fixed_ >= 0) return fixed_;
        return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
    }
    void set_fixed(double value) { fixed_ = value; }

private:
    std::mt19937_64 engine_;
    double fixed_ = -1;
};

}  // namespace vigil::core::testing
