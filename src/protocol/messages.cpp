// Names of the small enums carried by messages.
#include "protocol/messages.h"

namespace vigil::protocol {

const char* alarm_level_name(AlarmLevel level) {
    switch (level) {
        case AlarmLevel::ok: return "ok";
        case AlarmLevel::warn: return "warn";
        case AlarmLevel::crit: return "crit";
    }
    return "ok";
}

std::optional<AlarmLevel> alarm_level_from_name(std::string_view name) {
    if (name == "ok") return AlarmLevel::ok;
    if (name == "warn") return AlarmLevel::warn;
    if (name == "crit") return AlarmLevel::crit;
    return std::nullopt;
}

}  // namespace vigil::protocol
