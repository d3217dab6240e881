// The canvas as an ImGui display: GLFW window + WebGL2 through ImGui's glfw/opengl3 backends.
// The screen is designed on a fixed 1920x1080 canvas: ImGui works in design units, scaled
// uniformly to the real canvas (the wider side gets margins), rendered at the real pixel density.
// Implemented features:
//  [X] full-window canvas, live resize and devicePixelRatio changes
//  [X] design-unit coordinates: DisplaySize >= 1920x1080, FramebufferScale = scale * DPR
//  [X] pointer position in design units at any devicePixelRatio (GLFW gives buffer pixels);
//      a press counts even before the pointer ever entered the canvas; each release gets a frame
//  [X] a tap is one click: it arrives as the browser's compatibility mouse events (GLFW's own
//      touch handling, a press without a position, is switched off)
//  [X] positive DeltaTime guaranteed (virtual time can repeat a timestamp)
//  [X] io.IniFilename = nullptr: the page has no filesystem to keep window positions in
//  [X] WebGL context loss and restore (GL objects and the font texture are recreated)
//  [X] font texture re-upload after the atlas changes
#pragma once

namespace vigil::web {

inline constexpr float kDesignWidth = 1920.0f;
inline constexpr float kDesignHeight = 1080.0f;

struct DisplayMetrics {
    float css_width = 0, css_height = 0;  // the canvas's box in CSS pixels
    float pixel_ratio = 1;                // devicePixelRatio
    float design_scale = 1;               // CSS pixels per design unit
    float raster_scale = 1;               // physical pixels per design unit (design_scale * DPR)
    float width = kDesignWidth, height = kDesignHeight;  // the canvas in design units
    bool changed = false;                 // size or density differs from the previous poll
};

// Creates the GL context and ImGui's backends. False (with a console message) when WebGL2 is missing.
bool display_init(const char* canvas_selector);
void display_shutdown();

// Reads the canvas's size and density and resizes its drawing buffer when they changed.
DisplayMetrics display_poll();

// True while the WebGL context is lost: draw nothing until it is restored.
bool display_context_lost();
// True once after a restore: everything must be drawn again (the font atlas re-uploaded already).
bool display_take_restored();

// Re-uploads ImGui's font atlas after it was rebuilt.
void display_fonts_changed();

// True when the last frame saw a mouse button down that is up again: ImGui must see the release
// in a frame of its own, or the next press would look like the same button still held (a second
// click lost when frames are drawn only on change).
bool display_release_pending();

void display_begin_frame(const DisplayMetrics& metrics);
void display_end_frame(float clear_r, float clear_g, float clear_b);

}  // namespace vigil::web
