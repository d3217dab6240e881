// A config value as an error message quotes it: JSON text, cut short (page_config, wall_profile).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace vigil::model {

std::string shown_config_value(const nlohmann::json& v);

}  // namespace vigil::model
