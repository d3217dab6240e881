// Replay streaming over Journal::read_range.
#include "hub/journal_replay.h"

#include "protocol/encode.h"

namespace vigil::hub {

ReplayStream::ReplayStream(const FrameJournal& journal, const protocol::ReplayPlan& plan)
    : journal_(journal), first_gap_(plan.gap), next_(plan.from) {}

void ReplayStream::emit_gap(std::vector<std::string>& out, protocol::Seq from, protocol::Seq to) {
    if (from > to) return;
    out.push_back(protocol::encode(protocol::Gap{from, to}));
    ++gaps_;
}

void ReplayStream::finish() {
    done_ = true;
    live_head_ = journal_.head_seq();
}

std::vector<std::string> ReplayStream::next_batch(std::size_t max_frames) {
    std::vector<std::string> out;
    if (done_) return out;
    if (first_gap_) {
        emit_gap(out, first_gap_->from, first_gap_->to);
        first_gap_.reset();
    }
    if (!next_) {
        finish();
        return out;
    }
    const protocol::Seq head = journal_.head_seq();
    auto records = journal_.read_range(*next_, max_frames ? max_frames : 1);
    for (auto& rec : records) {
        if (rec.seq > *next_) emit_gap(out, *next_, rec.seq - 1);
        out.push_back(std::move(rec.payload));
        ++frames_;
        next_ = rec.seq + 1;
    }
    if (records.empty()) {
        // Nothing retained at or after next_: what remains up to the head was skipped by a
        // crash (or dropped meanwhile) and is lost.
        emit_gap(out, *next_, head);
        next_ = head + 1;
    }
    if (*next_ > journal_.head_seq()) finish();
    return out;
}

}  // namespace vigil::hub
