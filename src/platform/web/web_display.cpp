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

#include <cmath>
#include <cstdio>
#include <string>

namespace vigil::web {
namespace {

struct DisplayState {
    GLFWwindow* window = nullptr;
    std::string canvas;
    DisplayMetrics metrics;
    int fb_width = 0, fb_height = 0;
    double last_time = 0;
};

DisplayState& display() {
    static DisplayState state;
    return state;
}

DisplayMetrics read_metrics(const std::string& canvas) {
    DisplayMetrics m;
    double w = 0, h = 0;
    emscripten_get_element_css_size(canvas.c_str(), &w, &h);
    m.css_width = static_cast<float>(w > 1 ? w : 1);
    m.css_height = static_cast<float>(h > 1 ? h : 1);
    const double dpr = emscripten_get_device_pixel_ratio();
    m.pixel_ratio = static_cast<float>(dpr > 0 ? dpr : 1);
    return m;
}

}  // namespace

bool display_init(const char* canvas_selector) {
    auto& d = display();
    d.canvas = canvas_selector;
    if (!glfwInit()) {
        std::fprintf(stderr, "vigil: glfwInit failed\n");
        return false;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    const DisplayMetrics m = read_metrics(d.canvas);
    d.window = glfwCreateWindow(static_cast<int>(m.css_width), static_cast<int>(m.css_height), "Vigil",
                                nullptr, nullptr);
    if (!d.window) {
        std::fprintf(stderr, "vigil: WebGL2 is not available in this browser\n");
        return false;
    }
    glfwMakeContextCurrent(d.window);

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

DisplayMetrics display_begin_frame() {
    auto& d = display();
    const DisplayMetrics m = read_metrics(d.canvas);
    const int fb_w = static_cast<int>(std::lround(m.css_width * m.pixel_ratio));
    const int fb_h = static_cast<int>(std::lround(m.css_height * m.pixel_ratio));
    if (fb_w != d.fb_width || fb_h != d.fb_height) {
        // The drawing buffer follows the CSS box times DPR; the CSS box itself stays as styled.
        emscripten_set_canvas_element_size(d.canvas.c_str(), fb_w, fb_h);
        d.fb_width = fb_w;
        d.fb_height = fb_h;
    }
    d.metrics = m;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    // Our own size and scale win over GLFW's idea of the window (which knows no DPR here).
    io.DisplaySize = ImVec2(m.css_width, m.css_height);
    io.DisplayFramebufferScale = ImVec2(m.pixel_ratio, m.pixel_ratio);
    const double now = emscripten_get_now();
    // Two frames can read the same time (virtual time, coarse timers): ImGui asserts on 0.
    io.DeltaTime = static_cast<float>(now - d.last_time) / 1000.0f;
    if (!(io.DeltaTime > 0.0f)) io.DeltaTime = 1.0f / 1000.0f;
    d.last_time = now;
    ImGui::NewFrame();
    return m;
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
