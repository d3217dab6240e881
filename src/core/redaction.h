// What a URL looks like where people and scripts read it (banner reasons, window.vigil): a
// credential in it (a `token=` value in the query, a `user:password@`) becomes `***`. Works on a
// URL or on a text quoting one (a browser's error message).
#pragma once

#include <string>
#include <string_view>

namespace vigil::core {

std::string redact_credentials(std::string_view text);

}  // namespace vigil::core
