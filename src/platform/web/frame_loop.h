// The page's frame loop on requestAnimationFrame, with the watchdog's heartbeat after each frame.
// Implemented features:
//  [X] one frame per animation frame (the app decides whether it draws)
//  [X] "alive" beat to the page's JS watchdog after every frame
//  [ ] a fixed frame rate (the app throttles its own draws)
#pragma once

#include <functional>

namespace vigil::web {

// Runs `frame` on every animation frame for the page's lifetime. Does not return: main()'s
// statics stay alive (Emscripten's simulate_infinite_loop).
[[noreturn]] void run_frame_loop(std::function<void()> frame);

}  // namespace vigil::web
