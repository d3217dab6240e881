// The hub's scrape loop (main.cpp wraps it as a HostSource): every target of the targets file
// scraped at its interval (phase-spread), over a kept-alive HTTP/1.1 connection, gzip accepted,
// timeout below the interval, bounded concurrency; files re-read on change. Beast-free (pimpl).
// Implemented features:
//  [X] async resolve, connect, request, response; reconnect when the peer closed a kept connection
//  [X] timeout per scrape (default 80 % of the interval), body bound while reading, gzip inflated bounded
//  [X] at most `concurrency` scrapes at once; the others wait in turn (FIFO), never a burst
//  [X] per target: node profile + mappings, health (DOWN with reason and since), bad lines counted
//  [X] targets file and file_sd files polled (mtime + size) every second; a bad re-read keeps the old list
//  [ ] https, basic auth, proxies, HTTP/2
#pragma once

#include "hub/scrape/scrape_reason.h"
#include "hub/scrape/scrape_status.h"
#include "hub/scrape/targets_file.h"
#include "hub/sources/exposition_parser.h"

#include "protocol/messages.h"

#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace vigil::hub::scrape {

struct ScrapeSettings {
    std::string targets_file;        // re-read when it or its file_sd files change
    double default_interval_s = 1;   // the hub's frame interval (a target's when the config names none)
    int timeout_ms = 0;              // 0: 80 % of each target's interval
    int concurrency = 64;            // scrapes in flight at once
    bool validate_all = false;       // false: lines of names nothing reads are checked cheaply (read_names)
    sources::ExpositionLimits limits;
    double reload_poll_s = 1;
};

// The HostSource calls, same meaning (hub/host_source.h): start/stop on the io_context thread,
// describe/generation for the catalog, collect for each frame (never blocks).
class ScrapeLoop : public ScrapeStatus {
public:
    ScrapeLoop(ScrapeSettings settings, TargetsFile initial, WatchedFiles watched);
    ~ScrapeLoop() override;

    void start(boost::asio::io_context& io);
    void stop();
    void describe(std::vector<protocol::HostInfo>& out) const;
    std::uint64_t generation() const;
    void collect(protocol::Samples& frame, double now_s);

    // Called after every scrape with its outcome and duration (the hub's counters and histogram).
    using Observer = std::function<void(ScrapeOutcome outcome, double seconds)>;
    void observe(Observer observer);

    std::vector<TargetStatus> targets() const override;
    const ScrapeCounters& counters() const override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::hub::scrape
