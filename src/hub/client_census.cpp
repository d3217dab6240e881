// Per-client-id connection counts.
#include "hub/client_census.h"

#include <algorithm>

namespace vigil::hub {

void ClientCensus::connected(const std::string& client) {
    auto& e = entries_[client];
    e.current += 1;
    e.peak = std::max(e.peak, e.current);
    e.last_touch = ++clock_;
    max_concurrent_ = std::max(max_concurrent_, e.current);
    forget_idle();
}

void ClientCensus::disconnected(const std::string& client) {
    auto it = entries_.find(client);
    if (it == entries_.end() || it->second.current == 0) return;
    it->second.current -= 1;
    it->second.last_touch = ++clock_;
}

int ClientCensus::current(const std::string& client) const {
    auto it = entries_.find(client);
    return it == entries_.end() ? 0 : it->second.current;
}

void ClientCensus::forget_idle() {
    while (entries_.size() > max_ids_) {
        auto oldest = entries_.end();
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (it->second.current == 0 && (oldest == entries_.end() || it->second.last_touch < oldest->second.last_touch))
                oldest = it;
        if (oldest == entries_.end()) return;  // every id has a socket open: nothing to forget
        entries_.erase(oldest);
    }
}

}  // namespace vigil::hub
