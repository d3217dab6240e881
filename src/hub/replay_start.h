// Where a new session's stream starts: which retained frames to replay, and which range to
// announce as lost (gap), from the page's hello and the store's epoch/head/oldest.
// Interim: to be replaced by the protocol room's replay-range logic when it lands.
#pragma once

#include "protocol/messages.h"

#include <optional>
#include <string>

namespace vigil::hub {

struct ReplayStart {
    std::optional<protocol::Gap> gap;  // announced before the first replayed frame
    protocol::Seq first = 0;           // first seq to send (head + 1: nothing to replay)
};

ReplayStart plan_replay(const protocol::Hello& hello, const std::string& epoch, protocol::Seq head,
                        protocol::Seq oldest, std::int64_t interval_ms);

}  // namespace vigil::hub
