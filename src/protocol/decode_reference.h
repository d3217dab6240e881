// Internal, for tests and benchmarks only: the DOM decoder that decode_hub_message() falls back
// to, reachable on its own, and a count of the frames the samples fast path decoded.
#pragma once

#include <cstdint>
#include <string_view>

#include "protocol/decode.h"

namespace vigil::protocol {

// The reference: every hub message parsed into an nlohmann DOM, then converted. Same size and
// nesting checks as decode_hub_message(); decode_hub_message() must give the same result for
// every input (tests/unit/test_protocol_fast_samples.cpp holds it to that).
DecodeResult decode_hub_message_dom(std::string_view text, const DecodeLimits& limits = {});

// How many messages decode_hub_message() has decoded through the samples fast path
// (samples_scan.h) since the process started, on any thread.
std::uint64_t samples_fast_path_hits();

}  // namespace vigil::protocol
