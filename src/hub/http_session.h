// One accepted TCP connection, read as HTTP: static files of the page, /healthz, /stats/connects,
// and the WebSocket upgrade on /ws (or /), handed to ws_session.
#pragma once

#include "hub/hub_context.h"

#include <boost/asio/ip/tcp.hpp>

namespace vigil::hub {

void start_http_session(HubContext& hub, boost::asio::ip::tcp::socket socket);

}  // namespace vigil::hub
