// The hub process: listens, ticks (one samples frame per interval: store, then broadcast),
// and on SIGTERM/SIGINT closes the journal (synced, marked clean), sends every client `shutdown` + close 1012, exits.
// With --nats it hands its screens over first: no new connections, `shutdown` with handover_ms, frames
// served until they have left or the window ends (hub_server.cpp kHandoverWindow).
// With a shared journal (--nats) it samples only while it is the writer and broadcasts what the stream stores.
// Beast-free header (pimpl) so main.cpp and tests do not compile Asio.
#pragma once

#include "hub/fleet_sampler.h"
#include "hub/hub_context.h"
#include "hub/frame_journal.h"
#include "hub/hub_options.h"

#include <memory>
#include <string>

namespace vigil::hub {

class HubServer {
public:
    HubServer(HubOptions options, std::unique_ptr<FrameJournal> journal, std::unique_ptr<FleetSampler> sampler);
    ~HubServer();

    // Binds and listens; returns "ADDRESS:PORT" actually bound (port 0 becomes the OS's pick).
    // Throws std::runtime_error when it cannot.
    std::string listen();

    // Runs until SIGTERM/SIGINT has been handled; returns the process exit code.
    int run();

    // The state every session shares (main wires the scrape loop's status into it).
    HubContext& context();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::hub
