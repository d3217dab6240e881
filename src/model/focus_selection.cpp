// The focus panel's host (see the header).
#include "model/focus_selection.h"

#include <algorithm>

namespace vigil::model {

std::optional<FocusPick> FocusSelection::pick(const std::vector<const HostState*>& order, double now_ms,
                                              double rotate_s, double start_ms) const {
    if (order.empty()) return std::nullopt;
    if (!pin_.empty())
        for (std::size_t i = 0; i < order.size(); ++i)
            if (order[i]->id == pin_) return FocusPick{i, true};
    const double rotate_ms = std::max(2.0, rotate_s) * 1000.0;
    const double turns = std::max(0.0, now_ms - start_ms) / rotate_ms;
    return FocusPick{static_cast<std::size_t>(turns) % order.size(), false};
}

}  // namespace vigil::model
