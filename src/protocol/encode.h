// Messages -> text. What comes out always decodes back to the same message.
// Non-finite numbers never reach the wire:
//   - Samples: a NaN/Inf value is left out of the frame (one bad reading must not cost a frame);
//   - Catalog: a NaN/Inf threshold is left out (the metric has no such threshold);
//   - anywhere else, and a seq above kMaxSeq: encode() refuses and returns "".
// Invalid UTF-8 in strings (a host name from the OS, say) is replaced with U+FFFD, never thrown.
#pragma once

#include <string>

#include "protocol/messages.h"

namespace vigil::protocol {

std::string encode(const Hello& m);
std::string encode(const Ping& m);

std::string encode(const Welcome& m);
std::string encode(const Catalog& m);
std::string encode(const Samples& m);
std::string encode(const Gap& m);
std::string encode(const Live& m);
std::string encode(const Alarm& m);
std::string encode(const Pong& m);
std::string encode(const Error& m);
std::string encode(const Shutdown& m);

// A preview: the frame as encode(Samples) writes it, with type "preview" and no seq (s.seq is
// not read). Takes the Samples, not a Preview, because the hub previews the frame it sampled.
std::string encode_preview(const Samples& s);

// Only for tests and fake backends: the page never sends Legacy, a legacy backend does.
std::string encode(const Legacy& m);

}  // namespace vigil::protocol
