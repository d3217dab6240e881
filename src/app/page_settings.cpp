// The page's settings (see the header).
#include "app/page_settings.h"

#include "platform/web/browser_page.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <random>

namespace vigil::app {

PageSettings load_page_settings() {
    PageSettings s;
    const std::string text = web::config_text();
    if (!text.empty()) {
        const auto j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_object()) {
            if (auto it = j.find("hub"); it != j.end() && it->is_string()) s.hub_url = it->get<std::string>();
            if (auto it = j.find("title"); it != j.end() && it->is_string()) s.title = it->get<std::string>();
            if (auto it = j.find("history_s"); it != j.end() && it->is_number() && it->get<double>() >= 0)
                s.history_s = it->get<double>();
        } else {
            std::fprintf(stderr, "vigil: config.json is not a JSON object; using defaults\n");
        }
    }
    if (auto ws = web::query_param("ws")) s.hub_url = *ws;
    if (auto title = web::query_param("title")) s.title = *title;
    if (auto debug = web::query_param("debug")) s.debug = *debug == "1";
    if (s.hub_url.empty()) s.hub_url = web::default_ws_url();
    // A bearer token for a hub started with --token travels in the URL's query: browsers cannot
    // set headers on a WebSocket, and a subprotocol would have to be echoed by every proxy's backend.
    if (auto token = web::query_param("token"); token && !token->empty())
        s.hub_url += (s.hub_url.find('?') == std::string::npos ? "?token=" : "&token=") + *token;

    std::random_device device;  // a per-page id, so the hub can count sockets per screen
    char id[24];
    std::snprintf(id, sizeof id, "c-%08x%04x", device(), device() & 0xffff);
    s.client_id = id;
    return s;
}

}  // namespace vigil::app
