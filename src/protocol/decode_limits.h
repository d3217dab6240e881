// Bounds a decoder enforces so a hostile or broken peer cannot make it allocate, recurse or
// loop without limit. Defaults suit a monitoring screen; the hub may tighten them per client.
#pragma once

#include <cstddef>

namespace vigil::protocol {

struct DecodeLimits {
    // whole message, checked before parsing -> too_big. 8 MiB: a catalog of 5,000 hosts with 8
    // metrics each is ~2.5 MB, a frame of them ~0.8 MB (issue 13: the wall at fleet scale).
    std::size_t max_bytes = 8 << 20;
    std::size_t max_depth = 32;       // array/object nesting, checked before parsing -> too_deep
    std::size_t max_hosts = 10000;    // hosts in one samples or catalog frame -> too_big (the hub's
                                      // --simulate maximum; the page shows up to FleetLimits::max_hosts)
    std::size_t max_metrics = 512;    // metrics of one host (values or catalog entries) -> too_big
    std::size_t max_name_bytes = 256; // ids: host id, metric key, epoch, client -> too_big
    std::size_t max_legacy_fields = 1024;  // numeric fields of a legacy object -> too_big
    std::size_t max_labels = 32;      // labels of one catalog host -> too_big
    std::size_t max_reason_bytes = 512;  // a DOWN host's reason: longer ones are cut, not refused
};

}  // namespace vigil::protocol
