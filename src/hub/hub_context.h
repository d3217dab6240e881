// What every session of the hub shares: options, journal, catalog, counters, the census of
// client ids, the connect log and the set of open sessions. Single-threaded (one io_context),
// so plain members, no locks. Beast-free, so pure code and tests can include it.
#pragma once

#include "hub/client_census.h"
#include "hub/connect_log.h"
#include "hub/frame_journal.h"
#include "hub/hub_options.h"
#include "hub/ingest/ingest_request.h"
#include "hub/send_queue.h"
#include "protocol/rejection.h"

#include "hub/latency_histogram.h"
#include "hub/scrape/scrape_status.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace vigil::hub {

// What the hub asks of an open, admitted WebSocket session.
class SessionSink {
public:
    virtual ~SessionSink() = default;
    // A live frame `seq`, already encoded; ignored until the session has caught up (it replays
    // from the journal instead) and for seqs its replay already sent.
    virtual void deliver_frame(protocol::Seq seq, const SharedText& frame) = 0;
    // A new catalog (a source's hosts changed): sent at once to a session past its hello (the
    // page replaces its catalog); a session still waiting for hello gets the current one then.
    virtual void deliver_catalog(const SharedText& catalog) = 0;
    // Sends `shutdown` then closes 1012 with the retry hint. reconnect_now (other hubs serve the
    // same stream): `shutdown {"reconnect", 0}` and reason "retry_ms=0 reconnect=now".
    virtual void close_for_restart(int retry_ms, bool reconnect_now = false) = 0;
    // Make before break (hubs sharing a stream): sends `shutdown {"reconnect", 0, handover_ms}` and
    // keeps serving live frames; the page opens its next connection meanwhile and leaves. The
    // server closes whoever is still here with close_for_restart when the window ends.
    virtual void begin_handover(int handover_ms) = 0;
    // The writer's preview of a frame the stream has not delivered in time (hubs sharing a
    // stream): sent only to a live session whose hello asked for previews, and only when its
    // queue is empty (a preview is never worth dropping a slow client for). True when sent.
    virtual bool deliver_preview(const SharedText& preview) = 0;
};

struct HubCounters {
    std::uint64_t frames = 0;           // frames produced since start
    std::uint64_t replayed_frames = 0;  // frames sent from the journal (replay or backfill)
    std::uint64_t dropped_clients = 0;  // slow clients closed with 4008
    std::uint64_t accepted_clients = 0; // admitted sessions since start
    std::uint64_t refused_clients = 0;  // upgrades closed with 4401/4403/1013
    std::map<std::string, std::uint64_t> connects_by_outcome;  // accepted, bad_token, bad_host, bad_origin, full, address_full
    std::uint64_t refused_hosts = 0;    // HTTP requests refused 421: their Host is not in --allow-host
    std::uint64_t hello_timeouts = 0;   // sessions closed 4002: no hello within --hello-timeout-ms
    std::uint64_t held_hellos = 0;      // welcomes that waited for a shared stream's consumer to reach the cursor
    std::uint64_t previews_shown = 0;   // previews handed to the screens (the stored frame was late)
    std::uint64_t previews_sent = 0;    // ... and the messages that sent them, over all sessions
    std::uint64_t accept_errors = 0;    // failed accepts (EMFILE, ENFILE...), each followed by a pause
    std::uint64_t unauthorized_stats = 0;  // stats requests refused 401
    std::uint64_t gaps_sent = 0;
    std::uint64_t catalogs_sent = 0;    // catalog changes broadcast after start
    std::uint64_t append_failures = 0;  // frames the journal refused (not broadcast)
    std::uint64_t consecutive_append_failures = 0;  // since the last frame that was journaled
    std::string last_append_error;
    protocol::RejectionCounters rejected;  // bad client messages, by kind
    std::map<std::string, std::uint64_t> scrapes_by_outcome;  // success, refused, timeout, http_error...
};

struct HubContext {
    explicit HubContext(HubOptions o, FrameJournal& j)
        : options(std::move(o)), journal(j), connects(256) {}

    HubOptions options;
    FrameJournal& journal;  // every frame is appended here before it is broadcast
    SharedText catalog_text;
    HubCounters counters;
    ClientCensus census;
    ConnectLog connects;
    std::set<SessionSink*> sessions;  // admitted and open
    std::map<std::string, int> sessions_per_address;  // admitted and open, by remote address
    LatencyHistogram sampling_seconds;  // time the sampler took per frame
    // Sampling or journaling stops: /healthz says so. Starts as "now" so a fresh hub is healthy.
    std::chrono::steady_clock::time_point last_sample = std::chrono::steady_clock::now();
    int open_sockets = 0;             // every TCP connection, HTTP or WebSocket
    bool shutting_down = false;
    int handover_ms = 0;  // > 0 while a stopping hub hands its screens over (acceptor closed, frames still served)
    std::function<void()> on_session_closed;  // the server waits for the last one on shutdown
    ingest::PushStore* push = nullptr;  // POST /ingest's hosts (the sampler's PushSource); null: 404
    ingest::IngestCounters ingest;      // every /ingest request and line, by outcome
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    const scrape::ScrapeStatus* scrape = nullptr;  // the scrape loop, when --targets is given
    LatencyHistogram scrape_seconds;               // duration of each scrape
};

// Unix time in ms.
std::int64_t unix_ms_now();

// Why the hub is not healthy right now ("" entries never; empty: healthy): journal appends
// failing, no sample for 3 intervals (+1 s), shutting down. Files quarantined at start are reported
// (/healthz "quarantined") but do not make the hub unhealthy: it serves what it could read.
std::vector<std::string> health_problems(const HubContext& hub, std::chrono::steady_clock::time_point now);

// /healthz and /stats/connects bodies. /healthz carries "ok" and "problems"; the HTTP status is
// 503 whenever problems is not empty.
std::string healthz_json(const HubContext& hub, const std::vector<std::string>& problems);
std::string connects_json(const HubContext& hub);

}  // namespace vigil::hub
