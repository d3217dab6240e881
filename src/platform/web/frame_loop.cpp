// The page's frame loop (see the header).
#include "platform/web/frame_loop.h"

#include "platform/web/browser_page.h"

#include <emscripten/emscripten.h>

#include <utility>

namespace vigil::web {
namespace {

std::function<void()>& frame_fn() {
    static std::function<void()> fn;
    return fn;
}

void tick() {
    frame_fn()();
    report_alive();
}

}  // namespace

void run_frame_loop(std::function<void()> frame) {
    frame_fn() = std::move(frame);
    // 0 fps = requestAnimationFrame; 1 = simulate an infinite loop: unwinds main() without
    // running its statics' destructors.
    emscripten_set_main_loop(tick, 0, 1);
    __builtin_unreachable();
}

}  // namespace vigil::web
