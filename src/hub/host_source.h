// A source of hosts beyond this machine and the simulation: scrape targets, push ingest. The
// sampler composes every source into the one frame of each tick and into the one catalog.
#pragma once

#include "protocol/messages.h"

#include <cstdint>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace vigil::hub {

class HostSource {
public:
    virtual ~HostSource() = default;

    // Timers and sockets start here, on the hub's one io_context thread, before the first tick;
    // stop() cancels them (shutdown). Pure sources ignore both.
    virtual void start(boost::asio::io_context&) {}
    virtual void stop() {}

    // This source's hosts in display order (ids unique across sources: the hub's own is `local`).
    virtual void describe(std::vector<protocol::HostInfo>& out) const = 0;
    // Rises whenever describe() would give something else (a target added or removed, a metric
    // first seen, labels changed): the hub then sends every screen the new catalog.
    virtual std::uint64_t generation() const = 0;

    // Appends this tick's values (frame.hosts) and DOWN hosts (frame.down). Never blocks and never
    // waits for I/O: it gives what has arrived, so one slow host never delays the frame.
    // `now_s` is monotonic seconds (rates), `unix_ms` the frame's stamp.
    virtual void collect(protocol::Samples& frame, std::int64_t unix_ms, double now_s) = 0;
};

}  // namespace vigil::hub
