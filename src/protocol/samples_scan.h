// The fast path for the hot message: a well-formed `samples` object read by a scanner of its own
// straight into protocol::Samples, numbers converted without strtod where that is exact. Anything
// else is left to the DOM decoder (decode.cpp), so every rejection keeps its kind and message.
#pragma once

#include <string_view>

#include "protocol/decode_limits.h"
#include "protocol/messages.h"

namespace vigil::protocol {

// Largest time magnitude in ms a decoder accepts: beyond 2^53 - 1 a double no longer holds
// every whole millisecond (PROTOCOL.md, Validation).
inline constexpr double kMaxWholeMs = 9007199254740991.0;

// True when `text` is exactly a samples frame the DOM decoder would accept: one JSON object with
// `type` "samples", an integer `seq` in [0, 2^53 - 1], a finite `t` within +-2^53 ms (rounded like
// every time) and `hosts` an object of objects of finite numbers, within every limit; keys in any
// order, escapes and UTF-8 read as nlohmann reads them; unknown top-level fields of any shape are
// skipped (checked as JSON), as the DOM decoder ignores them. Then `out` holds the frame, hosts and
// metrics in wire order, every number bit-identical to what nlohmann + the DOM decoder make of it.
// False on anything else: another type, a missing or ill-typed field, a duplicate `type`, `seq`,
// `t`, `hosts`, host id or metric key (the DOM keeps the last value in the first key's place: let
// it), a limit exceeded (bytes, depth, hosts, metrics, names), invalid JSON, a byte-order mark, a
// number out of double range. `out` is then unspecified. Never throws.
bool decode_samples_fast(std::string_view text, const DecodeLimits& limits, Samples& out);

}  // namespace vigil::protocol
