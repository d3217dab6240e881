// What the screen knows about the fleet: hosts, their metrics' latest values and history, when
// each host was last heard of, how fresh that is, and the alarms. No I/O, no clock of its own:
// times are passed in (hub times are Unix ms, local times the page's monotonic ms).
#pragma once

#include "model/alarms.h"
#include "model/freshness.h"
#include "model/series.h"
#include "protocol/messages.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace vigil::model {

using protocol::MetricInfo;

// Why the hub cannot reach a host, and since when (samples.down).
struct HostDownState {
    std::string reason;      // the hub's words: "connection refused", "timeout after 800 ms"...
    std::int64_t since = 0;  // hub time (Unix ms) of the outage's first failure
};

struct HostState {
    std::string id, name;
    std::vector<MetricInfo> metrics;         // from the catalog, in display order
    std::map<std::string, double> latest;    // metric key -> latest value
    std::map<std::string, double> latest_wall_ms;  // metric key -> hub time of that value
    std::map<std::string, Series> series;    // metric key -> recent history
    double last_sample_wall_ms = 0;          // hub time (Unix ms) of the newest sample applied
    double last_sample_local_ms = -1;        // page monotonic time when it arrived; -1: never
    protocol::Seq last_seq = 0;              // seq of the frame that carried it (0: unknown)
    // DOWN: the last applied frame listed the host in `down` (its last values are kept but are
    // not live). Not the same as stale, which is judged from the age of the values.
    std::optional<HostDownState> down;
    std::vector<std::pair<std::string, std::string>> labels;  // from the catalog, in its order
};

// Bounds that hold whatever a hub sends.
struct FleetLimits {
    // 5,000: the overview shows a fleet that size on one screen (issue 13); series memory stays
    // bounded by max_total_points, so more hosts means a shorter history per series.
    std::size_t max_hosts = 5000;
    std::size_t max_metrics_per_host = 32;
    // All series together never hold more points than this (32 B each: 32 MiB by default);
    // with many series, each keeps a shorter history.
    std::size_t max_total_points = std::size_t{1} << 20;
};

class Fleet {
public:
    explicit Fleet(FleetLimits limits = {});

    // The list of hosts and their metrics. A catalog replaces the previous one: a host it does
    // not list leaves the fleet (its values, series and alarms with it); a listed host keeps the
    // values already received. A metric the catalog does not list stays while samples carry it
    // (every key a backend sends is shown), and goes when it is not fresh at the new catalog.
    void apply_catalog(const protocol::Catalog& catalog);

    // A frame taken at hub time frame.t, arriving at page time `local_ms`. Apply only frames the
    // SeqTracker accepted; a frame missing seqs before it starts new runs in every series.
    // Once a catalog was applied, a host the catalog does not list is not added: its samples
    // are dropped and counted (unknown_hosts()). Before any catalog, hosts come from samples.
    // history = false: a preview (protocol::Preview), shown as the latest values (alarms,
    // freshness, DOWN) and put into no series; the stored frame of its tick fills the history.
    void apply_samples(const protocol::Samples& frame, double local_ms, bool history = true);

    // A frame's `down` list is the full set of hosts DOWN at that frame: applied with the frame
    // (apply_samples), each one listed is DOWN with its reason and since and holds a crit alarm
    // (AlarmBoard::kDownMetric); every other host is up. Before any catalog a host listed is
    // added; once there is one, an unlisted host is counted like its samples (unknown_hosts).
    // A frame older than the one whose list was applied last (a stored frame arriving after the
    // preview of a later tick) leaves the DOWN states as they are: it is older news.

    // One host's values taken at hub time `wall_ms`. Hosts not in the catalog are added with
    // their id as name (legacy backends send no catalog). A sample older than the host's newest
    // is kept out of latest values and alarms (it cannot be newer news). history = false: no
    // series point (a preview), so a stored frame of the same time still makes one.
    void apply_host(const protocol::HostSamples& sample, double wall_ms, double local_ms,
                    protocol::Seq seq = 0, bool history = true);

    // A hub `alarm` message.
    void apply_alarm(const protocol::Alarm& alarm, double local_ms);

    // A new epoch (SeqTracker::on_welcome returned true): seqs start over, so no series joins its
    // next point to what it holds.
    void on_new_epoch();

    // Once per screen frame: marks the alarms of stale hosts stale.
    void tick(double now_local_ms);

    // ---- settings (from welcome and the page config) -------------------------------------
    void set_interval_ms(double interval_ms);       // welcome.interval_ms
    void set_history_s(double history_s);           // how much history series keep
    void set_stale_after_intervals(double n);
    void set_alarm_rules(AlarmRules rules) { alarms_.set_rules(std::move(rules)); }
    double interval_ms() const { return interval_ms_; }
    double history_s() const { return history_s_; }
    double stale_after_intervals() const { return stale_after_intervals_; }

    // ---- reading -------------------------------------------------------------------------
    const std::vector<HostState>& hosts() const { return hosts_; }
    const HostState* find(const std::string& id) const;

    // Hub time of the newest sample of any host (0 when none).
    double last_sample_wall_ms() const { return last_wall_ms_; }
    // Page time the frame carrying that newest sample arrived (-1: none yet).
    double head_local_ms() const { return head_local_ms_; }

    // fresh / stale / never for one host, with the estimated age of its newest sample.
    Freshness freshness(const HostState& host, double now_local_ms) const;
    // The same for the whole link: how old the fleet's newest sample is (banner LIVE vs STALE).
    Freshness link_freshness(double now_local_ms) const;
    // The same for one metric of a host, from that metric's own newest reading: a metric left
    // out of the frames (no reading) goes stale while its host stays fresh. never: no reading yet.
    Freshness metric_freshness(const HostState& host, const std::string& key, double now_local_ms) const;

    const AlarmBoard& alarms() const { return alarms_; }
    // How many hosts are DOWN now (the last applied frame's `down`, hosts of the catalog only).
    std::size_t down_count() const { return down_count_; }

    // Hosts in display order (model/paging.h: alarmed, stale, never heard, fresh; by name).
    // The pointers (like find()'s) are valid until the next apply_*.
    std::vector<const HostState*> screen_order(double now_local_ms) const;

    // Each alarmed host's worst active alarm, in one pass over the board (hosts without an
    // alarm are absent: ok). At 5,000 hosts a per-host scan of the board per frame would not do.
    std::unordered_map<std::string, AlarmLevel> host_levels() const;

    // Thresholds of a host's metric as alarms use them (catalog + config overrides).
    Thresholds thresholds(const HostState& host, const std::string& metric) const;

    // Hosts and metrics refused at the limits (a runaway hub), for the debug overlay.
    std::size_t refused_hosts() const { return refused_hosts_; }
    std::size_t refused_metrics() const { return refused_metrics_; }
    // Distinct hosts and (host, metric) pairs left off the screen by the limits since the last
    // catalog, for "N hosts not shown" (counted up to kMaxNotShownTracked each).
    static constexpr std::size_t kMaxNotShownTracked = 65536;
    std::size_t hosts_not_shown() const { return hosts_not_shown_.size(); }
    std::size_t metrics_not_shown() const { return metrics_not_shown_.size(); }
    // Host entries of samples frames dropped because the catalog does not list the host, and
    // how many distinct such hosts since the last catalog (up to kMaxNotShownTracked).
    bool has_catalog() const { return has_catalog_; }
    std::uint64_t unknown_host_samples() const { return unknown_host_samples_; }
    std::size_t unknown_hosts() const { return unknown_hosts_.size(); }
    std::size_t series_count() const { return series_count_; }
    std::size_t points_per_series() const { return points_per_series_; }
    // Seconds of history the series hold at this fleet's size (the point budget is shared, so
    // 5,000 hosts keep 26 s at 1 Hz): what the page asks the hub to backfill after a reconnect,
    // never frames it has no room for. history_s() until samples made any series.
    double kept_history_s() const;

    // Live data arrived at local_ms whatever its own time says (a backend's messages: never a
    // replay), so the data is as fresh as its arrival.
    void note_arrival(double local_ms) { head_local_ms_ = std::max(head_local_ms_, local_ms); }

private:
    HostState* host(const std::string& id);
    Series* series_for(HostState& h, const std::string& key);
    bool ensure_metric(HostState& h, const std::string& key);
    void note_head(double wall_ms, double local_ms);
    void reshape_series();
    void forget_hosts_not_in(const protocol::Catalog& catalog);
    void apply_down(const protocol::Samples& frame, double local_ms);
    void remember(std::unordered_set<std::string>& set, std::string key);

    FleetLimits limits_;
    std::vector<HostState> hosts_;
    std::unordered_map<std::string, std::size_t> index_;  // id -> position in hosts_
    AlarmBoard alarms_;
    double last_wall_ms_ = 0;
    double head_local_ms_ = -1;
    double interval_ms_ = 1000;
    double history_s_ = 600;
    double stale_after_intervals_ = 3;
    std::size_t series_count_ = 0;
    std::size_t points_per_series_ = 0;
    std::size_t refused_hosts_ = 0, refused_metrics_ = 0;
    std::unordered_set<std::string> hosts_not_shown_, metrics_not_shown_;  // "id", "id\nkey"
    bool has_catalog_ = false;
    std::unordered_set<std::string> catalog_ids_;  // every id the catalog lists, shown or not
    std::unordered_set<std::string> unknown_hosts_;
    std::uint64_t unknown_host_samples_ = 0;
    std::size_t down_count_ = 0;
    double down_wall_ms_ = 0;  // hub time of the frame whose `down` list was applied last
};

}  // namespace vigil::model
