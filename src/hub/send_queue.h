// One client's outgoing messages, bounded by count and bytes. When a push would cross either
// bound the client is too slow: the session drops it (close 4008) instead of buffering without
// end or holding back the other clients. Messages are shared: a broadcast frame is encoded once.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>

namespace vigil::hub {

using SharedText = std::shared_ptr<const std::string>;

class SendQueue {
public:
    SendQueue(std::size_t max_messages, std::size_t max_bytes) : max_messages_(max_messages), max_bytes_(max_bytes) {}

    // False (and nothing queued) when the message would cross a bound.
    bool push(SharedText message);

    bool empty() const { return queue_.empty(); }
    std::size_t size() const { return queue_.size(); }
    std::size_t bytes() const { return bytes_; }
    const SharedText& front() const { return queue_.front(); }
    void pop();
    void clear();

private:
    std::size_t max_messages_, max_bytes_;
    std::size_t bytes_ = 0;
    std::deque<SharedText> queue_;
};

}  // namespace vigil::hub
