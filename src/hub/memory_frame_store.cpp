// In-memory frame ring.
#include "hub/memory_frame_store.h"

#include <stdexcept>

namespace vigil::hub {

MemoryFrameStore::MemoryFrameStore(std::string epoch, std::size_t retention_frames)
    : epoch_(std::move(epoch)), retention_(retention_frames ? retention_frames : 1) {}

void MemoryFrameStore::append(protocol::Seq seq, const std::string& text) {
    if (seq != head_ + 1) throw std::logic_error("frame store: seq must be head + 1");
    frames_.push_back({seq, text});
    head_ = seq;
    while (frames_.size() > retention_) frames_.pop_front();
}

std::vector<StoredFrame> MemoryFrameStore::read(protocol::Seq from, std::size_t max_frames) {
    std::vector<StoredFrame> out;
    if (frames_.empty() || from > head_) return out;
    if (from < frames_.front().seq) from = frames_.front().seq;
    for (auto i = std::size_t(from - frames_.front().seq); i < frames_.size() && out.size() < max_frames; ++i)
        out.push_back(frames_[i]);
    return out;
}

}  // namespace vigil::hub
