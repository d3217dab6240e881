// Text -> messages, for both directions. Never throws, never recurses on input nesting:
// every failure comes back as a Rejection with a stable kind (rejection.h).
#pragma once

#include <string_view>
#include <variant>

#include "protocol/decode_limits.h"
#include "protocol/messages.h"
#include "protocol/rejection.h"

namespace vigil::protocol {

// What the page receives. Rejection is the first alternative so a default-constructed
// result is never mistaken for a message. New alternatives go at the end (indices are stable).
using DecodeResult = std::variant<Rejection, Welcome, Catalog, Samples, Gap, Live, Alarm, Pong,
                                  Error, Shutdown, Legacy, Preview>;

// What the hub receives.
using ClientDecodeResult = std::variant<Rejection, Hello, Ping>;

// Decodes one text frame from a hub. An object without `type` that has numeric fields
// decodes as Legacy (a backend speaking no protocol).
DecodeResult decode_hub_message(std::string_view text, const DecodeLimits& limits = {});

// Decodes one text frame from a page. There is no legacy mode in this direction.
ClientDecodeResult decode_client_message(std::string_view text, const DecodeLimits& limits = {});

// The verdict for a binary frame, in either direction: the protocol is text only.
Rejection reject_binary();

// The rejection inside a result, or nullptr when it holds a message.
template <class Result>
const Rejection* rejection_of(const Result& r) {
    return std::get_if<Rejection>(&r);
}

}  // namespace vigil::protocol
