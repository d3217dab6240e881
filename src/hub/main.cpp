// vigil-hub: the reference hub. Thin wiring: options -> store, sampler, server -> run.
#include "hub/hub_options.h"
#include "hub/hub_server.h"
#include "hub/local_host.h"
#include "hub/memory_frame_store.h"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <iostream>

int main(int argc, char** argv) {
    using namespace vigil::hub;
    auto parsed = parse_hub_options(std::vector<std::string>(argv + 1, argv + argc), [](const char* name) { return std::getenv(name); });
    if (!parsed.options) {
        (parsed.exit_code ? std::cerr : std::cout) << parsed.message;
        return parsed.exit_code;
    }
    const HubOptions& options = *parsed.options;
    try {
        std::unique_ptr<LocalHost> local;
        if (options.local_metrics) local = std::make_unique<LocalHost>(real_files(), machine_hostname());
        auto sampler = std::make_unique<FleetSampler>(std::move(local), options.simulate, options.seed);
        // A memory store gets a fresh epoch per process: its seqs mean nothing after a restart.
        std::random_device rd;
        char epoch[32];
        std::snprintf(epoch, sizeof epoch, "e-m%08x", unsigned(rd()));
        auto store = std::make_unique<MemoryFrameStore>(epoch, options.retention_frames);
        HubServer server(options, std::move(store), std::move(sampler));
        auto bound = server.listen();
        // Tests and scripts read this line to learn the port (--listen HOST:0).
        std::cout << "listening " << bound << std::endl;
        return server.run();
    } catch (const std::exception& e) {
        std::cerr << "vigil-hub: " << e.what() << "\n";
        return 1;
    }
}
