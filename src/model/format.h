// Text the screen shows for numbers, ages and durations: one place, unit-tested.
#pragma once

#include <string>

namespace vigil::model {

// "12.5 %", "3.2 MB/s", "41 °C": value with its unit, bytes scaled to a readable prefix.
std::string format_value(double value, const std::string& unit);

// "now", "4 s", "3 min 20 s", "2 h 5 min": how long ago something happened.
std::string format_age(double age_ms);

}  // namespace vigil::model
