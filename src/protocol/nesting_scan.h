// A cheap pass over JSON text that measures bracket nesting without parsing, so a
// 100k-deep `[[[[...` is refused before any parser (or destructor) can recurse on it.
#pragma once

#include <cstddef>
#include <string_view>

namespace vigil::protocol {

// Deepest array/object nesting in `text`, counting only brackets outside strings.
// Stops early and returns limit + 1 as soon as the nesting exceeds `limit`.
// Malformed text gives some number; the parser rejects it afterwards anyway.
std::size_t json_nesting_depth(std::string_view text, std::size_t limit);

}  // namespace vigil::protocol
