// The last N WebSocket upgrade attempts with their time and outcome, for /stats/connects:
// herd and auth tests read it to see how clients reconnect (spacing, jitter, refusals).
// A fixed-capacity ring: old attempts fall off, memory stays bounded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::hub {

struct ConnectAttempt {
    std::int64_t unix_ms = 0;
    std::string peer;     // "127.0.0.1:53122"
    std::string client;   // client id from hello, filled in later when it arrives ("" until then)
    std::string outcome;  // "accepted", "bad_token", "bad_origin", "full"
    std::uint64_t id = 0; // attempt number since start, 1-based
};

class ConnectLog {
public:
    explicit ConnectLog(std::size_t capacity) : capacity_(capacity ? capacity : 1) {}

    // Records an attempt and returns its id.
    std::uint64_t record(std::int64_t unix_ms, std::string peer, std::string outcome);
    // Names the client of an attempt still in the ring.
    void set_client(std::uint64_t id, const std::string& client);

    std::uint64_t total() const { return total_; }
    std::size_t capacity() const { return capacity_; }
    // Oldest first.
    std::vector<ConnectAttempt> snapshot() const;

private:
    std::size_t capacity_;
    std::uint64_t total_ = 0;
    std::vector<ConnectAttempt> ring_;  // ring_[(id - 1) % capacity_]
};

}  // namespace vigil::hub
