// One metric's recent history for one host: a fixed-capacity ring of {seq, hub time, value}.
// Gaps (lost seqs, a silent host, a time jump) split it into runs that are drawn separately and
// never joined by a line: the screen must not invent values it never received.
#pragma once

#include "protocol/messages.h"

#include <cstddef>
#include <vector>

namespace vigil::model {

struct SeriesPoint {
    protocol::Seq seq = 0;   // frame seq; 0 when unknown (legacy backends send none)
    double t = 0;            // hub time, Unix ms
    double value = 0;
    bool starts_run = true;  // a gap lies before this point: do not join it to the previous one
};

// A run of consecutive points in SeriesWindow::points: [begin, end). A run of one point is a
// lone sample between two gaps: draw it as a dot, not as nothing.
struct SeriesRun {
    std::size_t begin = 0, end = 0;
    std::size_t size() const { return end - begin; }
};

// What one chart draws for a time window. Reused across frames so drawing allocates nothing
// once the vectors have grown.
struct SeriesWindow {
    std::vector<SeriesPoint> points;  // oldest first
    std::vector<SeriesRun> runs;      // in order, covering `points`
    double min_value = 0, max_value = 0;  // over `points`; both 0 when empty
    void clear() {
        points.clear();
        runs.clear();
        min_value = max_value = 0;
    }
};

// When a new point does not continue the previous one.
struct SeriesBreakRule {
    // A time step longer than this between two points is a gap even when their seqs are
    // consecutive (a hub that paused). 0: only seqs decide.
    double max_step_ms = 3000;
};

class Series {
public:
    static constexpr std::size_t kMaxCapacity = 3600;

    explicit Series(std::size_t capacity = 600, SeriesBreakRule rule = {});

    // Append the newest point. Returns false (and counts it) when it cannot go at the end: older
    // than the newest point, or the same frame again. Memory never grows past capacity().
    bool push(protocol::Seq seq, double t, double value);

    // The next point starts a new run whatever its seq (a new epoch: seqs are not comparable).
    void break_run() { break_next_ = true; }

    // Keeps the newest points when shrinking. Clamped to 2..kMaxCapacity.
    void set_capacity(std::size_t capacity);
    void set_break_rule(SeriesBreakRule rule) { rule_ = rule; }

    // Points with t in [t_from, t_to], plus the neighbour just outside each edge when it is in
    // the same run, so lines reach the chart's edges (clip when drawing). Fills `out`.
    void window(double t_from, double t_to, SeriesWindow& out) const;

    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    bool empty() const { return size_ == 0; }
    const SeriesPoint& at(std::size_t i) const;  // 0 = oldest
    const SeriesPoint& newest() const { return at(size_ - 1); }
    std::size_t dropped() const { return dropped_; }  // points refused by push()
    void clear();

private:
    std::size_t capacity_;
    SeriesBreakRule rule_;
    std::vector<SeriesPoint> ring_;  // grows to capacity_, then wraps
    std::size_t start_ = 0;          // index of the oldest point once wrapped
    std::size_t size_ = 0;
    std::size_t dropped_ = 0;
    bool break_next_ = false;
};

// Points per series for a history window at a frame interval, within 2..Series::kMaxCapacity.
std::size_t series_capacity_for(double history_s, double interval_ms);

}  // namespace vigil::model
