// The page's position in a hub's journal: epoch + last applied seq. Classifies each samples
// frame as apply / gap_before / duplicate / backwards, so a frame replayed twice is applied once
// and a hole is drawn as a gap. Its cursor() is what the page sends as hello.resume.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>

#include "protocol/messages.h"
#include "protocol/rejection.h"

namespace vigil::protocol {

enum class SeqVerdict {
    apply,       // the next frame: apply it
    gap_before,  // newer than the next expected: mark `missing` as a gap, then apply it
    duplicate,   // already applied (a replay overlap): drop it, count seq_duplicate
    backwards,   // older than what was applied and never applied itself (inside a gap, or
                 // before the first frame): it cannot be inserted; drop, count seq_backwards
};

struct SeqCheck {
    SeqVerdict verdict = SeqVerdict::apply;
    Gap missing{};  // meaningful for gap_before only

    bool applies() const { return verdict == SeqVerdict::apply || verdict == SeqVerdict::gap_before; }
    // seq_duplicate / seq_backwards for the frames that are dropped.
    std::optional<RejectionKind> rejection() const;
};

// Not thread-safe; one per connection view (the page has one).
class SeqTracker {
public:
    // How many holes are remembered to tell duplicate from backwards. Below the oldest
    // remembered hole every old frame counts as backwards (it is dropped either way).
    explicit SeqTracker(std::size_t max_holes = 256) : max_holes_(max_holes) {}

    // Call on every welcome. Resets (returns true) when the epoch changed, or when the hub's
    // head is behind what this page applied (the hub lost data it had sent: its seqs are no
    // longer comparable with ours). Then the hub backfills and the page starts over.
    bool on_welcome(const Welcome& w);

    // Classify without changing anything.
    SeqCheck classify(Seq seq) const;

    // Classify, and when the frame applies, record it as applied.
    SeqCheck accept(Seq seq);

    // The hub said from..to are lost for good. Returns the range newly marked as a gap
    // (nothing when it lies entirely at or below what was applied); later frames then
    // continue after `to` without a gap_before.
    std::optional<Gap> on_gap(const Gap& gap);

    // Forget everything (a new epoch with no name yet).
    void reset(std::string epoch = {});

    // What to send as hello.resume: set once an epoch is known and something was applied.
    std::optional<ResumeCursor> cursor() const;
    const std::string& epoch() const { return epoch_; }
    std::optional<Seq> last() const { return last_; }

private:
    bool in_hole(Seq seq) const;
    void remember_hole(Gap hole);

    std::size_t max_holes_;
    std::string epoch_;
    std::optional<Seq> last_;  // last applied (or declared lost) seq
    Seq floor_ = 0;            // lowest seq we can still vouch for
    std::deque<Gap> holes_;    // ascending, disjoint, all below last_
};

}  // namespace vigil::protocol
