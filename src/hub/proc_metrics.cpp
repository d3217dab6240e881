// Parsers for /proc and /sys text.
#include "hub/proc_metrics.h"

#include <cctype>
#include <charconv>
#include <sstream>
#include <string>

namespace vigil::hub {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto nl = text.find('\n');
        out.push_back(text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

std::vector<std::string_view> fields_of(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        auto start = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

std::optional<std::uint64_t> to_u64(std::string_view s) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<double> to_double(std::string_view s) {
    // from_chars for double is missing from older libstdc++; istringstream is fine at this rate.
    std::istringstream in{std::string(s)};
    double v = 0;
    if (!(in >> v)) return std::nullopt;
    return v;
}

bool looks_like_partition_or_virtual(std::string_view name) {
    auto starts = [&](std::string_view p) { return name.substr(0, p.size()) == p; };
    if (starts("loop") || starts("ram") || starts("dm-") || starts("zram") || starts("sr") || starts("md")) return true;
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name.back()))) return false;
    // nvme0n1 and mmcblk0 are whole disks; nvme0n1p2 and mmcblk0p1 are partitions.
    if (starts("nvme") || starts("mmcblk")) {
        auto p = name.rfind('p');
        return p != std::string_view::npos && p > 4 && std::isdigit(static_cast<unsigned char>(name[p - 1]));
    }
    return true;  // sda1, vdb2, xvda1
}

}  // namespace

std::vector<CpuTimes> parse_proc_stat(std::string_view text) {
    std::vector<CpuTimes> out;
    for (auto line : lines_of(text)) {
        auto f = fields_of(line);
        if (f.empty() || f[0].substr(0, 3) != "cpu") continue;
        if (f.size() < 5) return {};
        // user nice system idle iowait irq softirq steal [guest guest_nice: already in user/nice]
        std::uint64_t v[8] = {};
        for (std::size_t i = 0; i < 8 && i + 1 < f.size(); ++i) {
            auto n = to_u64(f[i + 1]);
            if (!n) return {};
            v[i] = *n;
        }
        CpuTimes t;
        const std::uint64_t idle = v[3] + v[4];
        t.total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
        t.busy = t.total - idle;
        if (f[0] == "cpu" && !out.empty()) return {};  // aggregate must come first
        if (f[0] != "cpu" && out.empty()) return {};
        out.push_back(t);
    }
    return out;
}

std::optional<double> cpu_percent(const CpuTimes& before, const CpuTimes& after) {
    if (after.total <= before.total || after.busy < before.busy) return std::nullopt;
    double pct = 100.0 * double(after.busy - before.busy) / double(after.total - before.total);
    return pct < 0 ? 0 : (pct > 100 ? 100 : pct);
}

std::optional<double> parse_mem_used_percent(std::string_view meminfo) {
    std::optional<std::uint64_t> total, available;
    for (auto line : lines_of(meminfo)) {
        auto f = fields_of(line);
        if (f.size() < 2) continue;
        if (f[0] == "MemTotal:") total = to_u64(f[1]);
        else if (f[0] == "MemAvailable:") available = to_u64(f[1]);
    }
    if (!total || !available || *total == 0 || *available > *total) return std::nullopt;
    return 100.0 * double(*total - *available) / double(*total);
}

std::optional<LoadAverages> parse_loadavg(std::string_view text) {
    auto f = fields_of(text);
    if (f.size() < 3) return std::nullopt;
    auto a = to_double(f[0]), b = to_double(f[1]), c = to_double(f[2]);
    if (!a || !b || !c) return std::nullopt;
    return LoadAverages{*a, *b, *c};
}

std::optional<ByteCounters> parse_net_dev(std::string_view text) {
    ByteCounters sum;
    bool any = false;
    for (auto line : lines_of(text)) {
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;  // the two header lines
        auto name = fields_of(line.substr(0, colon));
        if (name.size() != 1 || name[0] == "lo") continue;
        auto f = fields_of(line.substr(colon + 1));
        if (f.size() < 9) continue;
        auto rx = to_u64(f[0]), tx = to_u64(f[8]);
        if (!rx || !tx) continue;
        sum.read += *rx;
        sum.write += *tx;
        any = true;
    }
    if (!any) return std::nullopt;
    return sum;
}

std::optional<ByteCounters> parse_diskstats(std::string_view text, const std::set<std::string>& whole_disks) {
    ByteCounters sum;
    bool any = false;
    for (auto line : lines_of(text)) {
        auto f = fields_of(line);
        if (f.size() < 10) continue;
        std::string name(f[2]);
        bool counted = whole_disks.empty() ? !looks_like_partition_or_virtual(name) : whole_disks.count(name) > 0;
        if (!counted) continue;
        auto sectors_read = to_u64(f[5]), sectors_written = to_u64(f[9]);
        if (!sectors_read || !sectors_written) continue;
        sum.read += *sectors_read * 512;   // diskstats sectors are always 512 bytes
        sum.write += *sectors_written * 512;
        any = true;
    }
    if (!any) return std::nullopt;
    return sum;
}

std::optional<double> parse_millidegrees(std::string_view text) {
    auto f = fields_of(text);
    if (f.size() != 1) return std::nullopt;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(f[0].data(), f[0].data() + f[0].size(), v);
    if (ec != std::errc() || end != f[0].data() + f[0].size()) return std::nullopt;
    double c = double(v) / 1000.0;
    if (c <= -50 || c >= 200) return std::nullopt;  // unplugged sensors report -273 or 255
    return c;
}

}  // namespace vigil::hub
