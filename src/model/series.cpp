// The series ring (see the header).
#include "model/series.h"

#include <algorithm>
#include <cmath>

namespace vigil::model {

namespace {
std::size_t clamp_capacity(std::size_t c) { return std::min(std::max<std::size_t>(c, 2), Series::kMaxCapacity); }
}  // namespace

std::size_t series_capacity_for(double history_s, double interval_ms) {
    if (!(interval_ms > 0) || !(history_s > 0)) return clamp_capacity(0);
    const double n = std::ceil(history_s * 1000.0 / interval_ms) + 1;  // both ends of the window
    if (!(n < static_cast<double>(Series::kMaxCapacity))) return Series::kMaxCapacity;
    return clamp_capacity(static_cast<std::size_t>(n));
}

Series::Series(std::size_t capacity, SeriesBreakRule rule) : capacity_(clamp_capacity(capacity)), rule_(rule) {}

const SeriesPoint& Series::at(std::size_t i) const { return ring_[(start_ + i) % ring_.size()]; }

void Series::clear() {
    ring_.clear();
    start_ = size_ = 0;
    break_next_ = false;
}

bool Series::push(protocol::Seq seq, double t, double value) {
    SeriesPoint p{seq, t, value, true};
    if (size_ > 0) {
        const SeriesPoint& last = newest();
        // A ring is ordered by time: an older point cannot be inserted (a backfill after a new
        // epoch overlapping what is shown), and the same frame twice is one point.
        if (t < last.t || (t == last.t && seq == last.seq)) {
            ++dropped_;
            return false;
        }
        const bool seqs_follow = seq == 0 || last.seq == 0 || seq == last.seq + 1;
        const bool time_follows = rule_.max_step_ms <= 0 || t - last.t <= rule_.max_step_ms;
        p.starts_run = break_next_ || !seqs_follow || !time_follows;
    }
    break_next_ = false;
    if (ring_.size() < capacity_) {
        ring_.push_back(p);  // not wrapped yet: start_ == 0
        ++size_;
    } else {
        ring_[start_] = p;  // overwrite the oldest
        start_ = (start_ + 1) % ring_.size();
    }
    return true;
}

void Series::set_capacity(std::size_t capacity) {
    capacity = clamp_capacity(capacity);
    if (capacity == capacity_) return;
    const std::size_t keep = std::min(size_, capacity);
    std::vector<SeriesPoint> kept;
    kept.reserve(keep);
    for (std::size_t i = size_ - keep; i < size_; ++i) kept.push_back(at(i));
    if (!kept.empty() && keep < size_) kept.front().starts_run = true;  // its predecessor is gone
    ring_ = std::move(kept);
    ring_.shrink_to_fit();
    start_ = 0;
    size_ = keep;
    capacity_ = capacity;
}

void Series::window(double t_from, double t_to, SeriesWindow& out) const {
    out.clear();
    if (size_ == 0 || !(t_from <= t_to)) return;
    // Points are ordered by t: find the first at or after t_from.
    std::size_t lo = 0, hi = size_;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (at(mid).t < t_from) lo = mid + 1;
        else hi = mid;
    }
    std::size_t first = lo;
    if (first > 0 && first < size_ && !at(first).starts_run) --first;  // the line enters from the left edge
    else if (first == size_) return;                                   // everything is older
    std::size_t last = first;  // one past the last point taken
    while (last < size_ && at(last).t <= t_to) ++last;
    if (last < size_ && last > first && !at(last).starts_run) ++last;  // and leaves at the right edge
    if (last == first) return;

    for (std::size_t i = first; i < last; ++i) {
        const SeriesPoint& p = at(i);
        if (out.points.empty() || p.starts_run) out.runs.push_back({out.points.size(), out.points.size()});
        out.points.push_back(p);
        out.runs.back().end = out.points.size();
        if (out.points.size() == 1) out.min_value = out.max_value = p.value;
        out.min_value = std::min(out.min_value, p.value);
        out.max_value = std::max(out.max_value, p.value);
    }
}

}  // namespace vigil::model
