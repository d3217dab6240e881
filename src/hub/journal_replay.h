// Streams a replay plan out of the journal: the messages a session sends between `welcome`
// and `live`, batch by batch, with a `gap` for every hole it meets (records lost to a crash,
// corruption or retention while replaying).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hub/frame_journal.h"
#include "protocol/replay_plan.h"

namespace vigil::hub {

// Use from the journal's thread only. The journal must outlive the stream.
//
//   ReplayStream replay(journal, plan);
//   while (!replay.done()) for (auto& text : replay.next_batch(256)) send(text);
//   send(encode(protocol::Live{replay.live_head()}));
//
// Each batch reads up to the journal's head at that moment, so frames appended while a
// replay is in progress are sent by the replay; once done(), forward only frames with
// seq > live_head() (a page drops any duplicate anyway).
class ReplayStream {
public:
    ReplayStream(const FrameJournal& journal, const protocol::ReplayPlan& plan);

    // Up to max_frames stored frames (sent byte for byte), preceded by `gap` messages where
    // seqs are missing. Empty once done().
    std::vector<std::string> next_batch(std::size_t max_frames);

    bool done() const { return done_; }
    // Everything up to this seq was sent or declared lost; valid once done().
    protocol::Seq live_head() const { return live_head_; }
    // Frames and gap messages produced so far.
    std::size_t frames_sent() const { return frames_; }
    std::size_t gaps_sent() const { return gaps_; }

private:
    void emit_gap(std::vector<std::string>& out, protocol::Seq from, protocol::Seq to);
    void finish();

    const FrameJournal& journal_;
    std::optional<protocol::Gap> first_gap_;
    std::optional<protocol::Seq> next_;  // next seq to send; nothing when the plan sends no frames
    bool done_ = false;
    protocol::Seq live_head_ = 0;
    std::size_t frames_ = 0;
    std::size_t gaps_ = 0;
};

}  // namespace vigil::hub
