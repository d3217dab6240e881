// The fleet model (see the header).
#include "model/fleet.h"

#include "model/paging.h"

#include <algorithm>
#include <cmath>

namespace vigil::model {

Fleet::Fleet(FleetLimits limits) : limits_(limits) { reshape_series(); }

HostState* Fleet::host(const std::string& id) {
    auto it = index_.find(id);
    if (it != index_.end()) return &hosts_[it->second];
    if (hosts_.size() >= limits_.max_hosts) {
        ++refused_hosts_;
        remember(hosts_not_shown_, id);
        return nullptr;
    }
    HostState h;
    h.id = id;
    h.name = id;
    index_.emplace(id, hosts_.size());
    hosts_.push_back(std::move(h));
    return &hosts_.back();
}

const HostState* Fleet::find(const std::string& id) const {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &hosts_[it->second];
}

void Fleet::remember(std::unordered_set<std::string>& set, std::string key) {
    if (set.size() < kMaxNotShownTracked) set.insert(std::move(key));
}

void Fleet::forget_hosts_not_in(const protocol::Catalog& catalog) {
    (void)catalog;  // catalog_ids_ already holds its ids
    std::vector<HostState> kept;
    kept.reserve(hosts_.size());
    for (auto& h : hosts_) {
        if (catalog_ids_.count(h.id)) {
            kept.push_back(std::move(h));
            continue;
        }
        series_count_ -= h.series.size();
        if (h.down) --down_count_;  // its DOWN state goes with it (its alarm: apply_catalog)
    }
    hosts_ = std::move(kept);
    index_.clear();
    for (std::size_t i = 0; i < hosts_.size(); ++i) index_.emplace(hosts_[i].id, i);
}

void Fleet::apply_catalog(const protocol::Catalog& catalog) {
    has_catalog_ = true;
    catalog_ids_.clear();
    unknown_hosts_.clear();
    hosts_not_shown_.clear();
    metrics_not_shown_.clear();
    for (const auto& c : catalog.hosts) catalog_ids_.insert(c.id);
    forget_hosts_not_in(catalog);
    // Alarms of hosts it does not list go too, hub alarms for hosts that never had a sample included.
    alarms_.forget_where([&](const ActiveAlarm& a) { return !catalog_ids_.count(a.host); });
    const double limit = stale_after_intervals_ * interval_ms_;
    for (const auto& c : catalog.hosts) {
        HostState* h = host(c.id);
        if (!h) continue;
        h->name = c.name.empty() ? c.id : c.name;
        h->labels = c.labels;
        std::vector<MetricInfo> before = std::move(h->metrics);
        h->metrics = c.metrics;
        if (h->metrics.size() > limits_.max_metrics_per_host) {
            refused_metrics_ += h->metrics.size() - limits_.max_metrics_per_host;
            for (std::size_t i = limits_.max_metrics_per_host; i < h->metrics.size(); ++i)
                remember(metrics_not_shown_, h->id + "\n" + h->metrics[i].key);
            h->metrics.resize(limits_.max_metrics_per_host);
        }
        // A metric the catalog does not (or no longer) list: kept while samples carry it,
        // dropped (values, series, alarm) when it has no recent reading.
        for (const auto& m : before) {
            const bool listed = std::any_of(h->metrics.begin(), h->metrics.end(),
                                            [&](const MetricInfo& x) { return x.key == m.key; });
            if (listed) continue;
            auto seen = h->latest_wall_ms.find(m.key);
            if (seen != h->latest_wall_ms.end() && last_wall_ms_ - seen->second <= limit) {
                ensure_metric(*h, m.key);
                continue;
            }
            h->latest.erase(m.key);
            h->latest_wall_ms.erase(m.key);
            if (h->series.erase(m.key)) --series_count_;
            alarms_.forget(h->id, m.key);
        }
    }
    reshape_series();
}

bool Fleet::ensure_metric(HostState& h, const std::string& key) {
    const bool known = std::any_of(h.metrics.begin(), h.metrics.end(),
                                   [&](const MetricInfo& m) { return m.key == key; });
    if (known) return true;
    if (h.metrics.size() >= limits_.max_metrics_per_host) {
        ++refused_metrics_;
        remember(metrics_not_shown_, h.id + "\n" + key);
        return false;
    }
    h.metrics.push_back(MetricInfo{key, key, "", std::nullopt, std::nullopt});
    return true;
}

Series* Fleet::series_for(HostState& h, const std::string& key) {
    auto it = h.series.find(key);
    if (it != h.series.end()) return &it->second;
    const double max_step = stale_after_intervals_ * interval_ms_;
    Series& s = h.series.emplace(key, Series(points_per_series_, SeriesBreakRule{max_step})).first->second;
    ++series_count_;
    reshape_series();  // the point budget is now shared by one more series
    return &s;
}

double Fleet::kept_history_s() const {
    if (series_count_ == 0 || points_per_series_ == 0) return history_s_;
    return std::min(history_s_, std::ceil(static_cast<double>(points_per_series_) * interval_ms_ / 1000.0));
}

void Fleet::reshape_series() {
    std::size_t per = series_capacity_for(history_s_, interval_ms_);
    if (series_count_ > 0) per = std::min(per, std::max<std::size_t>(2, limits_.max_total_points / series_count_));
    const double max_step = stale_after_intervals_ * interval_ms_;
    if (per == points_per_series_ && series_count_ > 0) {
        return;  // nothing to resize; the break rule only changes with the settings below
    }
    points_per_series_ = per;
    for (auto& h : hosts_)
        for (auto& kv : h.series) {
            kv.second.set_capacity(per);
            kv.second.set_break_rule(SeriesBreakRule{max_step});
        }
}

void Fleet::note_head(double wall_ms, double local_ms) {
    if (head_local_ms_ < 0 || wall_ms >= last_wall_ms_) {
        last_wall_ms_ = std::max(last_wall_ms_, wall_ms);
        head_local_ms_ = local_ms;
    }
}

void Fleet::apply_samples(const protocol::Samples& frame, double local_ms, bool history) {
    const double wall = static_cast<double>(frame.t);
    note_head(wall, local_ms);  // even a frame with no hosts says the link is alive
    for (const auto& s : frame.hosts) {
        if (has_catalog_ && !catalog_ids_.count(s.host)) {
            ++unknown_host_samples_;
            remember(unknown_hosts_, s.host);
            continue;
        }
        apply_host(s, wall, local_ms, frame.seq, history);
    }
    apply_down(frame, local_ms);
}

void Fleet::apply_down(const protocol::Samples& frame, double local_ms) {
    const double wall = static_cast<double>(frame.t);
    if (wall < down_wall_ms_) return;  // a preview of a later tick already said who is DOWN
    down_wall_ms_ = wall;
    if (frame.down.empty() && down_count_ == 0) return;  // the usual frame: nothing to look at
    std::unordered_map<std::string, const protocol::HostDown*> listed;
    for (const auto& d : frame.down) {
        if (has_catalog_ && !catalog_ids_.count(d.host)) {
            remember(unknown_hosts_, d.host);
            continue;
        }
        if (host(d.host)) listed.emplace(d.host, &d);  // before a catalog: the host is added
    }
    // Frames are applied in seq order and previews are newer, so this list is the newest word.
    for (auto& h : hosts_) {
        auto it = listed.find(h.id);
        if (it == listed.end()) {
            if (!h.down) continue;
            h.down.reset();
            --down_count_;
            alarms_.set_host_down(h.id, false, wall, local_ms);
            continue;
        }
        if (!h.down) ++down_count_;
        h.down = HostDownState{it->second->reason, it->second->since};
        alarms_.set_host_down(h.id, true, static_cast<double>(it->second->since), local_ms);
    }
}

void Fleet::apply_host(const protocol::HostSamples& sample, double wall_ms, double local_ms, protocol::Seq seq,
                       bool history) {
    HostState* hp = host(sample.host);
    if (!hp) return;
    HostState& h = *hp;
    const bool newest = h.last_sample_local_ms < 0 || wall_ms >= h.last_sample_wall_ms;
    for (const auto& kv : sample.values) {
        const std::string& key = kv.first;  // (a structured binding cannot be captured in C++17)
        if (!ensure_metric(h, key)) continue;
        if (history) {
            if (Series* s = series_for(h, key)) s->push(seq, wall_ms, kv.second);
        }
        if (!newest) continue;
        h.latest[key] = kv.second;
        h.latest_wall_ms[key] = wall_ms;
        alarms_.evaluate(h.id, key, kv.second, thresholds(h, key), wall_ms, local_ms);
    }
    if (newest) {
        h.last_sample_wall_ms = wall_ms;
        h.last_sample_local_ms = local_ms;
        h.last_seq = seq;
    }
    note_head(wall_ms, local_ms);
}

void Fleet::apply_alarm(const protocol::Alarm& alarm, double local_ms) {
    // Once a catalog exists, an alarm for a host it does not list is refused like its samples:
    // counted among the unknown hosts, never held on the board.
    if (has_catalog_ && !catalog_ids_.count(alarm.host)) {
        remember(unknown_hosts_, alarm.host);
        return;
    }
    alarms_.apply_hub_alarm(alarm, local_ms);
}

void Fleet::on_new_epoch() {
    for (auto& h : hosts_)
        for (auto& kv : h.series) kv.second.break_run();
    // A hub alarm holds within its epoch: a hub that lost its journal cannot be trusted to clear
    // it, so the page's thresholds judge those pairs again from the next frame.
    alarms_.forget_where([](const ActiveAlarm& a) { return a.from_hub; });
}

void Fleet::tick(double now_local_ms) {
    const bool link_fresh = link_freshness(now_local_ms).fresh();
    alarms_.mark_stale([&](const ActiveAlarm& a) {
        // DOWN is the hub's word with every frame: old only when the frames stop coming.
        if (AlarmBoard::is_down(a)) return !link_fresh;
        const HostState* h = find(a.host);
        if (!h || !freshness(*h, now_local_ms).fresh()) return true;  // a hub alarm for a host never seen: unknown
        // The page's own alarm rests on the metric's reading; the hub's on the hub's word.
        return !a.from_hub && !metric_freshness(*h, a.metric, now_local_ms).fresh();
    });
}

void Fleet::set_interval_ms(double interval_ms) {
    if (!(interval_ms > 0) || interval_ms == interval_ms_) return;
    interval_ms_ = interval_ms;
    points_per_series_ = 0;  // force the reshape: capacity and break rule both depend on it
    reshape_series();
}

void Fleet::set_history_s(double history_s) {
    if (!(history_s > 0) || history_s == history_s_) return;
    history_s_ = history_s;
    points_per_series_ = 0;
    reshape_series();
}

void Fleet::set_stale_after_intervals(double n) {
    if (!(n > 0) || n == stale_after_intervals_) return;
    stale_after_intervals_ = n;
    points_per_series_ = 0;
    reshape_series();
}

Freshness Fleet::freshness(const HostState& h, double now_local_ms) const {
    FreshnessInputs in;
    in.sample_wall_ms = h.last_sample_wall_ms;
    in.ever_sampled = h.last_sample_local_ms >= 0;
    in.head_wall_ms = last_wall_ms_;
    in.head_local_ms = head_local_ms_;
    in.now_local_ms = now_local_ms;
    in.interval_ms = interval_ms_;
    in.stale_after_intervals = stale_after_intervals_;
    return judge_freshness(in);
}

Freshness Fleet::link_freshness(double now_local_ms) const {
    FreshnessInputs in;
    in.sample_wall_ms = last_wall_ms_;
    in.ever_sampled = head_local_ms_ >= 0;
    in.head_wall_ms = last_wall_ms_;
    in.head_local_ms = head_local_ms_;
    in.now_local_ms = now_local_ms;
    in.interval_ms = interval_ms_;
    in.stale_after_intervals = stale_after_intervals_;
    return judge_freshness(in);
}

Freshness Fleet::metric_freshness(const HostState& h, const std::string& key, double now_local_ms) const {
    auto it = h.latest_wall_ms.find(key);
    FreshnessInputs in;
    in.sample_wall_ms = it == h.latest_wall_ms.end() ? 0 : it->second;
    in.ever_sampled = it != h.latest_wall_ms.end() && h.last_sample_local_ms >= 0;
    in.head_wall_ms = last_wall_ms_;
    in.head_local_ms = head_local_ms_;
    in.now_local_ms = now_local_ms;
    in.interval_ms = interval_ms_;
    in.stale_after_intervals = stale_after_intervals_;
    return judge_freshness(in);
}

Thresholds Fleet::thresholds(const HostState& h, const std::string& metric) const {
    auto it = std::find_if(h.metrics.begin(), h.metrics.end(), [&](const MetricInfo& m) { return m.key == metric; });
    if (it == h.metrics.end()) return effective_thresholds(alarms_.rules(), metric, std::nullopt, std::nullopt);
    return effective_thresholds(alarms_.rules(), metric, it->warn, it->crit);
}

std::unordered_map<std::string, AlarmLevel> Fleet::host_levels() const {
    std::unordered_map<std::string, AlarmLevel> out;
    // The alarms a full board does not show count too: a host's cell never reads ok while it has one.
    for (const auto* list : {&alarms_.active(), &alarms_.not_shown()})
        for (const auto& a : *list) {
            auto [it, added] = out.emplace(a.host, a.level);
            if (!added && severity(a.level) > severity(it->second)) it->second = a.level;
        }
    return out;
}

std::vector<const HostState*> Fleet::screen_order(double now_local_ms) const {
    const auto levels = host_levels();
    std::vector<TileRank> ranks;
    ranks.reserve(hosts_.size());
    for (const auto& h : hosts_) {
        auto lv = levels.find(h.id);
        ranks.push_back(TileRank{h.name, h.id, lv == levels.end() ? AlarmLevel::ok : lv->second,
                                 freshness(h, now_local_ms).level, h.down.has_value()});
    }
    std::vector<const HostState*> out;
    out.reserve(hosts_.size());
    for (std::size_t i : order_tiles(ranks)) out.push_back(&hosts_[i]);
    return out;
}

}  // namespace vigil::model
