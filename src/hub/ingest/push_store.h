// The hosts that push to POST /ingest: InfluxDB line protocol or our samples JSON in, catalog
// entries, one frame's values and DOWN hosts out. Pure (the caller gives both clocks), so the
// hub's PushSource (hub/push_source.h) is a thin adapter and tests drive time by hand.
// Implemented features:
//  [X] a host appears on its first push (id = name = the host tag); known keys get the screen's
//      labels, units, thresholds (screen_metrics.h), others are listed plain
//  [X] values in the next frame only (once per push); DOWN "no push for N s" after N intervals
//  [X] Telegraf net/diskio counters rated per host and series; temp = hottest sensor of a body
//  [X] bounds: hosts (refused per line beyond), keys per host; ids used by other sources refused
//  [X] a host silent for `forget_after_s` (default 24 h) is forgotten: out of the catalog, its slot freed
//  [X] so is a key a host has not sent for `forget_after_s` (its metric greyed until then): a host
//      whose fields change over months does not reach max_keys and then refuse its new ones
//  [ ] labels from tags (tags are series dimensions: cpu=cpu0, interface=eth0)
#pragma once

#include "hub/sources/counter_rates.h"
#include "hub/sources/line_protocol.h"
#include "protocol/messages.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hub::ingest {

struct PushOptions {
    int interval_ms = 1000;          // the hub's frame interval
    int down_intervals = 3;          // DOWN after this many intervals without a push
    // A host DOWN this long is forgotten (catalog, frames, its max_hosts slot); 0: never. Long, so an
    // outage stays on the wall for a day, but a fleet that renames or replaces hosts does not fill
    // max_hosts with dead ids and then refuse its new ones.
    double forget_after_s = 86400;
    std::size_t max_hosts = 1024;    // pushed hosts; lines for new hosts beyond are refused
    std::size_t max_keys = 256;      // metric keys per host (the page refuses hosts above 512)
    std::size_t max_body_bytes = 8u << 20;
};

// What happened to one line (line protocol) or one host entry (samples JSON).
enum class LineOutcome {
    accepted,
    parse_error,    // the line protocol parser's error (or a bad JSON value)
    no_host,        // no `host` tag
    bad_host,       // host id not 1-128 of A-Z a-z 0-9 . _ - :
    host_taken,     // the id of another source's host (local, simulated, a scrape target)
    too_many_hosts, // a new host beyond max_hosts
    too_many_keys,  // the host already has max_keys keys and the line brings new ones
    bad_key,        // a metric key longer than 256 bytes (the protocol's name limit)
};
inline constexpr std::size_t kLineOutcomes = 8;
const char* outcome_name(LineOutcome o);

struct IngestError {
    std::size_t line = 0;  // 1-based; 0 for JSON and whole-body errors
    std::string host;      // JSON: the host entry
    std::string message;
};

struct IngestResult {
    std::size_t accepted = 0, rejected = 0;
    std::array<std::size_t, kLineOutcomes> by_outcome{};
    std::vector<IngestError> errors;  // the first kMaxErrors
    static constexpr std::size_t kMaxErrors = 20;
    void count(LineOutcome o, std::size_t line, std::string_view host, std::string message);
};

// Whether an id belongs to a host of another source (checked for ids new to the store).
using IdTaken = std::function<bool(std::string_view id)>;

// 1-128 bytes of A-Z a-z 0-9 . _ - : (host names, FQDNs, host:port).
bool valid_host_id(std::string_view id);

class PushStore {
public:
    explicit PushStore(PushOptions options = {});
    const PushOptions& options() const { return options_; }

    void set_id_taken(IdTaken taken) { taken_ = std::move(taken); }

    // One request's body, received at `unix_ms` (wall) and `now_s` (monotonic seconds).
    IngestResult ingest_lines(std::string_view body, sources::Precision precision, std::int64_t unix_ms, double now_s);
    // {"hosts":{"db-01":{"cpu":12.5}}, "t": ms (optional)}: gauges only; a host entry with a
    // value that is not a finite number is refused whole, the other entries are kept.
    IngestResult ingest_json(std::string_view body, std::int64_t unix_ms, double now_s);

    // HostSource's three calls (hub/host_source.h).
    void describe(std::vector<protocol::HostInfo>& out) const;
    std::uint64_t generation() const { return generation_; }
    void collect(protocol::Samples& frame, std::int64_t unix_ms, double now_s);

    std::size_t host_count() const { return hosts_.size(); }
    std::size_t forgotten_count() const { return forgotten_; }  // hosts forgotten since start
    std::size_t forgotten_key_count() const { return forgotten_keys_; }  // keys of live hosts, since start
    std::size_t down_count(double now_s) const;
    // "no push for 3 s"
    std::string down_reason() const;

private:
    struct Host {
        std::string id;
        std::map<std::string, double, std::less<>> pending;  // latest value per key since the last frame
        struct Key {
            int rank;       // catalog order (screen_metric_rank)
            double last_s;  // the push that last carried it (monotonic s)
        };
        std::map<std::string, Key, std::less<>> keys;        // every key seen, until forgotten
        std::optional<double> cores;                         // Telegraf system n_cpus
        sources::CounterRates rates;
        std::map<std::string, std::pair<std::string, double>, std::less<>> body_rates;  // this body: series -> (key, rate)
        std::optional<double> body_temp;                     // this body's hottest sensor
        std::int64_t last_push_unix_ms = 0;
        double last_push_s = 0;
        unsigned bodies = 0;  // bodies since the last sweep of `rates`
        bool in_body = false;
    };

    // The host of `id`, created if new and allowed; nullptr and the refusal's outcome otherwise.
    Host* host_for(std::string_view id, LineOutcome* refused);
    // Registers `key` for `h` at its current push (a new key moves the generation); the refusal's
    // outcome otherwise.
    std::optional<LineOutcome> admit_key(Host& h, std::string_view key);
    // Drops the keys `h` has not sent for forget_after_s (every 100 bodies, and before a refusal
    // for max_keys); true when any went.
    bool forget_silent_keys(Host& h);
    double forget_after_s() const;  // forget_after_s, never before a frame showed the silence
    std::vector<const std::string*> ordered_keys(const Host& h) const;  // catalog order
    void touch(Host& h, std::int64_t unix_ms, double now_s);
    void finish_body();  // rates and temp of the touched hosts into their pending values
    void forget_silent(double now_s);  // hosts without a push for forget_after_s

    double down_after_s() const { return double(options_.interval_ms) * options_.down_intervals / 1000.0; }

    PushOptions options_;
    IdTaken taken_;
    std::vector<std::unique_ptr<Host>> hosts_;                 // display order: first push first
    std::map<std::string, Host*, std::less<>> by_id_;
    std::vector<Host*> touched_;                               // hosts of the body being read
    std::uint64_t generation_ = 0;
    std::size_t forgotten_ = 0;
    std::size_t forgotten_keys_ = 0;
    sources::LineProtocolParser parser_;
    sources::MappedPoint mapped_;
};

}  // namespace vigil::hub::ingest
