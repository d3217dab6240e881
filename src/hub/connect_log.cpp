// Bounded ring of connection attempts.
#include "hub/connect_log.h"

namespace vigil::hub {

std::uint64_t ConnectLog::record(std::int64_t unix_ms, std::string peer, std::string outcome) {
    ConnectAttempt a{unix_ms, std::move(peer), "", std::move(outcome), ++total_};
    if (ring_.size() < capacity_) ring_.push_back(std::move(a));
    else ring_[(a.id - 1) % capacity_] = std::move(a);
    return total_;
}

void ConnectLog::set_client(std::uint64_t id, const std::string& client) {
    if (id == 0 || id > total_ || total_ - id >= capacity_) return;
    auto& a = ring_[(id - 1) % capacity_];
    if (a.id == id) a.client = client;
}

std::vector<ConnectAttempt> ConnectLog::snapshot() const {
    std::vector<ConnectAttempt> out;
    out.reserve(ring_.size());
    std::uint64_t first = total_ > ring_.size() ? total_ - ring_.size() + 1 : 1;
    for (std::uint64_t id = first; id <= total_; ++id) out.push_back(ring_[(id - 1) % capacity_]);
    return out;
}

}  // namespace vigil::hub
