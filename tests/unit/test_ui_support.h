// Shared by the ui unit tests: one ImGui context on the 1920x1080 design canvas with the ASCII
// fallback font and no backend (as imgui_impl_null does), and one screen frame with mouse input
// set on ImGuiIO as a backend would.
#pragma once

#include "model/fleet.h"
#include "ui/font_set.h"
#include "ui/screen.h"

#include "imgui.h"

#include <cfloat>

namespace vigil::ui::testing {

struct Ui {
    FontSet fonts{{}};
    Ui() {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1920, 1080);
        fonts.build(1.0f, {0x20, 0x7E, 0});
    }
    ~Ui() { ImGui::DestroyContext(); }
    Ui(const Ui&) = delete;
    Ui& operator=(const Ui&) = delete;
};

// One frame at page time now_ms; `click`: the left button goes down at that point in it;
// `wall`: the wall profile in the view (none: every host, auto layout).
inline const ScreenReport& frame(Screen& screen, const model::Fleet& fleet, double now_ms,
                                 const ImVec2* click = nullptr, const model::WallProfile* wall = nullptr) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 30.0f;
    io.MousePos = click ? *click : ImVec2(-FLT_MAX, -FLT_MAX);
    io.MouseDown[0] = click != nullptr;
    ImGui::NewFrame();
    ScreenView view;
    view.fleet = &fleet;
    view.now_local_ms = now_ms;
    view.rotate_s = 10;
    view.wall = wall;
    screen.draw(view);
    ImGui::Render();
    return screen.report();
}

}  // namespace vigil::ui::testing
