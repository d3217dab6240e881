// Outbox: text messages the app sent while the link could not take them, kept in order until the next open.
// Bounded by count and bytes; optional coalescing by key; every drop is counted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

namespace vigil::core {

// Policies, chosen for a screen whose outbound traffic is small and stateful (subscriptions,
// acknowledgements, settings):
// - Coalescing: a message with a non-empty key replaces the queued message with the same key, and
//   MOVES TO THE END. Keeping the old position would deliver the new value before messages the app
//   sent in between ("unsubscribe all" then "subscribe X" must not arrive the other way round).
// - Bounds: when a new message does not fit, the OLDEST messages are evicted (and counted): the
//   latest intent of the app is worth more than a stale one. A message larger than max_bytes by
//   itself is refused (counted) and the queue is left as it was.
class Outbox {
public:
    Outbox(std::size_t max_messages, std::size_t max_bytes);

    // False when the message was refused (bigger than max_bytes on its own).
    bool push(std::string text, std::string coalesce_key = {});

    bool empty() const { return entries_.empty(); }
    std::size_t size() const { return entries_.size(); }
    std::size_t bytes() const { return bytes_; }
    const std::string& front() const { return entries_.front().text; }
    void pop_front();

    // Discards everything; the discarded messages count as drops.
    void clear();

    std::uint64_t drops() const { return drops_; }

private:
    struct Entry {
        std::string text;
        std::string key;
    };
    std::deque<Entry> entries_;
    std::size_t bytes_ = 0;
    std::size_t max_messages_;
    std::size_t max_bytes_;
    std::uint64_t drops_ = 0;
};

}  // namespace vigil::core
