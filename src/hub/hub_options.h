// The hub's command line: flags, each with an environment fallback (flag > env > default).
// Pure: parsing takes the argument list and a getenv seam, so it is unit-tested without a process.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vigil::hub {

struct HubOptions {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;        // 0: the OS picks one; the hub prints it
    std::string root;                         // static page folder (required)
    int interval_ms = 1000;                   // time between samples frames
    std::string journal_dir = "./vigil-journal";
    std::uint64_t retention_frames = 86400;   // frames the journal keeps at least (a day at 1 Hz)
    std::uint64_t retention_bytes = 256u << 20;  // journal size bound (whole segments dropped)
    std::uint64_t journal_segment_bytes = 16u << 20;  // retention works in whole segments of this size
    int simulate = 0;                         // simulated hosts besides `local`
    std::uint64_t seed = 1;
    bool local_metrics = true;                // sample this machine as host `local`
    std::string token;                        // empty: no token required
    std::string stats_token;                  // read-only token for /healthz, /stats/connects, /metrics
    std::vector<std::string> allow_origins;   // empty: same origin only (Origin = Host); "*": any
    std::vector<std::string> allow_hosts;     // empty: any Host; else names, ".domain", IPs and localhost (421 otherwise)
    int max_clients = 64;
    int max_clients_per_address = 16;         // concurrent WebSocket sessions from one remote address
    int hello_timeout_ms = 5000;              // a socket that sends no hello by then is closed 4002
    std::size_t max_message_bytes = 64 * 1024;
    int retry_hint_ms = 1500;
    std::size_t send_queue_frames = 256;      // per-client bound; beyond it the client is dropped (4008)
    std::size_t send_queue_bytes = 8u << 20;
    int socket_send_buffer = 0;               // SO_SNDBUF for client sockets; 0 leaves the OS default
    std::string targets_file;                 // scrape targets JSON (src/hub/sources/README.md); "" none
    int scrape_timeout_ms = 0;                // 0: 80 % of each target's interval
    int scrape_concurrency = 64;              // scrapes in flight at once
    bool scrape_validate_all = false;         // parse every line in full, not only the lines read
    int push_down_intervals = 3;              // a pushed host is DOWN after this many intervals without a push
    std::size_t push_max_hosts = 1024;        // pushed hosts; lines for new hosts beyond are refused
    int push_forget_after_s = 86400;          // a pushed host silent this long leaves the catalog; 0: never
    std::size_t ingest_max_bytes = 8u << 20;  // POST /ingest body bound: 413 beyond
    // Several hubs on NATS JetStream: empty urls keep the local journal (the default).
    std::vector<std::string> nats_urls;
    std::string nats_stream = "VIGIL";
    int nats_replicas = 1;
    std::string hub_id;                       // "" : HOSTNAME-PID
};

struct OptionsResult {
    std::optional<HubOptions> options;  // set when the hub should run
    std::string message;                 // usage text or the error
    int exit_code = 0;                   // when options is empty: 0 for --help, 2 for a bad command line
};

using GetEnv = std::function<const char*(const char*)>;

OptionsResult parse_hub_options(const std::vector<std::string>& args, const GetEnv& getenv);

std::string hub_usage();

}  // namespace vigil::hub
