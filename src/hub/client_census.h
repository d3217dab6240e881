// Concurrent WebSocket connections per client id (the random id a page sends in hello).
// A page must never hold two sockets at once; the census keeps each id's current count and its
// high-water mark so tests can assert exactly that from /healthz. Bounded: ids with no open
// socket are forgotten beyond `max_ids`, oldest first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace vigil::hub {

class ClientCensus {
public:
    explicit ClientCensus(std::size_t max_ids = 4096) : max_ids_(max_ids) {}

    void connected(const std::string& client);
    void disconnected(const std::string& client);

    int current(const std::string& client) const;
    // Highest number of simultaneous sockets any one client id ever had.
    int max_concurrent_per_client() const { return max_concurrent_; }

    struct Entry {
        int current = 0;
        int peak = 0;
        std::uint64_t last_touch = 0;
    };
    const std::map<std::string, Entry>& entries() const { return entries_; }

private:
    void forget_idle();

    std::size_t max_ids_;
    std::uint64_t clock_ = 0;
    int max_concurrent_ = 0;
    std::map<std::string, Entry> entries_;
};

}  // namespace vigil::hub
