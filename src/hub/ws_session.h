// One WebSocket client of the hub: admission (token, Origin, cap), hello -> welcome + catalog +
// replay/backfill + live, pings, bounded send queue, and the closes (1009, 1012, 1013, 4008,
// 4401, 4403). Includes Beast: only the HTTP session and this file's .cpp include it.
#pragma once

#include "hub/hub_context.h"

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>

#include <string>

namespace vigil::hub {

using UpgradeHttpRequest = boost::beast::http::request<boost::beast::http::empty_body>;

// Takes over the connection of an HTTP upgrade request and runs the session until it closes.
void start_ws_session(HubContext& hub, boost::beast::tcp_stream stream, UpgradeHttpRequest request,
                      std::string peer);

}  // namespace vigil::hub
