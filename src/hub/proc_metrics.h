// Parsers for the Linux text files the local host is sampled from (/proc/stat, /proc/meminfo,
// /proc/loadavg, /proc/net/dev, /proc/diskstats, thermal millidegrees). Pure functions over text,
// so every format quirk is a unit test with a captured file.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hub {

// Jiffies of one line of /proc/stat ("cpu" or "cpuN").
struct CpuTimes {
    std::uint64_t busy = 0;
    std::uint64_t total = 0;
};

// Index 0 is the aggregate "cpu" line, then cpu0..cpuN in file order. Empty when unparsable.
std::vector<CpuTimes> parse_proc_stat(std::string_view text);

// Busy percentage between two readings of the same CPU; nothing when no time passed.
std::optional<double> cpu_percent(const CpuTimes& before, const CpuTimes& after);

// (MemTotal - MemAvailable) / MemTotal in percent; nothing when either field is missing.
std::optional<double> parse_mem_used_percent(std::string_view meminfo);

struct LoadAverages {
    double load1 = 0, load5 = 0, load15 = 0;
};
std::optional<LoadAverages> parse_loadavg(std::string_view text);

struct ByteCounters {
    std::uint64_t read = 0;   // received, for network
    std::uint64_t write = 0;  // transmitted, for network
};

// Sum over interfaces but loopback.
std::optional<ByteCounters> parse_net_dev(std::string_view text);

// Sum of sectors read/written (x512 bytes) over `whole_disks`; when that set is empty, over every
// device that does not look like a partition, loop, ram or device-mapper node (so no byte is
// counted twice).
std::optional<ByteCounters> parse_diskstats(std::string_view text, const std::set<std::string>& whole_disks);

// A thermal reading in millidegrees Celsius ("42000\n") -> degrees; nothing for junk or absurd values.
std::optional<double> parse_millidegrees(std::string_view text);

}  // namespace vigil::hub
