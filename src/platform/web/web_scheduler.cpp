// core::Scheduler over emscripten/eventloop.h (see the header).
#include "platform/web/web_scheduler.h"

#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>

#include <cstdint>

namespace vigil::web {
// The ticket belongs to the timer's entry, which fire() erases: read it before calling in.
void WebScheduler::trampoline(void* user) {
    const auto* ticket = static_cast<const Ticket*>(user);
    WebScheduler* scheduler = ticket->scheduler;
    const core::TimerId id = ticket->id;
    scheduler->fire(id);
}

WebScheduler::~WebScheduler() {
    for (auto& [id, t] : timers_) emscripten_clear_timeout(t.browser_id);
    timers_.clear();
}

double WebScheduler::now_ms() const { return emscripten_get_now(); }

core::TimerId WebScheduler::set_timeout(double delay_ms, std::function<void()> fn) {
    const core::TimerId id = next_id_++;
    auto ticket = std::make_unique<Ticket>(Ticket{this, id});
    const int browser_id = emscripten_set_timeout(trampoline, delay_ms < 0 ? 0 : delay_ms, ticket.get());
    timers_.emplace(id, Timer{browser_id, std::move(fn), std::move(ticket)});
    return id;
}

void WebScheduler::clear_timeout(core::TimerId id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    emscripten_clear_timeout(it->second.browser_id);
    timers_.erase(it);
}

void WebScheduler::fire(core::TimerId id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    auto fn = std::move(it->second.fn);
    timers_.erase(it);
    fn();
}

WebRandom::WebRandom() {
    std::random_device device;  // crypto.getRandomValues in the browser: screens must not share seeds
    engine_.seed((static_cast<std::uint64_t>(device()) << 32) ^ device());
}

double WebRandom::uniform01() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }

}  // namespace vigil::web
