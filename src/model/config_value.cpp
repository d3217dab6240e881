// A config value as an error message quotes it.
#include "model/config_value.h"

#include <nlohmann/json.hpp>

namespace vigil::model {

std::string shown_config_value(const nlohmann::json& v) {
    std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (s.size() > 40) s = s.substr(0, 37) + "...";
    return s;
}

}  // namespace vigil::model
