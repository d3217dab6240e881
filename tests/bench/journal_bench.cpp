// vigil-journal-bench: the hub's journal (vigil_hub_lib) measured on its own. Prints ONE JSON object.
//
//   appends  --dir D [--seconds S] [--hosts H]
//       appends realistic samples frames (the simulated fleet of H hosts, encoded as the hub does)
//       as fast as possible with the hub's journal options and default fsync policy (fsync at most
//       1 s after an append, asked for after every append as the hub's tick does), for S seconds
//       (bounded by a record count too): appends/s, MB/s, per-append latency p50/p99/max.
//   recover  --dir D [--mb M] [--reps R]
//       writes an M MB journal (1000-byte records, like tests/unit/test_journal.cpp), closes it, then
//       times Journal::open (recovery: scan, CRC, index) R times, and one read_range in the middle.
//   fill     --dir D --hosts H [--frames F] [--interval-ms I] [--seed S]
//       appends F frames of the hub's simulated fleet (same seed as `vigil-hub --simulate H
//       --seed S --no-local`), stamped so the newest is now and they are I ms apart: a hub started
//       on this journal backfills a page with F*I ms of real-looking history at once.
#include "hub/fleet_sampler.h"
#include "hub/journal.h"
#include "protocol/encode.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

using namespace vigil;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::int64_t unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The journal as vigil-hub opens it (src/hub/main.cpp, default hub options).
hub::JournalOptions hub_like(const std::string& dir) {
    hub::JournalOptions jo;
    jo.dir = dir;
    jo.max_records = 86400;
    jo.max_bytes = 256u << 20;
    jo.segment_bytes = 16u << 20;
    jo.log = [](const std::string&) {};
    return jo;
}

std::unique_ptr<hub::Journal> open_or_die(hub::JournalOptions o) {
    std::string err;
    auto j = hub::Journal::open(std::move(o), &err);
    if (!j) {
        std::cerr << "vigil-journal-bench: cannot open journal: " << err << "\n";
        std::exit(1);
    }
    return j;
}

double pct(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

int appends(const std::map<std::string, std::string>& a) {
    const double seconds = std::min(60.0, std::atof(a.count("seconds") ? a.at("seconds").c_str() : "3"));
    const int hosts = std::atoi(a.count("hosts") ? a.at("hosts").c_str() : "100");
    hub::FleetSampler sampler(nullptr, hosts, 1);
    std::vector<std::string> frames;
    for (std::uint64_t s = 1; s <= 64; ++s) frames.push_back(protocol::encode(sampler.sample(s, unix_ms(), 0)));
    std::size_t frame_bytes = 0;
    for (auto& f : frames) frame_bytes += f.size();
    frame_bytes /= frames.size();

    auto j = open_or_die(hub_like(a.at("dir")));
    std::vector<double> lat;
    lat.reserve(1 << 20);
    const std::uint64_t max_records = 5'000'000;
    std::uint64_t n = 0, bytes = 0;
    std::string err;
    const auto t0 = Clock::now();
    double elapsed = 0;
    while (n < max_records && (elapsed = ms_since(t0)) < seconds * 1000) {
        const auto& f = frames[n % frames.size()];
        const auto a0 = Clock::now();
        if (!j->append(j->next_seq(), unix_ms(), f, &err)) {
            std::cerr << "append failed: " << err << "\n";
            return 1;
        }
        j->sync_if_due(&err);
        lat.push_back(ms_since(a0) * 1000.0);
        ++n;
        bytes += f.size();
    }
    elapsed = ms_since(t0);
    j->close();
    std::printf("{\"mode\":\"appends\",\"hosts\":%d,\"frame_bytes\":%zu,\"records\":%llu,\"seconds\":%.3f,"
                "\"appends_per_s\":%.0f,\"mb_per_s\":%.1f,\"append_us_p50\":%.1f,\"append_us_p99\":%.1f,\"append_us_max\":%.0f}\n",
                hosts, frame_bytes, static_cast<unsigned long long>(n), elapsed / 1000, n / (elapsed / 1000),
                bytes / (elapsed / 1000) / 1e6, pct(lat, 0.5), pct(lat, 0.99), pct(lat, 1.0));
    return 0;
}

int recover(const std::map<std::string, std::string>& a) {
    const double mb = std::min(2000.0, std::atof(a.count("mb") ? a.at("mb").c_str() : "100"));
    const int reps = std::clamp(std::atoi(a.count("reps") ? a.at("reps").c_str() : "3"), 1, 20);
    auto o = hub_like(a.at("dir"));
    o.max_bytes = 0;
    o.max_records = 0;
    o.sync_interval_ms = 1'000'000;  // building it is not what is measured
    const std::string big(1000, 'x');
    const auto n = static_cast<std::uint64_t>(mb * 1e6 / 1000);
    std::string err;
    const auto b0 = Clock::now();
    {
        auto j = open_or_die(o);
        for (std::uint64_t s = 1; s <= n; ++s)
            if (!j->append(s, static_cast<std::int64_t>(s) * 1000, big, &err)) {
                std::cerr << "append failed: " << err << "\n";
                return 1;
            }
        j->close();  // fsync + clean state: recovery then scans everything, cuts nothing
    }
    const double build_ms = ms_since(b0);
    std::vector<double> open_ms;
    double range_ms = 0;
    std::uint64_t records = 0, bytes = 0;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = Clock::now();
        auto j = open_or_die(o);
        open_ms.push_back(ms_since(t0));
        records = j->record_count();
        bytes = j->byte_size();
        const auto r0 = Clock::now();
        auto recs = j->read_range(n * 7 / 9, 100);
        range_ms = ms_since(r0);
        if (recs.size() != 100) std::cerr << "read_range returned " << recs.size() << "\n";
    }
    std::vector<double> sorted = open_ms;
    std::string all;
    for (double v : open_ms) all += (all.empty() ? "" : ",") + std::to_string(v);
    std::printf("{\"mode\":\"recover\",\"records\":%llu,\"bytes\":%llu,\"build_ms\":%.0f,\"open_ms\":[%s],"
                "\"open_ms_median\":%.1f,\"read_range_ms\":%.3f}\n",
                static_cast<unsigned long long>(records), static_cast<unsigned long long>(bytes), build_ms, all.c_str(),
                pct(sorted, 0.5), range_ms);
    return 0;
}

int fill(const std::map<std::string, std::string>& a) {
    const int hosts = std::atoi(a.at("hosts").c_str());
    const int frames = std::clamp(std::atoi(a.count("frames") ? a.at("frames").c_str() : "600"), 1, 100000);
    const int interval = std::max(1, std::atoi(a.count("interval-ms") ? a.at("interval-ms").c_str() : "1000"));
    const auto seed = static_cast<std::uint64_t>(std::atoll(a.count("seed") ? a.at("seed").c_str() : "1"));
    hub::FleetSampler sampler(nullptr, hosts, seed);
    auto j = open_or_die(hub_like(a.at("dir")));
    const std::int64_t now = unix_ms();
    std::string err;
    std::uint64_t bytes = 0;
    const auto t0 = Clock::now();
    for (int k = 0; k < frames; ++k) {
        const auto seq = j->next_seq();
        const std::int64_t t = now - static_cast<std::int64_t>(frames - 1 - k) * interval;
        const std::string text = protocol::encode(sampler.sample(seq, t, 0));
        if (!j->append(seq, t, text, &err)) {
            std::cerr << "append failed: " << err << "\n";
            return 1;
        }
        bytes += text.size();
    }
    j->close();
    std::printf("{\"mode\":\"fill\",\"hosts\":%d,\"frames\":%d,\"bytes\":%llu,\"ms\":%.0f,\"head\":%llu}\n", hosts, frames,
                static_cast<unsigned long long>(bytes), ms_since(t0), static_cast<unsigned long long>(j->head_seq()));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: vigil-journal-bench appends|recover|fill --dir D [options] (see the source header)\n";
        return 2;
    }
    const std::string mode = argv[1];
    std::map<std::string, std::string> a;
    for (int i = 2; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k.rfind("--", 0) == 0) a[k.substr(2)] = argv[i + 1];
    }
    if (!a.count("dir")) {
        std::cerr << "--dir is required\n";
        return 2;
    }
    std::filesystem::create_directories(a.at("dir"));
    if (mode == "appends") return appends(a);
    if (mode == "recover") return recover(a);
    if (mode == "fill") {
        if (!a.count("hosts")) return std::cerr << "--hosts is required\n", 2;
        return fill(a);
    }
    std::cerr << "unknown mode " << mode << "\n";
    return 2;
}
