// Where the hub keeps the frames it has sent, so a page can resume after a hub restart or its
// own reconnect. The hub appends every frame BEFORE broadcasting it: nothing a page has seen
// can be missing from the store. Implemented by the crash-safe journal (journal_frame_store)
// and by a memory ring (memory_frame_store) for tests.
#pragma once

#include "protocol/messages.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::hub {

struct StoredFrame {
    protocol::Seq seq = 0;
    std::int64_t t_ms = 0;
    std::string text;  // the encoded samples message, replayed byte for byte
};

class FrameStore {
public:
    virtual ~FrameStore() = default;

    // Names the store's seq space; seqs of different epochs are not comparable.
    virtual std::string epoch() const = 0;
    // Newest seq appended (0: none yet) and oldest still retained (0: none).
    virtual protocol::Seq head() const = 0;
    virtual protocol::Seq oldest() const = 0;

    // Unix ms of frame oldest() (0 when none): sizes a gap when a history window reaches past it.
    virtual std::int64_t oldest_t_ms() const = 0;

    // Appends frame `seq` stamped `t_ms`; seq must be above head(). Throws when the frame could not be
    // stored; the hub then does not broadcast it.
    virtual void append(protocol::Seq seq, std::int64_t t_ms, const std::string& text) = 0;

    // The first retained seq whose frame time is >= t_ms (history backfill), if any.
    virtual std::optional<protocol::Seq> seq_at_or_after(std::int64_t t_ms) = 0;

    // Up to `max_frames` consecutive retained frames starting at `from` (clamped to oldest()).
    virtual std::vector<StoredFrame> read(protocol::Seq from, std::size_t max_frames) = 0;

    // Makes everything appended durable (called on shutdown).
    virtual void flush() = 0;
};

}  // namespace vigil::hub
