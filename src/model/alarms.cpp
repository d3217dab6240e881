// Alarms with hysteresis (see the header).
#include "model/alarms.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil::model {

namespace {

// Level entered at `value` (no memory) and level held at `value` coming from above (with the
// band), for a metric where higher is worse.
AlarmLevel level_at(double value, double warn, double crit, double band_w, double band_c) {
    if (value >= crit - band_c) return AlarmLevel::crit;
    if (value >= warn - band_w) return AlarmLevel::warn;
    return AlarmLevel::ok;
}

AlarmLevel from_severity(int s) {
    return s >= 2 ? AlarmLevel::crit : (s == 1 ? AlarmLevel::warn : AlarmLevel::ok);
}

}  // namespace

int severity(AlarmLevel level) {
    switch (level) {
        case AlarmLevel::ok: return 0;
        case AlarmLevel::warn: return 1;
        case AlarmLevel::crit: return 2;
    }
    return 0;
}

Thresholds effective_thresholds(const AlarmRules& rules, const std::string& metric,
                                const std::optional<double>& catalog_warn,
                                const std::optional<double>& catalog_crit) {
    Thresholds t{catalog_warn, catalog_crit};
    auto it = rules.overrides.find(metric);
    if (it != rules.overrides.end()) {
        if (it->second.warn) t.warn = it->second.warn;
        if (it->second.crit) t.crit = it->second.crit;
    }
    return t;
}

AlarmLevel next_alarm_level(AlarmLevel current, double value, const Thresholds& th, double hysteresis) {
    if (!std::isfinite(value)) return current;
    const bool falling = th.warn && th.crit && *th.crit < *th.warn;
    const double sign = falling ? -1.0 : 1.0;  // mirror a lower-is-worse metric
    const double inf = std::numeric_limits<double>::infinity();
    const double warn = th.warn && std::isfinite(*th.warn) ? sign * *th.warn : inf;
    const double crit = th.crit && std::isfinite(*th.crit) ? sign * *th.crit : inf;
    const double h = std::isfinite(hysteresis) ? std::max(0.0, hysteresis) : 0.0;
    const double band_w = std::isfinite(warn) ? h * std::fabs(warn) : 0.0;
    const double band_c = std::isfinite(crit) ? h * std::fabs(crit) : 0.0;
    const double v = sign * value;
    const int entered = severity(level_at(v, warn, crit, 0, 0));
    const int held = severity(level_at(v, warn, crit, band_w, band_c));
    // Rise only by crossing a threshold itself; fall only below threshold - band.
    return from_severity(std::max(entered, std::min(severity(current), held)));
}

// ---- AlarmTable -------------------------------------------------------------------------

std::size_t AlarmTable::index_of(const std::string& host, const std::string& metric) const {
    auto h = at_.find(host);
    if (h == at_.end()) return npos;
    auto m = h->second.find(metric);
    return m == h->second.end() ? npos : m->second;
}

ActiveAlarm* AlarmTable::find(const std::string& host, const std::string& metric) {
    const std::size_t i = index_of(host, metric);
    return i == npos ? nullptr : &rows[i];
}

const ActiveAlarm* AlarmTable::find(const std::string& host, const std::string& metric) const {
    const std::size_t i = index_of(host, metric);
    return i == npos ? nullptr : &rows[i];
}

const std::unordered_map<std::string, std::size_t>* AlarmTable::of_host(const std::string& host) const {
    auto h = at_.find(host);
    return h == at_.end() ? nullptr : &h->second;
}

void AlarmTable::add(ActiveAlarm a) {
    at_[a.host][a.metric] = rows.size();
    rows.push_back(std::move(a));
}

ActiveAlarm AlarmTable::take(std::size_t row) {
    ActiveAlarm out = std::move(rows[row]);
    auto h = at_.find(out.host);
    h->second.erase(out.metric);
    if (h->second.empty()) at_.erase(h);
    if (row + 1 != rows.size()) {
        rows[row] = std::move(rows.back());
        at_[rows[row].host][rows[row].metric] = row;
    }
    rows.pop_back();
    return out;
}

void AlarmTable::erase_if(const std::function<bool(const ActiveAlarm& alarm)>& gone) {
    const std::size_t before = rows.size();
    rows.erase(std::remove_if(rows.begin(), rows.end(), gone), rows.end());
    if (rows.size() == before) return;
    at_.clear();
    reindex();
}

void AlarmTable::reindex() {
    for (std::size_t i = 0; i < rows.size(); ++i) at_[rows[i].host][rows[i].metric] = i;  // no new keys
}

// ---- AlarmBoard -------------------------------------------------------------------------

namespace {

// What a full board keeps: DOWN above all, then crit before warn, fresh before stale.
int keep_rank(const ActiveAlarm& a) {
    if (AlarmBoard::is_down(a)) return 6;
    return severity(a.level) * 2 + (a.stale ? 0 : 1);
}

// Whether a is kept before b (a total order over distinct pairs).
bool keeps_before(const ActiveAlarm& a, const ActiveAlarm& b) {
    const int ra = keep_rank(a), rb = keep_rank(b);
    if (ra != rb) return ra > rb;
    if (a.changed_at_local != b.changed_at_local) return a.changed_at_local > b.changed_at_local;
    if (a.host != b.host) return a.host < b.host;
    return a.metric < b.metric;
}

}  // namespace

AlarmBoard::AlarmBoard(AlarmRules rules, std::size_t log_capacity, std::size_t max_active)
    : rules_(std::move(rules)), log_capacity_(std::max<std::size_t>(1, log_capacity)), max_active_(max_active) {}

void AlarmBoard::board_changed() const {
    sorted_ = false;
    min_rank_ = -1;
}

int AlarmBoard::board_min_rank() const {
    if (min_rank_ < 0) {
        min_rank_ = 99;
        for (const auto& a : active_.rows) min_rank_ = std::min(min_rank_, keep_rank(a));
    }
    return min_rank_;
}

// Whether the board's and the not-shown alarms' split is still right: no room left unused while
// some wait, none waiting that outranks one on the board. Otherwise the best max_active are kept,
// the board's own first among equals (no churn between alarms of one rank).
void AlarmBoard::rebalance() const {
    if (!rebalance_pending_) return;
    rebalance_pending_ = false;
    if (hidden_.empty()) return;
    int best_aside = -1;
    for (const auto& a : hidden_.rows) best_aside = std::max(best_aside, keep_rank(a));
    if (active_.size() >= max_active_ && (active_.empty() || best_aside <= board_min_rank())) return;
    std::vector<std::pair<ActiveAlarm, bool>> all;  // alarm, was on the board
    all.reserve(active_.size() + hidden_.size());
    for (auto& a : active_.rows) all.emplace_back(std::move(a), true);
    for (auto& a : hidden_.rows) all.emplace_back(std::move(a), false);
    const auto before = [](const std::pair<ActiveAlarm, bool>& x, const std::pair<ActiveAlarm, bool>& y) {
        const int rx = keep_rank(x.first), ry = keep_rank(y.first);
        if (rx != ry) return rx > ry;
        if (x.second != y.second) return x.second;
        return keeps_before(x.first, y.first);
    };
    const std::size_t keep = std::min(max_active_, all.size());
    if (keep < all.size()) std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(), before);
    active_ = AlarmTable{};
    hidden_ = AlarmTable{};
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (i < keep) {
            active_.add(std::move(all[i].first));
        } else {
            if (all[i].second) ++refused_;  // evicted from the board
            if (hidden_.size() < kMaxNotShown) hidden_.add(std::move(all[i].first));
        }
    }
    board_changed();
}

void AlarmBoard::settle() const {
    rebalance();
    if (sorted_) return;
    std::sort(active_.rows.begin(), active_.rows.end(), [](const ActiveAlarm& a, const ActiveAlarm& b) {
        if (a.level != b.level) return severity(a.level) > severity(b.level);
        if (a.stale != b.stale) return !a.stale;
        if (a.changed_at_local != b.changed_at_local) return a.changed_at_local > b.changed_at_local;
        if (a.host != b.host) return a.host < b.host;
        return a.metric < b.metric;
    });
    active_.reindex();
    sorted_ = true;
}

const std::vector<ActiveAlarm>& AlarmBoard::active() const {
    settle();
    return active_.rows;
}

const std::vector<ActiveAlarm>& AlarmBoard::not_shown() const {
    settle();
    return hidden_.rows;
}

std::size_t AlarmBoard::not_shown_count() const {
    settle();
    return hidden_.size();
}

ActiveAlarm* AlarmBoard::locate(const std::string& host, const std::string& metric) {
    if (ActiveAlarm* a = active_.find(host, metric)) return a;
    return hidden_.find(host, metric);
}

const ActiveAlarm* AlarmBoard::find(const std::string& host, const std::string& metric) const {
    settle();  // a pointer stays valid until the next change, whatever is read meanwhile
    return active_.find(host, metric);
}

AlarmLevel AlarmBoard::level(const std::string& host, const std::string& metric) const {
    if (const ActiveAlarm* a = active_.find(host, metric)) return a->level;
    if (const ActiveAlarm* a = hidden_.find(host, metric)) return a->level;
    return AlarmLevel::ok;
}

AlarmLevel AlarmBoard::host_level(const std::string& host) const {
    int worst = 0;
    for (const AlarmTable* table : {&active_, &hidden_})
        if (const auto* rows = table->of_host(host))
            for (const auto& kv : *rows) worst = std::max(worst, severity(table->rows[kv.second].level));
    return from_severity(worst);
}

AlarmCounts AlarmBoard::counts() const {
    settle();
    AlarmCounts c;
    for (const auto& a : active_.rows) c.add(a);
    return c;
}

AlarmLevel AlarmBoard::evaluate(const std::string& host, const std::string& metric, double value,
                                const Thresholds& thresholds, double t, double now_local) {
    if (metric == kDownMetric) return level(host, metric);  // not a reading: set_host_down's
    ActiveAlarm* it = locate(host, metric);
    if (it && it->from_hub) {
        // The hub's alarm holds until the hub clears it: the page's thresholds (which may differ
        // from the hub's, or be absent) would otherwise undo it at the next frame.
        if (std::isfinite(value)) it->value = value;
        return it->level;
    }
    const AlarmLevel current = it ? it->level : AlarmLevel::ok;
    const AlarmLevel next = next_alarm_level(current, value, thresholds, rules_.hysteresis);
    if (next != current) {
        set_level(host, metric, next, value, t, now_local, false);
        return next;
    }
    if (it && std::isfinite(value)) it->value = value;  // same level: the board shows the newest value
    return current;
}

void AlarmBoard::apply_hub_alarm(const protocol::Alarm& alarm, double now_local) {
    if (alarm.metric == kDownMetric) return;  // DOWN comes with the frames, not as an alarm
    ActiveAlarm* it = locate(alarm.host, alarm.metric);
    const AlarmLevel current = it ? it->level : AlarmLevel::ok;
    if (alarm.level != current) {
        set_level(alarm.host, alarm.metric, alarm.level, alarm.value, static_cast<double>(alarm.t), now_local, true);
    } else if (it) {
        it->value = alarm.value;
        it->from_hub = true;
    }
}

void AlarmBoard::log_transition(const ActiveAlarm& a, AlarmLevel from) {
    log_.push_back(AlarmTransition{a.host, a.metric, from, a.level, a.value, a.since_t, a.changed_at_local, a.from_hub});
    while (log_.size() > log_capacity_) log_.pop_front();
}

bool AlarmBoard::place(ActiveAlarm alarm) {
    if (active_.size() < max_active_) {
        active_.add(std::move(alarm));
        board_changed();
        return true;
    }
    // Full: O(1) when nothing on the board ranks below (a wide incident of one level).
    if (active_.empty() || board_min_rank() >= keep_rank(alarm)) return false;  // never a crit for a warn
    std::size_t victim = 0;
    for (std::size_t i = 1; i < active_.size(); ++i)
        if (keeps_before(active_.rows[victim], active_.rows[i])) victim = i;
    ActiveAlarm out = active_.take(victim);
    ++refused_;
    if (hidden_.size() < kMaxNotShown) hidden_.add(std::move(out));
    active_.add(std::move(alarm));
    board_changed();
    return true;
}

void AlarmBoard::set_level(const std::string& host, const std::string& metric, AlarmLevel to, double value,
                           double t, double now_local, bool from_hub) {
    const std::size_t on_board = active_.index_of(host, metric);
    const std::size_t aside = on_board == AlarmTable::npos ? hidden_.index_of(host, metric) : AlarmTable::npos;
    if (to == AlarmLevel::ok) {
        if (on_board != AlarmTable::npos) {
            ActiveAlarm gone = active_.take(on_board);
            board_changed();
            rebalance_pending_ = true;  // room for one not shown
            const AlarmLevel from = gone.level;
            gone.level = AlarmLevel::ok;
            gone.value = value;
            gone.since_t = t;
            gone.changed_at_local = now_local;
            gone.from_hub = from_hub;
            log_transition(gone, from);
        } else if (aside != AlarmTable::npos) {
            hidden_.take(aside);  // never shown: no transition on the board's log either
        }
        return;
    }
    if (on_board != AlarmTable::npos) {
        ActiveAlarm& a = active_.rows[on_board];
        const AlarmLevel from = a.level;
        a.level = to;
        a.value = value;
        a.since_t = t;
        a.changed_at_local = now_local;
        a.from_hub = from_hub;
        board_changed();
        log_transition(a, from);
        return;
    }
    ActiveAlarm a{host, metric, to, value, t, now_local, false, from_hub};
    AlarmLevel from = AlarmLevel::ok;
    if (aside != AlarmTable::npos) {
        const ActiveAlarm was = hidden_.take(aside);
        from = was.level;
        a.stale = was.stale;
    }
    ActiveAlarm copy = a;
    if (place(std::move(a))) {
        log_transition(copy, from);
        return;
    }
    if (aside == AlarmTable::npos) ++refused_;  // bounded: a runaway hub cannot grow the board without end
    if (hidden_.size() < kMaxNotShown) hidden_.add(std::move(copy));
}

void AlarmBoard::set_host_down(const std::string& host, bool down, double t, double now_local) {
    const AlarmLevel to = down ? AlarmLevel::crit : AlarmLevel::ok;
    if (level(host, kDownMetric) != to) set_level(host, kDownMetric, to, 0, t, now_local, false);
}

void AlarmBoard::set_host_stale(const std::string& host, bool stale) {
    for (AlarmTable* table : {&active_, &hidden_}) {
        bool changed = false;
        if (const auto* rows = table->of_host(host))
            for (const auto& kv : *rows) {
                ActiveAlarm& a = table->rows[kv.second];
                if (a.stale == stale) continue;
                a.stale = stale;
                changed = true;
            }
        if (!changed) continue;
        if (table == &active_) board_changed();
        rebalance_pending_ = true;
    }
}

void AlarmBoard::forget_host(const std::string& host) {
    forget_where([&](const ActiveAlarm& a) { return a.host == host; });
}

void AlarmBoard::forget_where(const std::function<bool(const ActiveAlarm& alarm)>& gone) {
    hidden_.erase_if(gone);
    const std::size_t before = active_.size();
    active_.erase_if(gone);  // keeps the order
    if (active_.size() == before) return;
    min_rank_ = -1;
    rebalance_pending_ = true;
}

void AlarmBoard::forget(const std::string& host, const std::string& metric) {
    const std::size_t aside = hidden_.index_of(host, metric);
    if (aside != AlarmTable::npos) hidden_.take(aside);
    const std::size_t i = active_.index_of(host, metric);
    if (i == AlarmTable::npos) return;
    active_.take(i);
    board_changed();
    rebalance_pending_ = true;
}

void AlarmBoard::mark_stale(const std::function<bool(const ActiveAlarm& alarm)>& is_stale) {
    for (AlarmTable* table : {&active_, &hidden_}) {
        bool changed = false;
        for (auto& a : table->rows) {
            const bool stale = is_stale(a);
            changed = changed || stale != a.stale;
            a.stale = stale;
        }
        if (!changed) continue;
        if (table == &active_) board_changed();
        rebalance_pending_ = true;
    }
}

}  // namespace vigil::model
