// The screen's colours: a dark control-room palette where every state also has a word or a
// shape (never colour alone), and contrast holds from across a room.
#pragma once

#include "imgui.h"

namespace vigil::ui::theme {

inline constexpr ImU32 rgba(int r, int g, int b, int a = 255) {
    return static_cast<ImU32>((a << 24) | (b << 16) | (g << 8) | r);
}

inline constexpr ImU32 kBackground = rgba(11, 18, 32);
inline constexpr ImU32 kPanel = rgba(17, 27, 48);
inline constexpr ImU32 kPanelEdge = rgba(38, 84, 140);
inline constexpr ImU32 kText = rgba(226, 236, 250);
inline constexpr ImU32 kTextDim = rgba(140, 160, 190);
inline constexpr ImU32 kTextFaint = rgba(90, 105, 130);
inline constexpr ImU32 kAccent = rgba(64, 196, 255);
inline constexpr ImU32 kAccent2 = rgba(140, 120, 255);
// The state colours stay apart under deuteranopia too (tests/unit/test_ui_palette.cpp: at least
// ΔE76 30 between any two of ok, warn, crit, stale, down with Machado 2009's simulation); ok is a
// bluish green and DOWN a violet for that. Words still carry every state.
inline constexpr ImU32 kOk = rgba(60, 210, 150);
inline constexpr ImU32 kWarn = rgba(255, 176, 32);
inline constexpr ImU32 kCrit = rgba(255, 72, 72);
inline constexpr ImU32 kStale = rgba(120, 128, 140);
inline constexpr ImU32 kTrack = rgba(40, 52, 76);
// DOWN (the hub cannot reach the host): violet, apart from crit red, stale grey and the banner.
inline constexpr ImU32 kDown = rgba(200, 90, 255);
inline constexpr ImU32 kDownBand = rgba(100, 30, 118);
// An ok host's overview cell: a darker, calmer teal green than kOk, so a thousand of them do not
// drown the few that need attention; dE76 >= 30 from the other cell states under deuteranopia,
// protanopia and tritanopia (test_ui_palette; the earlier (20, 100, 40) came to 12.1 from crit
// under protanopia, which darkens red), and the other states carry a mark besides.
inline constexpr ImU32 kCellOk = rgba(0, 60, 50);

inline constexpr ImU32 kBannerLive = rgba(22, 132, 64);
inline constexpr ImU32 kBannerStale = rgba(176, 124, 8);
inline constexpr ImU32 kBannerCatchingUp = rgba(20, 110, 130);  // not green: old data, not live
inline constexpr ImU32 kBannerDown = rgba(186, 38, 30);
inline constexpr ImU32 kBannerMaintenance = rgba(36, 90, 180);
inline constexpr ImU32 kBannerUnauthorized = rgba(140, 30, 140);

}  // namespace vigil::ui::theme
