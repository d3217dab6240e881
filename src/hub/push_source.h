// Hosts that push to POST /ingest as one of the sampler's sources: an adapter from HostSource to
// ingest::PushStore (the pure part). http_session hands bodies to store(); the tick collects.
#pragma once

#include "hub/host_source.h"
#include "hub/ingest/push_store.h"

namespace vigil::hub {

class PushSource : public HostSource {
public:
    explicit PushSource(ingest::PushOptions options) : store_(options) {}

    ingest::PushStore& store() { return store_; }

    void describe(std::vector<protocol::HostInfo>& out) const override { store_.describe(out); }
    std::uint64_t generation() const override { return store_.generation(); }
    void collect(protocol::Samples& frame, std::int64_t unix_ms, double now_s) override {
        store_.collect(frame, unix_ms, now_s);
    }

private:
    ingest::PushStore store_;
};

}  // namespace vigil::hub
