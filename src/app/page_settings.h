// Where the page's settings come from: config.json (as the page fetched it), then the URL
// query (?ws=, ?title=), then defaults. Problems are kept to be shown on screen.
#pragma once

#include "app/page_app.h"

#include <string>
#include <vector>

namespace vigil::app {

PageSettings load_page_settings();

}  // namespace vigil::app
