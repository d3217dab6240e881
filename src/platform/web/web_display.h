// The canvas as an ImGui display: GLFW window + WebGL2 through ImGui's glfw/opengl3 backends,
// sized to the canvas's CSS box times devicePixelRatio so text stays crisp.
// Implemented features:
//  [X] full-window canvas, live resize and devicePixelRatio changes
//  [X] frame begin/end, positive DeltaTime guaranteed (virtual time can repeat a timestamp)
//  [X] io.IniFilename = nullptr: the page has no filesystem to keep window positions in
//  [ ] WebGL context loss/restore
#pragma once

namespace vigil::web {

struct DisplayMetrics {
    float css_width = 0, css_height = 0;  // the canvas's box in CSS pixels
    float pixel_ratio = 1;                // devicePixelRatio
};

// Creates the GL context and ImGui's backends. False (with a console message) when WebGL2 is missing.
bool display_init(const char* canvas_selector);
void display_shutdown();

// Starts an ImGui frame; returns the metrics in use for it.
DisplayMetrics display_begin_frame();
void display_end_frame(float clear_r, float clear_g, float clear_b);

}  // namespace vigil::web
