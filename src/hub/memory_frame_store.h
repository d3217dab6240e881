// A FrameStore in memory: a bounded ring, a fresh epoch per process. Loses everything on exit,
// so it is for tests and for running without a journal folder, never for the real hub.
#pragma once

#include "hub/frame_store.h"

#include <deque>

namespace vigil::hub {

class MemoryFrameStore : public FrameStore {
public:
    MemoryFrameStore(std::string epoch, std::size_t retention_frames);

    std::string epoch() const override { return epoch_; }
    protocol::Seq head() const override { return head_; }
    protocol::Seq oldest() const override { return frames_.empty() ? 0 : frames_.front().seq; }
    std::int64_t oldest_t_ms() const override { return frames_.empty() ? 0 : frames_.front().t_ms; }
    void append(protocol::Seq seq, std::int64_t t_ms, const std::string& text) override;
    std::optional<protocol::Seq> seq_at_or_after(std::int64_t t_ms) override;
    std::vector<StoredFrame> read(protocol::Seq from, std::size_t max_frames) override;
    void flush() override {}

private:
    std::string epoch_;
    std::size_t retention_;
    protocol::Seq head_ = 0;
    std::deque<StoredFrame> frames_;
};

}  // namespace vigil::hub
