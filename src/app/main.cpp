// main() of the page: reads the settings (config.json, then ?ws=), starts the app, runs the frame loop.
#include "app/page_app.h"
#include "app/page_settings.h"
#include "platform/web/browser_page.h"
#include "platform/web/frame_loop.h"
#include "platform/web/web_display.h"

namespace {

vigil::app::PageApp* g_app = nullptr;  // lives for the page's lifetime

}  // namespace

int main() {
    const auto settings = vigil::app::load_page_settings();
    if (!vigil::web::display_init("#canvas")) return 1;

    static vigil::app::PageApp app(settings, vigil::web::font_bytes());
    g_app = &app;
    vigil::web::BrowserHooks hooks;
    hooks.online = [] { g_app->link().on_online(); };
    hooks.offline = [] { g_app->link().on_offline(); };
    hooks.visible = [] { g_app->link().on_visible(); };
    hooks.hidden = [] { g_app->link().on_hidden(); };
    hooks.pagehide = [] { g_app->link().on_pagehide(); };
    hooks.pageshow = [] { g_app->link().on_pageshow(); };
    hooks.input = [] { g_app->wake(); };
    hooks.ingest_bench = [](std::string_view text, int count) { return g_app->ingest_bench(text, count); };
    hooks.reset_frame_stats = [] { g_app->reset_frame_stats(); };
    hooks.state_json = [] { return g_app->state_json(); };
    const bool online = vigil::web::install_browser_hooks(hooks, settings.config.debug);
    app.start(online);

    vigil::web::run_frame_loop([] { g_app->frame(); });
}
