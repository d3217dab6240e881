// Seeded, stateless simulation of a fleet of hosts.
#include "hub/simulated_fleet.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace vigil::hub {
namespace {

constexpr double kPi = 3.14159265358979323846;

// splitmix64: a tiny, well-mixed hash, identical on every platform (unlike std distributions).
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// Uniform in [0, 1) from a tuple of keys.
double unit(std::uint64_t seed, std::uint64_t host, std::uint64_t seq, std::uint64_t salt) {
    std::uint64_t h = mix(seed ^ mix(host * 0x100000001b3ull ^ mix(seq ^ mix(salt))));
    return double(h >> 11) * (1.0 / 9007199254740992.0);
}

double clamp(double v, double lo, double hi) { return std::max(lo, std::min(hi, v)); }

// Names: a few CJK ones (the screen must render them), the rest plain.
std::string host_name(int i) {
    static const char* cjk[] = {"数据库-01", "网关-东", "缓存-02", "存储-北", "调度-01"};
    if (i % 3 == 1 && i / 3 < 5) return cjk[i / 3];
    char buf[32];
    std::snprintf(buf, sizeof buf, "web-%02d", i + 1);
    return buf;
}

}  // namespace

SimulatedFleet::SimulatedFleet(int hosts, std::uint64_t seed) : seed_(seed) {
    for (int i = 0; i < hosts; ++i) {
        HostInfo h;
        char id[32];
        std::snprintf(id, sizeof id, "sim-%02d", i);
        h.id = id;
        h.name = host_name(i);
        h.metrics = {
            {"cpu", "CPU", "%", 80, 95},
            {"mem", "Memory", "%", 85, 95},
            {"load1", "Load 1m", "", 8, 16},
            {"net_rx", "Net in", "B/s", std::nullopt, std::nullopt},
            {"net_tx", "Net out", "B/s", std::nullopt, std::nullopt},
            {"disk_r", "Disk read", "B/s", std::nullopt, std::nullopt},
            {"disk_w", "Disk write", "B/s", std::nullopt, std::nullopt},
            {"temp", "Temperature", "°C", 80, 95},
        };
        hosts_.push_back(std::move(h));
        phase_.push_back(unit(seed_, std::uint64_t(i), 0, 1));
    }
}

std::optional<std::size_t> SimulatedFleet::silent_host() const {
    if (hosts_.size() < 3) return std::nullopt;
    return hosts_.size() - 1;
}

std::optional<std::size_t> SimulatedFleet::alarming_host() const {
    if (hosts_.size() < 2) return std::nullopt;
    return 0;
}

std::optional<HostValues> SimulatedFleet::sample(std::size_t index, std::uint64_t seq) const {
    if (index >= hosts_.size()) return std::nullopt;
    if (silent_host() == index && (seq + index * 37) % silent_period < silent_frames) return std::nullopt;

    const auto host = std::uint64_t(index);
    auto noise = [&](std::uint64_t salt) { return unit(seed_, host, seq, salt) * 2 - 1; };  // [-1, 1)

    // The day: low at night, high in the afternoon; each host a little shifted.
    double day = std::sin(2 * kPi * (double(seq % day_frames) / double(day_frames) + phase_[index]));
    double busy = 0.5 + 0.35 * day;  // 0.15 .. 0.85

    // Spikes: a window of 8 frames is a spike window with probability 6 %.
    bool spike = unit(seed_, host, seq / 8, 99) < 0.06;
    double cpu = 10 + 60 * busy + 6 * noise(2) + (spike ? 25 : 0);
    bool alarm = alarming_host() == index && seq % alarm_period < alarm_frames;
    if (alarm) cpu = 96 + 3 * unit(seed_, host, seq, 3);
    cpu = clamp(cpu, 0, 100);

    double mem = clamp(45 + 20 * busy + 2 * noise(4) + 10 * unit(seed_, host, 0, 5), 0, 100);
    double load1 = clamp(8 * cpu / 100 + 0.5 * noise(6), 0, 64);
    double net_rx = std::max(0.0, (2e6 + 4e6 * busy) * (1 + 0.2 * noise(7)) * (spike ? 3 : 1));
    double net_tx = std::max(0.0, net_rx * (0.3 + 0.1 * noise(8)));
    double disk_r = std::max(0.0, 5e5 + 3e6 * busy * (1 + 0.5 * noise(9)));
    double disk_w = std::max(0.0, 2e5 + 1e6 * busy * (1 + 0.5 * noise(10)));
    double temp = clamp(38 + 0.4 * cpu + 1.5 * noise(11), 20, 110);

    return HostValues{{"cpu", cpu},        {"mem", mem},       {"load1", load1},   {"net_rx", net_rx},
                      {"net_tx", net_tx},  {"disk_r", disk_r}, {"disk_w", disk_w}, {"temp", temp}};
}

}  // namespace vigil::hub
