// Which host the focus panel shows: the pinned one (a click on its tile, config focus_host,
// ?focus=) while it is in the fleet; otherwise each host in display order, rotate_s seconds each.
// A pin whose host is not in the fleet is kept and the panel rotates meanwhile: a wall told to
// show a host before the hub's catalog names it, or whose host left the fleet, shows it again
// when it is (back) there. Pure: the time is passed in.
#pragma once

#include "model/fleet.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace vigil::model {

struct FocusPick {
    std::size_t index = 0;  // position in the ordered hosts
    bool pinned = false;    // the pinned host: stays; false: rotating
};

class FocusSelection {
public:
    // Pins host `id` ("" = rotate). Another pin replaces it.
    void pin(std::string id) { pin_ = std::move(id); }
    void rotate() { pin_.clear(); }
    // The host asked for, shown or not; "" when rotating.
    const std::string& pinned_id() const { return pin_; }

    // The host shown at now_ms among `order` (display order), rotating every rotate_s seconds
    // (at least 2) counted from start_ms. Nothing when there are no hosts.
    std::optional<FocusPick> pick(const std::vector<const HostState*>& order, double now_ms, double rotate_s,
                                  double start_ms) const;

private:
    std::string pin_;
};

}  // namespace vigil::model
