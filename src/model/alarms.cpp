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

AlarmBoard::AlarmBoard(AlarmRules rules, std::size_t log_capacity, std::size_t max_active)
    : rules_(std::move(rules)), log_capacity_(std::max<std::size_t>(1, log_capacity)), max_active_(max_active) {}

std::vector<ActiveAlarm>::iterator AlarmBoard::locate(const std::string& host, const std::string& metric) {
    return std::find_if(active_.begin(), active_.end(),
                        [&](const ActiveAlarm& a) { return a.host == host && a.metric == metric; });
}

const ActiveAlarm* AlarmBoard::find(const std::string& host, const std::string& metric) const {
    auto it = std::find_if(active_.begin(), active_.end(),
                           [&](const ActiveAlarm& a) { return a.host == host && a.metric == metric; });
    return it == active_.end() ? nullptr : &*it;
}

AlarmLevel AlarmBoard::level(const std::string& host, const std::string& metric) const {
    const ActiveAlarm* a = find(host, metric);
    return a ? a->level : AlarmLevel::ok;
}

AlarmLevel AlarmBoard::host_level(const std::string& host) const {
    int worst = 0;
    for (const auto& a : active_)
        if (a.host == host) worst = std::max(worst, severity(a.level));
    return from_severity(worst);
}

AlarmCounts AlarmBoard::counts() const {
    AlarmCounts c;
    for (const auto& a : active_) c.add(a);
    return c;
}

AlarmLevel AlarmBoard::evaluate(const std::string& host, const std::string& metric, double value,
                                const Thresholds& thresholds, double t, double now_local) {
    if (metric == kDownMetric) return level(host, metric);  // not a reading: set_host_down's
    auto it = locate(host, metric);
    if (it != active_.end() && it->from_hub) {
        // The hub's alarm holds until the hub clears it: the page's thresholds (which may differ
        // from the hub's, or be absent) would otherwise undo it at the next frame.
        if (std::isfinite(value)) it->value = value;
        return it->level;
    }
    const AlarmLevel current = it == active_.end() ? AlarmLevel::ok : it->level;
    const AlarmLevel next = next_alarm_level(current, value, thresholds, rules_.hysteresis);
    if (next != current) {
        set_level(host, metric, next, value, t, now_local, false);
    } else if (it != active_.end() && std::isfinite(value)) {
        it->value = value;  // same level: the board shows the newest value
    }
    return level(host, metric);
}

void AlarmBoard::apply_hub_alarm(const protocol::Alarm& alarm, double now_local) {
    if (alarm.metric == kDownMetric) return;  // DOWN comes with the frames, not as an alarm
    auto it = locate(alarm.host, alarm.metric);
    const AlarmLevel current = it == active_.end() ? AlarmLevel::ok : it->level;
    if (alarm.level != current) {
        set_level(alarm.host, alarm.metric, alarm.level, alarm.value, static_cast<double>(alarm.t), now_local, true);
    } else if (it != active_.end()) {
        it->value = alarm.value;
        it->from_hub = true;
    }
}

void AlarmBoard::set_level(const std::string& host, const std::string& metric, AlarmLevel to, double value,
                           double t, double now_local, bool from_hub) {
    auto it = locate(host, metric);
    const AlarmLevel from = it == active_.end() ? AlarmLevel::ok : it->level;
    if (to == AlarmLevel::ok) {
        if (it != active_.end()) active_.erase(it);  // erase keeps the order
    } else if (it != active_.end()) {
        it->level = to;
        it->value = value;
        it->since_t = t;
        it->changed_at_local = now_local;
        it->from_hub = from_hub;
        sort_active();
    } else {
        if (active_.size() >= max_active_) {
            ++refused_;  // bounded: a runaway hub cannot grow the board without end
            return;
        }
        active_.push_back(ActiveAlarm{host, metric, to, value, t, now_local, false, from_hub});
        sort_active();
    }
    log_.push_back(AlarmTransition{host, metric, from, to, value, t, now_local, from_hub});
    while (log_.size() > log_capacity_) log_.pop_front();
}

void AlarmBoard::set_host_down(const std::string& host, bool down, double t, double now_local) {
    const AlarmLevel to = down ? AlarmLevel::crit : AlarmLevel::ok;
    if (level(host, kDownMetric) != to) set_level(host, kDownMetric, to, 0, t, now_local, false);
}

void AlarmBoard::set_host_stale(const std::string& host, bool stale) {
    bool changed = false;
    for (auto& a : active_)
        if (a.host == host && a.stale != stale) {
            a.stale = stale;
            changed = true;
        }
    if (changed) sort_active();
}

void AlarmBoard::forget_host(const std::string& host) {
    forget_where([&](const ActiveAlarm& a) { return a.host == host; });
}

void AlarmBoard::forget_where(const std::function<bool(const ActiveAlarm& alarm)>& gone) {
    active_.erase(std::remove_if(active_.begin(), active_.end(), gone), active_.end());
}

void AlarmBoard::forget(const std::string& host, const std::string& metric) {
    auto it = locate(host, metric);
    if (it != active_.end()) active_.erase(it);
}

void AlarmBoard::mark_stale(const std::function<bool(const ActiveAlarm& alarm)>& is_stale) {
    bool changed = false;
    for (auto& a : active_) {
        const bool stale = is_stale(a);
        changed = changed || stale != a.stale;
        a.stale = stale;
    }
    if (changed) sort_active();
}

void AlarmBoard::sort_active() {
    std::stable_sort(active_.begin(), active_.end(), [](const ActiveAlarm& a, const ActiveAlarm& b) {
        if (a.level != b.level) return severity(a.level) > severity(b.level);
        if (a.stale != b.stale) return !a.stale;
        if (a.changed_at_local != b.changed_at_local) return a.changed_at_local > b.changed_at_local;
        if (a.host != b.host) return a.host < b.host;
        return a.metric < b.metric;
    });
}

}  // namespace vigil::model
