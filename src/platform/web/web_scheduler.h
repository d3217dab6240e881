// core::Scheduler and core::RandomSource over the browser: emscripten_set_timeout,
// emscripten_clear_timeout, emscripten_get_now, and crypto-seeded randomness.
// Implemented features:
//  [X] one-shot timers whose callbacks are owned here and freed when they fire or are cleared
//  [X] pending() count, so the page can show that timers never pile up
#pragma once

#include "core/scheduler.h"

#include <functional>
#include <memory>
#include <random>
#include <unordered_map>

namespace vigil::web {

class WebScheduler final : public core::Scheduler {
public:
    ~WebScheduler() override;

    double now_ms() const override;
    core::TimerId set_timeout(double delay_ms, std::function<void()> fn) override;
    void clear_timeout(core::TimerId id) override;

    std::size_t pending() const { return timers_.size(); }

    // Called from the browser's timer; public only for the C callback trampoline.
    void fire(core::TimerId id);

private:
    // emscripten_set_timeout carries one pointer: a ticket naming the timer, owned by its entry.
    struct Ticket {
        WebScheduler* scheduler;
        core::TimerId id;
    };
    struct Timer {
        int browser_id;
        std::function<void()> fn;
        std::unique_ptr<Ticket> ticket;
    };
    static void trampoline(void* user);
    std::unordered_map<core::TimerId, Timer> timers_;
    core::TimerId next_id_ = 1;
};

class WebRandom final : public core::RandomSource {
public:
    WebRandom();
    double uniform01() override;

private:
    std::mt19937_64 engine_;
};

}  // namespace vigil::web
