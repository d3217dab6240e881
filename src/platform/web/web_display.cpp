// The canvas as an ImGui display (see the header).
#include "platform/web/web_display.h"

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#define GLFW_INCLUDE_ES3
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>

#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

extern "C" void vigil_js_drop_glfw_touch();  // vigil_page.js
extern "C" void vigil_js_canvas_css_size(const char* selector, double* w, double* h);  // vigil_page.js: cached

namespace vigil::web {
namespace {

struct DisplayState {
    GLFWwindow* window = nullptr;
    std::string canvas;
    DisplayMetrics metrics;
    int fb_width = 0, fb_height = 0;
    double last_time = 0;
    bool lost = false;
    bool restored = false;
};

DisplayState& display() {
    static DisplayState state;
    return state;
}

EM_BOOL on_context_lost(int, const void*, void*) {
    display().lost = true;
    std::fprintf(stderr, "vigil: WebGL context lost; waiting for the browser to restore it\n");
    return EM_TRUE;  // preventDefault: without it the browser never restores the context
}

EM_BOOL on_context_restored(int, const void*, void*) {
    auto& d = display();
    // Every GL object died with the old context: recreate the renderer's and the font texture.
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplOpenGL3_Init("#version 300 es");
    ImGui_ImplOpenGL3_CreateFontsTexture();
    d.lost = false;
    d.restored = true;
    d.fb_width = d.fb_height = 0;  // force the drawing buffer size to be set again
    std::fprintf(stderr, "vigil: WebGL context restored\n");
    return EM_TRUE;
}

}  // namespace

bool display_init(const char* canvas_selector) {
    auto& d = display();
    d.canvas = canvas_selector;
    if (!glfwInit()) {
        std::fprintf(stderr, "vigil: glfwInit failed\n");
        return false;
    }
    vigil_js_drop_glfw_touch();  // a tap arrives as the browser's mouse events, with its position
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    d.window = glfwCreateWindow(1280, 720, "Vigil", nullptr, nullptr);
    if (!d.window) {
        std::fprintf(stderr, "vigil: WebGL2 is not available in this browser\n");
        return false;
    }
    glfwMakeContextCurrent(d.window);
    emscripten_set_webglcontextlost_callback(d.canvas.c_str(), nullptr, EM_FALSE,
                                             on_context_lost);
    emscripten_set_webglcontextrestored_callback(d.canvas.c_str(), nullptr, EM_FALSE,
                                                 on_context_restored);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no filesystem in the page: nothing to save window layouts to
    ImGui_ImplGlfw_InitForOpenGL(d.window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    d.last_time = emscripten_get_now();
    return true;
}

void display_shutdown() {
    auto& d = display();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    if (d.window) glfwDestroyWindow(d.window);
    d.window = nullptr;
    glfwTerminate();
}

DisplayMetrics display_poll() {
    auto& d = display();
    DisplayMetrics m;
    double w = 0, h = 0;
    vigil_js_canvas_css_size(d.canvas.c_str(), &w, &h);  // emscripten_get_element_css_size, read on resize only
    m.css_width = static_cast<float>(std::max(1.0, w));
    m.css_height = static_cast<float>(std::max(1.0, h));
    const double dpr = emscripten_get_device_pixel_ratio();
    m.pixel_ratio = static_cast<float>(dpr > 0 ? dpr : 1);
    m.design_scale = std::min(m.css_width / kDesignWidth, m.css_height / kDesignHeight);
    m.raster_scale = m.design_scale * m.pixel_ratio;
    m.width = m.css_width / m.design_scale;
    m.height = m.css_height / m.design_scale;

    const int fb_w = static_cast<int>(std::lround(m.css_width * m.pixel_ratio));
    const int fb_h = static_cast<int>(std::lround(m.css_height * m.pixel_ratio));
    m.changed = fb_w != d.fb_width || fb_h != d.fb_height || m.raster_scale != d.metrics.raster_scale;
    if (fb_w != d.fb_width || fb_h != d.fb_height) {
        // The drawing buffer follows the CSS box times DPR; the CSS box itself stays as styled.
        emscripten_set_canvas_element_size(d.canvas.c_str(), fb_w, fb_h);
        d.fb_width = fb_w;
        d.fb_height = fb_h;
    }
    d.metrics = m;
    return m;
}

bool display_context_lost() { return display().lost; }

bool display_take_restored() {
    auto& d = display();
    const bool r = d.restored;
    d.restored = false;
    return r;
}

void display_fonts_changed() {
    if (display().lost) return;  // the restore uploads it
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

bool display_release_pending() {
    auto& d = display();
    if (!d.window) return false;
    const ImGuiIO& io = ImGui::GetIO();  // MouseDown: as the last frame saw it
    for (int i = 0; i < 3; ++i)
        if (io.MouseDown[i] && glfwGetMouseButton(d.window, i) != GLFW_PRESS) return true;
    return false;
}

void display_begin_frame(const DisplayMetrics& m) {
    auto& d = display();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    // Design units win over GLFW's idea of the window (which knows neither DPR nor our scale).
    ImVec2 mouse = io.MousePos;
    io.DisplaySize = ImVec2(m.width, m.height);
    io.DisplayFramebufferScale = ImVec2(m.raster_scale, m.raster_scale);
    // Emscripten's GLFW never reports its window focused, so ImGui's backend trusts the pointer
    // only after a mouseenter: a press where the pointer already was (the page loaded under it)
    // would be lost. GLFW sees presses on the canvas only, with the pointer's position.
    bool pressed = false;
    for (bool down : io.MouseDown) pressed = pressed || down;
    if (!(mouse.x > -FLT_MAX / 2) && pressed) {
        double x = 0, y = 0;
        glfwGetCursorPos(d.window, &x, &y);
        mouse = ImVec2(static_cast<float>(x), static_cast<float>(y));
    }
    // GLFW's pointer is in drawing-buffer pixels (CSS pixels x devicePixelRatio).
    if (mouse.x > -FLT_MAX / 2) {
        const float px_x = d.fb_width > 0 ? static_cast<float>(d.fb_width) / m.css_width : m.pixel_ratio;
        const float px_y = d.fb_height > 0 ? static_cast<float>(d.fb_height) / m.css_height : m.pixel_ratio;
        io.MousePos = ImVec2(mouse.x / (px_x * m.design_scale), mouse.y / (px_y * m.design_scale));
    }
    const double now = emscripten_get_now();
    // Two frames can read the same time (virtual time, coarse timers): ImGui asserts on 0.
    io.DeltaTime = static_cast<float>(now - d.last_time) / 1000.0f;
    if (!(io.DeltaTime > 0.0f)) io.DeltaTime = 1.0f / 1000.0f;
    d.last_time = now;
    ImGui::NewFrame();
}

void display_end_frame(float clear_r, float clear_g, float clear_b) {
    auto& d = display();
    ImGui::Render();
    glViewport(0, 0, d.fb_width, d.fb_height);
    glClearColor(clear_r, clear_g, clear_b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace vigil::web
