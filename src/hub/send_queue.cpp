// Bounded per-client outgoing queue.
#include "hub/send_queue.h"

namespace vigil::hub {

bool SendQueue::push(SharedText message) {
    if (!message) return true;
    if (queue_.size() + 1 > max_messages_ || bytes_ + message->size() > max_bytes_) return false;
    bytes_ += message->size();
    queue_.push_back(std::move(message));
    return true;
}

void SendQueue::pop() {
    bytes_ -= queue_.front()->size();
    queue_.pop_front();
}

void SendQueue::clear() {
    queue_.clear();
    bytes_ = 0;
}

}  // namespace vigil::hub
