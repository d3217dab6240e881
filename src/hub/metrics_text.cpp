// The exposition: HELP and TYPE for every family, then its samples; label values escaped.
#include "hub/metrics_text.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <utility>

namespace vigil::hub {
namespace {

class Exposition {
public:
    void family(const char* name, const char* type, const char* help) {
        out_ += "# HELP vigil_hub_";
        out_ += name;
        out_ += ' ';
        out_ += help;
        out_ += "\n# TYPE vigil_hub_";
        out_ += name;
        out_ += ' ';
        out_ += type;
        out_ += '\n';
    }

    void sample(const std::string& name, double value,
                std::initializer_list<std::pair<const char*, std::string>> labels = {}) {
        out_ += "vigil_hub_" + name;
        if (labels.size()) {
            out_ += '{';
            bool first = true;
            for (const auto& [k, v] : labels) {
                if (!first) out_ += ',';
                first = false;
                out_ += k;
                out_ += "=\"" + escape(v) + '"';
            }
            out_ += '}';
        }
        out_ += ' ' + number(value) + '\n';
    }

    // One family with one sample.
    void single(const char* name, const char* type, const char* help, double value) {
        family(name, type, help);
        sample(name, value);
    }

    void histogram(const char* name, const char* help, const LatencyHistogram& h) {
        family(name, "histogram", help);
        for (std::size_t i = 0; i < LatencyHistogram::kBounds.size(); ++i)
            sample(std::string(name) + "_bucket", double(h.bucket(i)), {{"le", number(LatencyHistogram::kBounds[i])}});
        sample(std::string(name) + "_bucket", double(h.count()), {{"le", "+Inf"}});
        sample(std::string(name) + "_sum", h.sum());
        sample(std::string(name) + "_count", double(h.count()));
    }

    std::string take() { return std::move(out_); }

private:
    static std::string escape(const std::string& v) {
        std::string out;
        for (char c : v) {
            if (c == '\\') out += "\\\\";
            else if (c == '"') out += "\\\"";
            else if (c == '\n') out += "\\n";
            else out += c;
        }
        return out;
    }

    static std::string number(double v) {
        if (std::isnan(v)) return "NaN";
        if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.15g", v);  // shortest form that reads back the same
        if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
        return buf;
    }

    std::string out_;
};

}  // namespace

std::string metrics_text(const HubContext& hub) {
    const auto& c = hub.counters;
    const auto& j = hub.journal;
    Exposition e;
    e.single("clients", "gauge", "WebSocket clients admitted and open.", double(hub.sessions.size()));
    e.single("open_sockets", "gauge", "TCP connections open (HTTP and WebSocket).", double(hub.open_sockets));
    e.family("connects_total", "counter", "WebSocket upgrade attempts, by outcome.");
    for (const auto& [outcome, n] : c.connects_by_outcome) e.sample("connects_total", double(n), {{"outcome", outcome}});
    e.single("frames_total", "counter", "Samples frames produced, journaled and broadcast.", double(c.frames));
    e.single("replayed_frames_total", "counter", "Frames sent from the journal (resume or backfill).",
             double(c.replayed_frames));
    e.single("gaps_sent_total", "counter", "gap messages sent to pages.", double(c.gaps_sent));
    e.single("dropped_clients_total", "counter", "Slow clients closed with 4008.", double(c.dropped_clients));
    e.single("hello_timeouts_total", "counter", "Sockets closed 4002: no hello in time.", double(c.hello_timeouts));
    e.single("held_hellos_total", "counter", "Welcomes held until this hub's stream consumer reached the page's cursor.",
             double(c.held_hellos));
    e.single("previews_shown_total", "counter", "Writer previews handed to the screens because the stored frame was late.",
             double(c.previews_shown));
    e.single("previews_sent_total", "counter", "preview messages sent to pages, over all sessions.", double(c.previews_sent));
    e.single("accept_errors_total", "counter", "Failed accepts (EMFILE, ENFILE...), each followed by a pause.",
             double(c.accept_errors));
    e.single("unauthorized_stats_total", "counter", "Stats requests refused 401 (no or wrong token).",
             double(c.unauthorized_stats));
    e.single("refused_hosts_total", "counter", "HTTP requests refused 421: their Host is not in --allow-host.",
             double(c.refused_hosts));
    e.family("ingest_lines_total", "counter", "POST /ingest lines (line protocol) or host entries (JSON), by outcome.");
    for (std::size_t i = 0; i < ingest::kLineOutcomes; ++i)
        e.sample("ingest_lines_total", double(hub.ingest.lines[i]), {{"outcome", ingest::outcome_name(ingest::LineOutcome(i))}});
    e.family("ingest_requests_total", "counter", "POST /ingest requests, by HTTP status.");
    for (const auto& [status, n] : hub.ingest.requests) e.sample("ingest_requests_total", double(n), {{"status", std::to_string(status)}});
    if (hub.push) {
        const double now_s = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        const auto down = hub.push->down_count(now_s);
        e.family("push_hosts", "gauge", "Hosts known from POST /ingest, up (pushed lately) or down (no push for --push-down-intervals).");
        e.sample("push_hosts", double(hub.push->host_count() - down), {{"state", "up"}});
        e.sample("push_hosts", double(down), {{"state", "down"}});
        e.single("push_hosts_forgotten_total", "counter", "Pushed hosts forgotten after --push-forget-after seconds without a push.",
                 double(hub.push->forgotten_count()));
        e.single("push_keys_forgotten_total", "counter",
                 "Metric keys of pushed hosts forgotten after --push-forget-after seconds without a value.",
                 double(hub.push->forgotten_key_count()));
    }
    e.family("rejected_messages_total", "counter", "Client messages rejected, by kind.");
    for (const auto& [kind, n] : c.rejected.by_name()) e.sample("rejected_messages_total", double(n), {{"kind", std::string(kind)}});
    e.single("journal_bytes", "gauge", "Bytes in the journal's segments.", double(j.byte_size()));
    e.single("journal_records", "gauge", "Records retained in the journal.", double(j.record_count()));
    e.single("journal_head_seq", "gauge", "Newest seq issued in this epoch.", double(j.head_seq()));
    e.single("journal_appends_total", "counter", "Records appended since start.", double(j.appends()));
    e.single("journal_append_failures_total", "counter", "Frames the journal refused (neither stored nor sent).",
             double(c.append_failures));
    e.single("journal_quarantined_files", "gauge", "Files recovery moved into the quarantine folder at start.",
             double(j.quarantined().size()));
    e.histogram("journal_fsync_seconds", "Duration of each journal fsync.", j.fsync_latency());
    e.histogram("sampling_duration_seconds", "Time the sampler took to produce one frame.", hub.sampling_seconds);
    if (hub.scrape) {
        const auto& sc = hub.scrape->counters();
        e.family("scrapes_total", "counter", "Scrapes of targets, by outcome.");
        for (const auto& [outcome, n] : c.scrapes_by_outcome) e.sample("scrapes_total", double(n), {{"outcome", outcome}});
        e.histogram("scrape_duration_seconds", "Duration of each scrape (connect to body read).", hub.scrape_seconds);
        const auto totals = scrape::target_totals(hub.scrape->targets());
        e.family("targets", "gauge", "Scrape targets, by state (not yet scraped: neither).");
        e.sample("targets", double(totals.up), {{"state", "up"}});
        e.sample("targets", double(totals.down), {{"state", "down"}});
        e.single("targets_dropped_keys", "gauge",
                 "Per-core keys (cpuN) left out beyond what the page takes per host, summed over the targets.",
                 double(totals.dropped_keys));
        e.single("targets_reload_errors_total", "counter", "Re-reads of the targets files refused (the old targets stay).",
                 double(sc.reload_errors));
    }
    if (j.shared()) {
        // --nats: core NATS messages (at most once) not sent: NATS not connected, or the publisher's queue full.
        double pushes = 0, previews = 0;
        for (const auto& [k, v] : j.status()) {
            if (k == "push_forward_drops") pushes = std::strtod(v.c_str(), nullptr);
            if (k == "preview_drops") previews = std::strtod(v.c_str(), nullptr);
        }
        e.family("nats_dropped_total", "counter",
                 "Forwarded pushes and previews not sent (NATS not connected, or the publisher's queue full), by kind.");
        e.sample("nats_dropped_total", pushes, {{"kind", "push"}});
        e.sample("nats_dropped_total", previews, {{"kind", "preview"}});
    }
    const auto problems = health_problems(hub, std::chrono::steady_clock::now());
    e.single("healthy", "gauge", "1 when /healthz answers 200, 0 when it answers 503.", problems.empty() ? 1 : 0);
    e.single("uptime_seconds", "gauge", "Seconds since the hub started.",
             std::chrono::duration<double>(std::chrono::steady_clock::now() - hub.started).count());
    e.family("journal_epoch_info", "gauge", "The journal's epoch, as a label.");
    e.sample("journal_epoch_info", 1, {{"epoch", j.epoch()}});
    return e.take();
}

}  // namespace vigil::hub
