// Where the page's settings come from: config.json (as the page fetched it) with URL query
// overrides (model::parse_page_config keeps a readable error per bad key), then what only the
// browser knows: the default hub URL, a ?token=, a per-page client id.
#pragma once

#include "model/page_config.h"

#include <string>

namespace vigil::app {

struct PageSettings {
    model::PageConfig config;
    std::string hub_url;    // resolved: config/?ws=, else the page's own origin; plus ?token=
    std::string client_id;  // random per page load: the hub counts sockets per screen
    bool font_loaded = false;
};

PageSettings load_page_settings();

}  // namespace vigil::app
