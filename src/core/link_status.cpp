// Names of the link states.
#include "core/link_status.h"

namespace vigil::core {

const char* to_string(LinkState state) {
    switch (state) {
        case LinkState::Idle: return "idle";
        case LinkState::Connecting: return "connecting";
        case LinkState::Open: return "open";
        case LinkState::WaitingToRetry: return "waiting_to_retry";
        case LinkState::Maintenance: return "maintenance";
        case LinkState::Unauthorized: return "unauthorized";
        case LinkState::Offline: return "offline";
        case LinkState::Stopped: return "stopped";
    }
    return "unknown";
}

}  // namespace vigil::core
