// Alarms with hysteresis: a metric enters warn/crit at its threshold and leaves only below the
// threshold minus a band, so a value jittering around a threshold does not flap. Keeps the active
// alarms, when each changed (for the UI's attention pulse) and a bounded log of transitions.
#pragma once

#include "protocol/messages.h"

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil::model {

using protocol::AlarmLevel;

struct Thresholds {
    std::optional<double> warn, crit;  // absent: that level is never entered
    bool operator==(const Thresholds& o) const { return warn == o.warn && crit == o.crit; }
};

struct AlarmRules {
    double hysteresis = 0.05;  // band below a threshold, as a fraction of the threshold
    // Per metric key (from config), each field overriding the catalog's when present.
    std::map<std::string, Thresholds> overrides;
};

// Thresholds for a metric: the catalog's, with the config's fields on top.
Thresholds effective_thresholds(const AlarmRules& rules, const std::string& metric,
                                const std::optional<double>& catalog_warn,
                                const std::optional<double>& catalog_crit);

// The level after `value`, coming from `current`. Higher is worse, unless both thresholds are
// set with crit < warn (free space, say): then lower is worse and the bands are mirrored.
// A value that is not finite changes nothing.
AlarmLevel next_alarm_level(AlarmLevel current, double value, const Thresholds& thresholds,
                            double hysteresis);

int severity(AlarmLevel level);  // ok 0, warn 1, crit 2

struct ActiveAlarm {
    std::string host, metric;
    AlarmLevel level = AlarmLevel::warn;  // never ok: an alarm back to ok leaves the board
    double value = 0;                     // newest value seen
    double since_t = 0;                   // hub time (Unix ms) it entered its current level
    double changed_at_local = 0;          // page time of that change: pulse for ~2 s after it
    bool stale = false;                   // its host has gone stale: the value may be old
    bool from_hub = false;                // set by a hub `alarm` message rather than locally
};

struct AlarmTransition {
    std::string host, metric;
    AlarmLevel from = AlarmLevel::ok, to = AlarmLevel::ok;
    double value = 0;
    double t = 0;         // hub time, Unix ms
    double local_ms = 0;  // page time it was seen
    bool from_hub = false;
};

struct AlarmCounts {
    int warn = 0, crit = 0;
    int stale = 0;  // of warn + crit, how many belong to stale hosts
    int total() const { return warn + crit; }
    void add(const ActiveAlarm& a) {
        (a.level == AlarmLevel::crit ? crit : warn) += 1;
        if (a.stale) ++stale;
    }
};

// Alarms by (host, metric): rows in a vector, found through a per-host index of row numbers.
class AlarmTable {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::vector<ActiveAlarm> rows;

    std::size_t index_of(const std::string& host, const std::string& metric) const;
    ActiveAlarm* find(const std::string& host, const std::string& metric);
    const ActiveAlarm* find(const std::string& host, const std::string& metric) const;
    // Row numbers of one host's alarms (nullptr: none).
    const std::unordered_map<std::string, std::size_t>* of_host(const std::string& host) const;
    void add(ActiveAlarm a);
    ActiveAlarm take(std::size_t row);  // the last row moves into its place
    void erase_if(const std::function<bool(const ActiveAlarm& alarm)>& gone);
    void reindex();                     // after the rows were reordered
    std::size_t size() const { return rows.size(); }
    bool empty() const { return rows.empty(); }

private:
    std::unordered_map<std::string, std::unordered_map<std::string, std::size_t>> at_;  // host -> metric -> row
};

class AlarmBoard {
public:
    static constexpr std::size_t kDefaultLogCapacity = 200;
    static constexpr std::size_t kDefaultMaxActive = 4096;
    static constexpr std::size_t kMaxNotShown = 65536;  // alarms kept aside when the board is full
    static constexpr double kPulseMs = 2000;

    explicit AlarmBoard(AlarmRules rules = {}, std::size_t log_capacity = kDefaultLogCapacity,
                        std::size_t max_active = kDefaultMaxActive);

    void set_rules(AlarmRules rules) { rules_ = std::move(rules); }
    const AlarmRules& rules() const { return rules_; }

    // A sample of `metric` on `host` at hub time t, seen at page time now_local. Returns the level.
    AlarmLevel evaluate(const std::string& host, const std::string& metric, double value,
                        const Thresholds& thresholds, double t, double now_local);

    // A hub-sent alarm sets the level as the hub judged it (ok clears it). While a hub alarm
    // (warn or crit) holds for a host and metric, the page's own thresholds do not judge that
    // pair: evaluate() only updates its value, until the hub sends `ok` for it or the pair
    // leaves the catalog (forget()).
    void apply_hub_alarm(const protocol::Alarm& alarm, double now_local);

    // A host the hub cannot reach (samples.down) holds one crit alarm under kDownMetric, a key no
    // metric uses, that entered at hub time `t` (the outage's since) and leaves when the host is
    // up again (t: the hub time of the frame that says so). No threshold judges that pair.
    static constexpr const char* kDownMetric = "\x01" "down";
    static bool is_down(const ActiveAlarm& alarm) { return alarm.metric == kDownMetric; }
    void set_host_down(const std::string& host, bool down, double t, double now_local);

    // A host or one of its metrics left the catalog: its alarms go, without a transition.
    void forget_host(const std::string& host);
    void forget(const std::string& host, const std::string& metric);
    // Every alarm `gone` says so (a new catalog: hosts it does not list, with or without samples).
    void forget_where(const std::function<bool(const ActiveAlarm& alarm)>& gone);

    // Stale hosts keep their alarms, marked stale.
    void set_host_stale(const std::string& host, bool stale);
    // The same for every alarm in one pass (once per screen frame).
    void mark_stale(const std::function<bool(const ActiveAlarm& alarm)>& is_stale);

    // Worst first, then fresh before stale, then most recently changed, then host and metric.
    // Sorted when read after a change (once per frame, not per alarm).
    const std::vector<ActiveAlarm>& active() const;
    const ActiveAlarm* find(const std::string& host, const std::string& metric) const;  // on the board
    // A pair's and a host's worst level, on the board or not shown (a full board hides no crit
    // from the host's cell).
    AlarmLevel level(const std::string& host, const std::string& metric) const;
    AlarmLevel host_level(const std::string& host) const;  // worst of the host's alarms
    AlarmCounts counts() const;                            // of the board's alarms

    // A full board (max_active) keeps the most severe: a new alarm evicts the least severe (warn
    // before crit, stale before fresh, oldest first; DOWN above all) when it ranks higher, else it
    // waits here. Alarms not shown are still judged (hysteresis, ok) and come back to the board,
    // best first, as soon as room frees or they outrank one there. Unordered; at most kMaxNotShown.
    const std::vector<ActiveAlarm>& not_shown() const;
    std::size_t not_shown_count() const;

    // Transitions, oldest first; at most log_capacity, the oldest dropped first.
    const std::deque<AlarmTransition>& log() const { return log_; }
    std::size_t refused() const { return refused_; }  // times an alarm was left off the full board

    // Whether the UI should still pulse for this alarm's last change.
    static bool pulsing(const ActiveAlarm& alarm, double now_local, double pulse_ms = kPulseMs) {
        return now_local >= alarm.changed_at_local && now_local - alarm.changed_at_local < pulse_ms;
    }

private:
    void set_level(const std::string& host, const std::string& metric, AlarmLevel to, double value,
                   double t, double now_local, bool from_hub);
    ActiveAlarm* locate(const std::string& host, const std::string& metric);  // board, then not shown
    bool place(ActiveAlarm alarm);  // onto the board (evicting a lower one if full); false: not shown
    void log_transition(const ActiveAlarm& a, AlarmLevel from);
    void board_changed() const;     // its order and lowest rank are to be worked out again
    int board_min_rank() const;
    void rebalance() const;         // not-shown alarms back onto the board where they belong
    void settle() const;            // rebalanced and sorted: before any read of the board

    AlarmRules rules_;
    std::size_t log_capacity_, max_active_;
    // Read lazily (settle()): the board sorts and rebalances once when read after changes.
    mutable AlarmTable active_, hidden_;
    mutable bool sorted_ = true, rebalance_pending_ = false;
    mutable int min_rank_ = -1;  // lowest keep rank on the board; -1: to be worked out
    mutable std::size_t refused_ = 0;
    std::deque<AlarmTransition> log_;
};

}  // namespace vigil::model
