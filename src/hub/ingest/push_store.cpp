// Pushed hosts: bodies in, catalog entries, frame values and DOWN hosts out (push_store.h).
#include "hub/ingest/push_store.h"

#include "hub/ingest/screen_metrics.h"
#include "hub/sources/exposition_parser.h"
#include "hub/sources/node_profile.h"
#include "protocol/decode_limits.h"
#include "protocol/nesting_scan.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vigil::hub::ingest {

namespace {
constexpr std::size_t kMaxKeyBytes = protocol::DecodeLimits{}.max_name_bytes;
// The page refuses a host of more keys than this (catalog and frame alike).
static_assert(PushOptions{}.max_keys <= protocol::DecodeLimits{}.max_metrics);
constexpr std::size_t kMaxJsonDepth = 8;    // {"hosts":{"h":{"k":1}}} is 3
constexpr unsigned kSweepEveryBodies = 100; // series unseen for that many bodies are forgotten
}  // namespace

const char* outcome_name(LineOutcome o) {
    switch (o) {
        case LineOutcome::accepted: return "accepted";
        case LineOutcome::parse_error: return "parse_error";
        case LineOutcome::no_host: return "no_host";
        case LineOutcome::bad_host: return "bad_host";
        case LineOutcome::host_taken: return "host_taken";
        case LineOutcome::too_many_hosts: return "too_many_hosts";
        case LineOutcome::too_many_keys: return "too_many_keys";
        case LineOutcome::bad_key: return "bad_key";
    }
    return "unknown";
}

void IngestResult::count(LineOutcome o, std::size_t line, std::string_view host, std::string message) {
    ++by_outcome[std::size_t(o)];
    if (o == LineOutcome::accepted) {
        ++accepted;
        return;
    }
    ++rejected;
    if (errors.size() < kMaxErrors) errors.push_back({line, std::string(host), std::move(message)});
}

bool valid_host_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-' || c == ':';
    });
}

PushStore::PushStore(PushOptions options) : options_(options), parser_([&] {
    sources::LineProtocolLimits limits;
    limits.max_body_bytes = options.max_body_bytes;
    return limits;
}()) {}

PushStore::Host* PushStore::host_for(std::string_view id, LineOutcome* refused) {
    if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
    if (!valid_host_id(id)) *refused = LineOutcome::bad_host;
    else if (taken_ && taken_(id)) *refused = LineOutcome::host_taken;
    else if (hosts_.size() >= options_.max_hosts) *refused = LineOutcome::too_many_hosts;
    else {
        auto h = std::make_unique<Host>();
        h->id = std::string(id);
        Host* raw = h.get();
        hosts_.push_back(std::move(h));
        by_id_.emplace(raw->id, raw);
        ++generation_;
        return raw;
    }
    return nullptr;
}

std::optional<LineOutcome> PushStore::admit_key(Host& h, std::string_view key) {
    if (auto it = h.keys.find(key); it != h.keys.end()) {
        it->second.last_s = h.last_push_s;
        return std::nullopt;
    }
    // Valid UTF-8 too: the line parser refuses other lines already; this holds for every path.
    if (key.empty() || key.size() > kMaxKeyBytes || !sources::valid_utf8(key)) return LineOutcome::bad_key;
    if (h.keys.size() >= options_.max_keys && !forget_silent_keys(h)) return LineOutcome::too_many_keys;
    h.keys.emplace(std::string(key), Host::Key{screen_metric_rank(key), h.last_push_s});
    ++generation_;
    return std::nullopt;
}

double PushStore::forget_after_s() const {
    return std::max(options_.forget_after_s, down_after_s() + options_.interval_ms / 1000.0);
}

bool PushStore::forget_silent_keys(Host& h) {
    if (options_.forget_after_s <= 0) return false;
    const double after_s = forget_after_s();
    std::size_t gone = 0;
    for (auto it = h.keys.begin(); it != h.keys.end();) {
        if (h.last_push_s - it->second.last_s < after_s) {
            ++it;
            continue;
        }
        h.pending.erase(it->first);
        it = h.keys.erase(it);
        ++gone;
    }
    if (gone == 0) return false;
    forgotten_keys_ += gone;
    ++generation_;  // the catalog is resent without them
    return true;
}

void PushStore::touch(Host& h, std::int64_t unix_ms, double now_s) {
    h.last_push_unix_ms = unix_ms;
    h.last_push_s = now_s;
    if (!h.in_body) {
        h.in_body = true;
        touched_.push_back(&h);
    }
}

void PushStore::finish_body() {
    for (Host* h : touched_) {
        // The latest rate of each series in this body, summed per key: a body carrying two gathers
        // of one interface counts it once, and interfaces add up as node_profile's do.
        std::map<std::string_view, double> sums;
        for (auto& [series, kr] : h->body_rates) sums[kr.first] += kr.second;
        for (auto& [key, sum] : sums) h->pending.insert_or_assign(std::string(key), sum);
        h->body_rates.clear();
        if (h->body_temp && !admit_key(*h, "temp")) h->pending.insert_or_assign("temp", *h->body_temp);
        h->body_temp.reset();
        if (++h->bodies >= kSweepEveryBodies) {
            h->rates.sweep();
            forget_silent_keys(*h);
            h->bodies = 0;
        }
        h->in_body = false;
    }
    touched_.clear();
}

IngestResult PushStore::ingest_lines(std::string_view body, sources::Precision precision, std::int64_t unix_ms,
                                     double now_s) {
    IngestResult r;
    forget_silent(now_s);  // here too: a standby hub (--nats) never collects, and would keep every id
    parser_.reset(body, precision);
    const sources::IngestMapping mapping;
    for (sources::LineEntry e; (e = parser_.next()) != sources::LineEntry::end;) {
        if (e == sources::LineEntry::error) {
            r.count(LineOutcome::parse_error, parser_.error().line, {}, parser_.error().describe());
            continue;
        }
        const auto& p = parser_.point();
        const std::size_t line = parser_.line();
        sources::map_point(p, mapping, &mapped_);
        if (mapped_.host.empty()) {
            r.count(LineOutcome::no_host, line, {}, "line " + std::to_string(line) + ": no host tag");
            continue;
        }
        LineOutcome refused = LineOutcome::accepted;
        Host* h = host_for(mapped_.host, &refused);
        if (!h) {
            r.count(refused, line, mapped_.host,
                    "line " + std::to_string(line) + ": host " + std::string(mapped_.host).substr(0, 64) + ": " +
                        outcome_name(refused));
            continue;
        }
        touch(*h, unix_ms, now_s);
        std::optional<LineOutcome> bad;
        if (p.measurement == "temp") {
            // Telegraf's temp input: one line per sensor; the screen's temp is the hottest, and
            // readings outside (-50, 200) °C are unplugged sensors (as node_profile's rule).
            if (const auto* f = p.field("temp"); f && f->numeric() && f->value > -50 && f->value < 200)
                h->body_temp = std::max(h->body_temp.value_or(f->value), f->value);
            r.count(LineOutcome::accepted, line, {}, {});
            continue;
        }
        if (p.measurement == "system")
            if (const auto* f = p.field("n_cpus"); f && f->numeric() && f->value >= 1 && h->cores != f->value) {
                h->cores = f->value;  // load thresholds follow the core count
                ++generation_;
            }
        const double t_s = double(p.timestamp_ms.value_or(unix_ms)) / 1000.0;  // rates over the gather times
        for (auto& s : mapped_.samples) {
            if (auto refusal = admit_key(*h, s.key)) {
                if (!bad) bad = refusal;
                continue;
            }
            if (!s.rate) h->pending.insert_or_assign(s.key, s.value);
            else if (auto rate = h->rates.update(s.rate_key, s.value, t_s))
                h->body_rates.insert_or_assign(s.rate_key, std::pair{s.key, *rate});
        }
        if (bad)
            r.count(*bad, line, h->id,
                    "line " + std::to_string(line) + ": host " + h->id + ": " + outcome_name(*bad) +
                        " (other values of the line kept)");
        else
            r.count(LineOutcome::accepted, line, {}, {});
    }
    finish_body();
    return r;
}

IngestResult PushStore::ingest_json(std::string_view body, std::int64_t unix_ms, double now_s) {
    using nlohmann::json;
    IngestResult r;
    forget_silent(now_s);
    auto whole = [&](std::string message) {
        r.count(LineOutcome::parse_error, 0, {}, std::move(message));
        return r;
    };
    if (body.size() > options_.max_body_bytes) return whole("body larger than the limit");
    if (protocol::json_nesting_depth(body, kMaxJsonDepth) > kMaxJsonDepth) return whole("JSON nested too deep");
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded()) return whole("not JSON");
    if (!j.is_object()) return whole("the body must be an object {\"hosts\":{...}}");
    if (auto t = j.find("t"); t != j.end() && !t->is_number()) return whole("t must be a number (Unix ms)");
    auto hosts = j.find("hosts");
    if (hosts == j.end() || !hosts->is_object()) return whole("hosts must be an object of host id -> {key: number}");
    for (auto& [id, values] : hosts->items()) {
        auto refuse = [&](LineOutcome o, const std::string& why) { r.count(o, 0, id.substr(0, 128), "host " + id.substr(0, 64) + ": " + why); };
        if (!values.is_object()) {
            refuse(LineOutcome::parse_error, "values must be an object {key: number}");
            continue;
        }
        std::string problem;
        for (auto& [key, v] : values.items()) {
            if (!v.is_number() || !std::isfinite(v.get<double>())) problem = key.substr(0, 64) + " must be a finite number";
            else if (key.empty() || key.size() > kMaxKeyBytes) problem = "a key must be 1-256 bytes";
            if (!problem.empty()) break;
        }
        if (!problem.empty()) {
            refuse(LineOutcome::parse_error, problem);
            continue;
        }
        LineOutcome refused = LineOutcome::accepted;
        Host* h = host_for(id, &refused);
        if (!h) {
            refuse(refused, outcome_name(refused));
            continue;
        }
        touch(*h, unix_ms, now_s);
        std::optional<LineOutcome> bad;
        for (auto& [key, v] : values.items()) {
            if (auto refusal = admit_key(*h, key)) {
                if (!bad) bad = refusal;
                continue;
            }
            h->pending.insert_or_assign(key, v.get<double>());
        }
        if (bad) refuse(*bad, std::string(outcome_name(*bad)) + " (other values kept)");
        else r.count(LineOutcome::accepted, 0, {}, {});
    }
    finish_body();
    return r;
}

std::vector<const std::string*> PushStore::ordered_keys(const Host& h) const {
    std::vector<std::pair<int, const std::string*>> ranked;
    ranked.reserve(h.keys.size());
    // Known keys in local_host.cpp's order, then the others by name (the map's order, kept by
    // stable_sort), then cpuN by core: the page shows a host's first keys, and a many-core host's
    // cpuN would push a site's own keys out of sight (as the scrape profile's mappings, first too).
    constexpr int kCores = 1 << 20;
    for (auto& [key, k] : h.keys)
        ranked.emplace_back(k.rank < 0 ? kCores : sources::core_key_number(key) >= 0 ? kCores + 1 + k.rank : k.rank, &key);
    std::stable_sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) { return a.first < b.first; });
    std::vector<const std::string*> out;
    out.reserve(ranked.size());
    for (auto& [rank, key] : ranked) out.push_back(key);
    return out;
}

void PushStore::describe(std::vector<protocol::HostInfo>& out) const {
    for (auto& h : hosts_) {
        protocol::HostInfo info;
        info.id = h->id;
        info.name = h->id;
        std::size_t cpus = 0;
        for (auto& [key, k] : h->keys) cpus += k.rank >= 10 ? 1 : 0;  // cpuN ranks follow the 10 known keys
        const double cores = h->cores.value_or(double(std::max<std::size_t>(1, cpus)));
        for (const std::string* key : ordered_keys(*h))
            info.metrics.push_back(screen_metric(*key, cores).value_or(protocol::MetricInfo{*key, *key, "", std::nullopt, std::nullopt}));
        out.push_back(std::move(info));
    }
}

std::string PushStore::down_reason() const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "no push for %g s", down_after_s());
    return buf;
}

std::size_t PushStore::down_count(double now_s) const {
    return std::size_t(std::count_if(hosts_.begin(), hosts_.end(),
                                     [&](auto& h) { return now_s - h->last_push_s >= down_after_s(); }));
}

void PushStore::forget_silent(double now_s) {
    if (options_.forget_after_s <= 0) return;
    // Never before a frame showed the host DOWN: forgetting must not hide an outage that just began.
    const double after_s = forget_after_s();
    const auto silent = [&](const std::unique_ptr<Host>& h) { return now_s - h->last_push_s >= after_s; };
    if (std::none_of(hosts_.begin(), hosts_.end(), silent)) return;
    for (auto& h : hosts_)
        if (silent(h)) {
            by_id_.erase(h->id);
            ++forgotten_;
        }
    hosts_.erase(std::remove_if(hosts_.begin(), hosts_.end(), silent), hosts_.end());
    ++generation_;  // the catalog loses them; a later push makes the id a new host
}

void PushStore::collect(protocol::Samples& frame, std::int64_t, double now_s) {
    forget_silent(now_s);
    const std::int64_t down_ms = std::int64_t(options_.interval_ms) * options_.down_intervals;
    for (auto& h : hosts_) {
        if (now_s - h->last_push_s >= down_after_s()) {
            frame.down.push_back({h->id, down_reason(), h->last_push_unix_ms + down_ms});
            h->pending.clear();
            continue;
        }
        if (h->pending.empty()) continue;  // once per push: a stopped pusher goes stale, then DOWN
        protocol::HostSamples hs;
        hs.host = h->id;
        hs.values.reserve(h->pending.size());
        for (const std::string* key : ordered_keys(*h))
            if (auto it = h->pending.find(*key); it != h->pending.end()) hs.values.emplace_back(*key, it->second);
        frame.hosts.push_back(std::move(hs));
        h->pending.clear();
    }
}

}  // namespace vigil::hub::ingest
