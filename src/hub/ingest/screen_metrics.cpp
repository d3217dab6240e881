// The screen's known keys as catalog entries, in local_host.cpp's order.
#include "hub/ingest/screen_metrics.h"

#include "hub/sources/node_profile.h"

#include <algorithm>
#include <string>

namespace vigil::hub::ingest {
namespace {

struct Known {
    const char* key;
    const char* label;
    const char* unit;
    double warn, crit;  // negative: none; for load, multiples of the core count
    bool per_core;
};

constexpr double kNone = -1;

constexpr Known kKnown[] = {
    {"cpu", "CPU", "%", 80, 95, false},
    {"mem", "Memory", "%", 85, 95, false},
    {"load1", "Load 1m", "", 1, 2, true},
    {"load5", "Load 5m", "", 1, 2, true},
    {"load15", "Load 15m", "", 1, 2, true},
    {"net_rx", "Net in", "B/s", kNone, kNone, false},
    {"net_tx", "Net out", "B/s", kNone, kNone, false},
    {"disk_r", "Disk read", "B/s", kNone, kNone, false},
    {"disk_w", "Disk write", "B/s", kNone, kNone, false},
    {"temp", "Temperature", "°C", 80, 95, false},
};
constexpr int kKnownCount = int(sizeof kKnown / sizeof kKnown[0]);

}  // namespace

int screen_metric_rank(std::string_view key) {
    for (int i = 0; i < kKnownCount; ++i)
        if (key == kKnown[i].key) return i;
    if (long n = sources::core_key_number(key); n >= 0) return kKnownCount + int(n);
    return -1;
}

std::optional<protocol::MetricInfo> screen_metric(std::string_view key, double cores) {
    cores = std::max(1.0, cores);
    for (const Known& k : kKnown) {
        if (key != k.key) continue;
        protocol::MetricInfo m{k.key, k.label, k.unit, std::nullopt, std::nullopt};
        const double scale = k.per_core ? cores : 1;
        if (k.warn >= 0) m.warn = k.warn * scale;
        if (k.crit >= 0) m.crit = k.crit * scale;
        return m;
    }
    if (long n = sources::core_key_number(key); n >= 0)
        return protocol::MetricInfo{std::string(key), "CPU " + std::to_string(n), "%", 90, 98};
    return std::nullopt;
}

}  // namespace vigil::hub::ingest
