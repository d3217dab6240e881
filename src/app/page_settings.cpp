// The page's settings (see the header).
#include "app/page_settings.h"

#include "platform/web/browser_page.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <utility>

namespace vigil::app {

namespace {

PageSettings finish(PageSettings& s) {
    std::random_device device;
    char id[24];
    std::snprintf(id, sizeof id, "c-%08x%04x", device(), device() & 0xffff);
    s.client_id = id;
    return std::move(s);
}

}  // namespace

PageSettings load_page_settings() {
    PageSettings s;
    std::map<std::string, std::string> query;
    for (const char* key : {"ws", "lang", "kiosk", "debug", "title", "focus", "wall"})
        if (auto v = web::query_param(key)) query[key] = *v;
    s.config = model::parse_page_config(web::config_text(), query);
    for (const auto& e : s.config.errors) std::fprintf(stderr, "vigil: config: %s\n", e.text().c_str());

    s.hub_url = s.config.hub.empty() ? web::default_ws_url() : s.config.hub;
    // A backend of one's own (config.json `source`) is reached at its URL as written: it knows
    // nothing of Vigil's ?token=.
    if (s.config.source.present) {
        s.hub_url = s.config.source.url;
        return finish(s);
    }
    // A bearer token for a hub started with --token travels in the URL's query: browsers cannot
    // set headers on a WebSocket, and a subprotocol would have to be echoed by every proxy's backend.
    // Encoded: a token holding '#', '&' or '%' would otherwise cut the URL (a '#' makes the
    // WebSocket constructor throw).
    // Into the query, before a '#' (such a URL never works and the page says to remove the '#',
    // but the token must not become part of what that message quotes).
    if (auto token = web::query_param("token"); token && !token->empty()) {
        const auto fragment = std::min(s.hub_url.find('#'), s.hub_url.size());
        const auto has_query = s.hub_url.find('?') < fragment;
        const std::string param = (has_query ? "&token=" : "?token=") + web::uri_component(*token);
        s.hub_url.insert(fragment, param);
    }

    return finish(s);
}

}  // namespace vigil::app
