// Sequence classification for the page.
#include "protocol/seq_tracker.h"

namespace vigil::protocol {

std::optional<RejectionKind> SeqCheck::rejection() const {
    switch (verdict) {
        case SeqVerdict::duplicate: return RejectionKind::seq_duplicate;
        case SeqVerdict::backwards: return RejectionKind::seq_backwards;
        default: return std::nullopt;
    }
}

bool SeqTracker::on_welcome(const Welcome& w) {
    if (w.epoch != epoch_ || (last_ && w.head < *last_)) {
        reset(w.epoch);
        return true;
    }
    return false;
}

void SeqTracker::reset(std::string epoch) {
    epoch_ = std::move(epoch);
    last_.reset();
    floor_ = 0;
    holes_.clear();
}

SeqCheck SeqTracker::classify(Seq seq) const {
    if (!last_ || seq == *last_ + 1) return {SeqVerdict::apply, {}};
    if (seq > *last_) return {SeqVerdict::gap_before, Gap{*last_ + 1, seq - 1}};
    if (seq < floor_ || in_hole(seq)) return {SeqVerdict::backwards, {}};
    return {SeqVerdict::duplicate, {}};
}

SeqCheck SeqTracker::accept(Seq seq) {
    const SeqCheck c = classify(seq);
    if (c.verdict == SeqVerdict::gap_before) remember_hole(c.missing);
    if (c.applies()) {
        if (!last_) floor_ = seq;
        last_ = seq;
    }
    return c;
}

std::optional<Gap> SeqTracker::on_gap(const Gap& gap) {
    if (gap.from > gap.to) return std::nullopt;
    if (!last_) {
        // Nothing applied yet (a backfill that starts with a gap): we vouch for nothing up to `to`.
        last_ = gap.to;
        floor_ = gap.to + 1;
        return gap;
    }
    if (gap.to <= *last_) return std::nullopt;
    // Anything between our last frame and `from` that the hub did not explain is lost too.
    const Gap hole{*last_ + 1, gap.to};
    remember_hole(hole);
    last_ = gap.to;
    return hole;
}

std::optional<ResumeCursor> SeqTracker::cursor() const {
    if (epoch_.empty() || !last_) return std::nullopt;
    return ResumeCursor{epoch_, *last_};
}

bool SeqTracker::in_hole(Seq seq) const {
    // Few holes and newest last: scanning backwards finds recent ones first.
    for (auto it = holes_.rbegin(); it != holes_.rend(); ++it) {
        if (seq > it->to) return false;
        if (seq >= it->from) return true;
    }
    return false;
}

void SeqTracker::remember_hole(Gap hole) {
    holes_.push_back(hole);
    while (holes_.size() > max_holes_) {
        floor_ = holes_.front().to + 1;
        holes_.pop_front();
    }
}

}  // namespace vigil::protocol
