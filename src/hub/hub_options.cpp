// The hub's command line: a table of options, each a flag with an environment fallback.
#include "hub/hub_options.h"

#include <charconv>
#include <cstdlib>
#include <sstream>

namespace vigil::hub {
namespace {

using Setter = std::function<std::string(HubOptions&, const std::string&)>;  // returns an error or ""

struct OptionSpec {
    const char* flag;
    const char* env;
    const char* help;
    Setter set;
};

template <class Int>
std::string parse_int(const std::string& text, Int lo, Int hi, Int& out) {
    Int value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return "not a number: " + text;
    if (value < lo || value > hi) return "out of range: " + text;
    out = value;
    return {};
}

template <class Int>
Setter int_setter(Int HubOptions::*field, Int lo, Int hi) {
    return [=](HubOptions& o, const std::string& v) { return parse_int(v, lo, hi, o.*field); };
}

std::string set_listen(HubOptions& o, const std::string& v) {
    auto colon = v.rfind(':');
    if (colon == std::string::npos || colon == 0) return "expected HOST:PORT, got " + v;
    std::uint16_t port = 0;
    if (auto err = parse_int<std::uint16_t>(v.substr(colon + 1), 0, 65535, port); !err.empty()) return err;
    o.listen_host = v.substr(0, colon);
    // [::1]:8080 names an IPv6 address in brackets.
    if (o.listen_host.size() > 2 && o.listen_host.front() == '[' && o.listen_host.back() == ']')
        o.listen_host = o.listen_host.substr(1, o.listen_host.size() - 2);
    o.listen_port = port;
    return {};
}

std::vector<std::string> split_commas(const std::string& v) {
    std::vector<std::string> out;
    std::stringstream in(v);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

const std::vector<OptionSpec>& option_table() {
    static const std::vector<OptionSpec> table = {
        {"--listen", "VIGIL_LISTEN", "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)", set_listen},
        {"--root", "VIGIL_ROOT", "folder of the static page (required)",
         [](HubOptions& o, const std::string& v) { o.root = v; return std::string(); }},
        {"--interval-ms", "VIGIL_INTERVAL_MS", "time between samples frames (default 1000)",
         int_setter(&HubOptions::interval_ms, 10, 3600000)},
        {"--journal", "VIGIL_JOURNAL", "journal folder (default ./vigil-journal)",
         [](HubOptions& o, const std::string& v) { o.journal_dir = v; return std::string(); }},
        {"--retention-frames", "VIGIL_RETENTION_FRAMES", "frames the journal keeps (default 86400)",
         int_setter<std::uint64_t>(&HubOptions::retention_frames, 1, std::uint64_t(1) << 40)},
        {"--retention-bytes", "VIGIL_RETENTION_BYTES", "journal size bound (default 256 MiB)",
         int_setter<std::uint64_t>(&HubOptions::retention_bytes, 4096, std::uint64_t(1) << 50)},
        {"--journal-segment-bytes", "VIGIL_JOURNAL_SEGMENT_BYTES", "journal segment size; retention drops whole segments (default 16 MiB)",
         int_setter<std::uint64_t>(&HubOptions::journal_segment_bytes, 1024, std::uint64_t(1) << 40)},
        {"--simulate", "VIGIL_SIMULATE", "number of simulated hosts (default 0)", int_setter(&HubOptions::simulate, 0, 10000)},
        {"--seed", "VIGIL_SEED", "seed of the simulation (default 1)",
         int_setter<std::uint64_t>(&HubOptions::seed, 0, ~std::uint64_t(0))},
        {"--no-local", "VIGIL_NO_LOCAL", "do not sample this machine (env: 1 for off)",
         [](HubOptions& o, const std::string& v) { o.local_metrics = (v == "0"); return std::string(); }},
        {"--token", "VIGIL_TOKEN", "bearer token clients must present (?token= or subprotocol vigil.token.T)",
         [](HubOptions& o, const std::string& v) { o.token = v; return std::string(); }},
        {"--stats-token", "VIGIL_STATS_TOKEN", "read-only token for /healthz, /stats/connects, /metrics (with --token)",
         [](HubOptions& o, const std::string& v) { o.stats_token = v; return std::string(); }},
        {"--allow-origin", "VIGIL_ALLOW_ORIGIN",
         "allowed Origin, repeatable (env: comma-separated); '*' any; default: the page's own origin only",
         [](HubOptions& o, const std::string& v) {
             for (auto& origin : split_commas(v)) o.allow_origins.push_back(origin);
             return std::string();
         }},
        {"--allow-host", "VIGIL_ALLOW_HOST",
         "Host name requests may name, repeatable (env: comma-separated); '.example.com' for it and its subdomains; "
         "IP addresses and localhost always pass; others get 421 (WebSocket: 4403). Default: any (stops DNS rebinding)",
         [](HubOptions& o, const std::string& v) {
             for (auto& host : split_commas(v)) o.allow_hosts.push_back(host);
             return std::string();
         }},
        {"--max-clients", "VIGIL_MAX_CLIENTS", "concurrent WebSocket clients (default 64)",
         int_setter(&HubOptions::max_clients, 1, 100000)},
        {"--max-clients-per-address", "VIGIL_MAX_CLIENTS_PER_ADDRESS", "concurrent WebSocket clients from one address (default 16)",
         int_setter(&HubOptions::max_clients_per_address, 1, 100000)},
        {"--hello-timeout-ms", "VIGIL_HELLO_TIMEOUT_MS", "close (4002) a socket that sends no hello by then (default 5000)",
         int_setter(&HubOptions::hello_timeout_ms, 100, 3600000)},
        {"--max-message-bytes", "VIGIL_MAX_MESSAGE_BYTES", "largest inbound message (default 65536)",
         int_setter<std::size_t>(&HubOptions::max_message_bytes, 64, std::size_t(1) << 30)},
        {"--retry-hint-ms", "VIGIL_RETRY_HINT_MS", "retry hint sent on restart/full (default 1500)",
         int_setter(&HubOptions::retry_hint_ms, 0, 3600000)},
        {"--send-queue-frames", "VIGIL_SEND_QUEUE_FRAMES", "per-client queued messages before a drop (default 256)",
         int_setter<std::size_t>(&HubOptions::send_queue_frames, 1, 1u << 20)},
        {"--send-queue-bytes", "VIGIL_SEND_QUEUE_BYTES", "per-client queued bytes before a drop (default 8 MiB)",
         int_setter<std::size_t>(&HubOptions::send_queue_bytes, 1024, std::size_t(1) << 32)},
        {"--socket-send-buffer", "VIGIL_SOCKET_SEND_BUFFER", "SO_SNDBUF of client sockets (default: OS)",
         int_setter(&HubOptions::socket_send_buffer, 0, 1 << 28)},
        {"--targets", "VIGIL_TARGETS", "scrape targets JSON (node_exporter and other Prometheus-format targets; file_sd), re-read when it changes",
         [](HubOptions& o, const std::string& v) { o.targets_file = v; return std::string(); }},
        {"--scrape-timeout-ms", "VIGIL_SCRAPE_TIMEOUT_MS", "timeout of one scrape (default 80 % of the target's interval; at most 90 % of it)",
         int_setter(&HubOptions::scrape_timeout_ms, 1, 3600000)},
        {"--scrape-concurrency", "VIGIL_SCRAPE_CONCURRENCY", "scrapes in flight at once; the others wait their turn (default 64)",
         int_setter(&HubOptions::scrape_concurrency, 1, 100000)},
        {"--scrape-validate", "VIGIL_SCRAPE_VALIDATE", "read: check in full only the lines of metrics the profile and mappings read (default); all: every line",
         [](HubOptions& o, const std::string& v) {
             if (v != "read" && v != "all") return std::string("expected read or all");
             o.scrape_validate_all = v == "all";
             return std::string();
         }},
        {"--push-down-intervals", "VIGIL_PUSH_DOWN_INTERVALS", "a host pushing to /ingest is DOWN after this many intervals without a push (default 3)",
         int_setter(&HubOptions::push_down_intervals, 1, 100000)},
        {"--push-max-hosts", "VIGIL_PUSH_MAX_HOSTS", "hosts that may push to /ingest; lines for new hosts beyond are refused (default 1024)",
         int_setter<std::size_t>(&HubOptions::push_max_hosts, 0, 100000)},
        {"--push-forget-after", "VIGIL_PUSH_FORGET_AFTER", "seconds without a push after which a pushed host leaves the catalog, freeing its slot (default 86400; 0: never)",
         int_setter(&HubOptions::push_forget_after_s, 0, 10 * 365 * 86400)},
        {"--ingest-max-bytes", "VIGIL_INGEST_MAX_BYTES", "largest POST /ingest body; 413 beyond (default 8 MiB)",
         int_setter<std::size_t>(&HubOptions::ingest_max_bytes, 1024, std::size_t(1) << 30)},
        // Several hubs on NATS JetStream (README "Several hubs"): the journal becomes a stream.
        {"--nats", "VIGIL_NATS", "NATS URL[,URL...]: the journal is a JetStream stream several hubs share (default: none, the local journal)",
         [](HubOptions& o, const std::string& v) {
             o.nats_urls = split_commas(v);
             return o.nats_urls.empty() ? std::string("expected URL[,URL...]") : std::string();
         }},
        {"--nats-stream", "VIGIL_NATS_STREAM", "JetStream stream name (default VIGIL; its catalog stream is NAME_CATALOG)",
         [](HubOptions& o, const std::string& v) {
             for (char c : v)
                 if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
                     return std::string("letters, digits, '_' and '-' only: ") + v;
             if (v.empty() || v.size() > 64) return std::string("1 to 64 characters");
             o.nats_stream = v;
             return std::string();
         }},
        {"--nats-replicas", "VIGIL_NATS_REPLICAS", "JetStream replicas of a stream this hub creates (default 1; 3 on a 3-node cluster)",
         int_setter(&HubOptions::nats_replicas, 1, 5)},
        {"--hub-id", "VIGIL_HUB_ID", "this hub's name in the stream's writer header (default HOSTNAME-PID)",
         [](HubOptions& o, const std::string& v) { o.hub_id = v; return std::string(); }},
    };
    return table;
}

// Flags that take no value.
bool is_switch(const std::string& flag) { return flag == "--no-local"; }

}  // namespace

std::string hub_usage() {
    std::ostringstream out;
    out << "usage: vigil-hub --root DIR [options]\n";
    for (auto& spec : option_table())
        out << "  " << spec.flag << (is_switch(spec.flag) ? "" : " V") << "  (" << spec.env << ")\n      " << spec.help << "\n";
    return out.str();
}

OptionsResult parse_hub_options(const std::vector<std::string>& args, const GetEnv& getenv) {
    OptionsResult result;
    HubOptions o;
    auto fail = [&](const std::string& why) {
        result.message = "vigil-hub: " + why + "\n" + hub_usage();
        result.exit_code = 2;
        return result;
    };

    // Environment first, so flags given on the command line override it.
    for (auto& spec : option_table()) {
        const char* value = getenv ? getenv(spec.env) : nullptr;
        if (!value || !*value) continue;
        std::string v = value;
        if (auto err = spec.set(o, v); !err.empty()) return fail(std::string(spec.env) + ": " + err);
    }
    bool origins_from_flags = false, hosts_from_flags = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string flag = args[i], value;
        bool has_value = false;
        if (flag == "--help" || flag == "-h") {
            result.message = hub_usage();
            return result;
        }
        if (auto eq = flag.find('='); eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
            has_value = true;
        }
        const OptionSpec* spec = nullptr;
        for (auto& s : option_table())
            if (flag == s.flag) spec = &s;
        if (!spec) return fail("unknown option " + flag);
        if (is_switch(flag)) {
            value = "1";
        } else if (!has_value) {
            if (i + 1 >= args.size()) return fail(flag + " needs a value");
            value = args[++i];
        }
        // Repeated --allow-origin (--allow-host) flags replace the environment's list rather than adding to it.
        if (flag == "--allow-origin" && !origins_from_flags) {
            o.allow_origins.clear();
            origins_from_flags = true;
        }
        if (flag == "--allow-host" && !hosts_from_flags) {
            o.allow_hosts.clear();
            hosts_from_flags = true;
        }
        if (auto err = spec->set(o, value); !err.empty()) return fail(flag + ": " + err);
    }
    if (o.root.empty()) return fail("--root DIR is required (the folder of the built page)");
    if (!o.stats_token.empty() && o.token.empty()) return fail("--stats-token needs --token (without it the stats are open)");
    result.options = o;
    return result;
}

}  // namespace vigil::hub
