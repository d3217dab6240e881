// The big screen (see the header).
#include "ui/screen.h"

#include "model/format.h"

#include "imgui.h"

#include <algorithm>

namespace vigil::ui {
namespace {

ImVec4 banner_colour(BannerKind kind) {
    switch (kind) {
        case BannerKind::Live: return ImVec4(0.10f, 0.55f, 0.25f, 1.0f);
        case BannerKind::Stale: return ImVec4(0.70f, 0.55f, 0.05f, 1.0f);
        case BannerKind::Maintenance: return ImVec4(0.15f, 0.35f, 0.70f, 1.0f);
        case BannerKind::Unauthorized: return ImVec4(0.55f, 0.10f, 0.55f, 1.0f);
        case BannerKind::Connecting:
        case BannerKind::Reconnecting:
        case BannerKind::Offline: return ImVec4(0.75f, 0.15f, 0.12f, 1.0f);
    }
    return ImVec4(0.3f, 0.3f, 0.3f, 1.0f);
}

}  // namespace

const char* banner_word(BannerKind kind) {
    switch (kind) {
        case BannerKind::Connecting: return "CONNECTING";
        case BannerKind::Live: return "LIVE";
        case BannerKind::Stale: return "STALE";
        case BannerKind::Reconnecting: return "RECONNECTING";
        case BannerKind::Maintenance: return "MAINTENANCE";
        case BannerKind::Offline: return "OFFLINE";
        case BannerKind::Unauthorized: return "UNAUTHORIZED";
    }
    return "?";
}

void draw_screen(const ScreenView& view) {
    ImGuiIO& io = ImGui::GetIO();
    // Legible across a room: text scales with the screen's height (designed for 1080 lines).
    io.FontGlobalScale = std::max(1.0f, io.DisplaySize.y / 1080.0f * 2.2f);

    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("Vigil", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);

    ImGui::Text("%s", view.title.c_str());
    ImGui::SameLine(io.DisplaySize.x - ImGui::CalcTextSize(view.wall_clock.c_str()).x - 24);
    ImGui::Text("%s", view.wall_clock.c_str());

    // The banner: colour AND a word, never colour alone.
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float height = ImGui::GetTextLineHeight() * 2.0f;
    ImGui::GetWindowDrawList()->AddRectFilled(pos, ImVec2(pos.x + ImGui::GetContentRegionAvail().x, pos.y + height),
                                              ImGui::GetColorU32(banner_colour(view.banner)), 6.0f);
    ImGui::SetCursorScreenPos(ImVec2(pos.x + 16, pos.y + height * 0.25f));
    ImGui::Text("%s", banner_word(view.banner));
    if (!view.banner_detail.empty()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(("  " + view.banner_detail).c_str());
    }
    ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + height + 12));

    if (view.fleet) {
        for (const auto& host : view.fleet->hosts()) {
            ImGui::Separator();
            const double age = host.last_sample_local_ms < 0 ? -1 : view.now_local_ms - host.last_sample_local_ms;
            ImGui::Text("%s", host.name.c_str());
            ImGui::SameLine();
            ImGui::TextDisabled("updated %s", age < 0 ? "never" : (model::format_age(age) + (age >= 1000 ? " ago" : "")).c_str());
            int shown = 0;
            for (const auto& m : host.metrics) {
                auto it = host.latest.find(m.key);
                if (it == host.latest.end()) continue;
                if (shown++ % 4 != 0) ImGui::SameLine(static_cast<float>((shown - 1) % 4) * io.DisplaySize.x / 4.0f + 8);
                ImGui::Text("%s  %s", m.label.c_str(), model::format_value(it->second, m.unit).c_str());
                if (shown >= 16) break;
            }
        }
    }

    ImGui::SetCursorPosY(io.DisplaySize.y - ImGui::GetTextLineHeightWithSpacing() - 8);
    ImGui::TextDisabled("messages %lld   rejected %lld", view.messages, view.rejected);
    ImGui::End();
}

}  // namespace vigil::ui
