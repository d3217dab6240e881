// The big screen, drawn with Dear ImGui only: the connection banner, then every host with its
// latest values and their age. Knows no sockets and no timers: everything comes in a ScreenView.
#pragma once

#include "model/fleet.h"

#include <string>

namespace vigil::ui {

enum class BannerKind { Connecting, Live, Stale, Reconnecting, Maintenance, Offline, Unauthorized };

const char* banner_word(BannerKind kind);  // LIVE, RECONNECTING, ...: what window.vigil.state says too

struct ScreenView {
    std::string title;
    BannerKind banner = BannerKind::Connecting;
    std::string banner_detail;     // "attempt 3, retry in 2 s", "closed 1006: ...", ...
    const model::Fleet* fleet = nullptr;
    double now_local_ms = 0;       // page monotonic time, to age samples
    std::string wall_clock;        // hh:mm:ss, ticks every second so a frozen page shows
    long long rejected = 0;        // inbound messages refused
    long long messages = 0;
};

void draw_screen(const ScreenView& view);

}  // namespace vigil::ui
