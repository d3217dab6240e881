// This machine as host `local`: CPU (total and per core), memory, load, network and disk rates,
// temperature where a sensor exists. Files are read through a seam so tests feed captured text.
// Implemented features:
//  [X] /proc/stat, /proc/meminfo, /proc/loadavg, /proc/net/dev, /proc/diskstats
//  [X] /sys/class/thermal/thermal_zone*/temp, else /sys/class/hwmon/hwmon*/temp*_input (hottest wins)
//  [ ] per-interface or per-disk series (sums only)
#pragma once

#include "hub/counter_rate.h"
#include "hub/host_catalog.h"
#include "hub/proc_metrics.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vigil::hub {

struct LocalHostFiles {
    std::function<std::optional<std::string>(const std::string& path)> read;  // whole file, if readable
    std::function<std::vector<std::string>(const std::string& dir)> list;     // entry names of a folder
};

// The real filesystem.
LocalHostFiles real_files();

class LocalHost {
public:
    LocalHost(LocalHostFiles files, std::string name);

    const HostInfo& spec() const { return spec_; }

    // One reading; `now_s` is monotonic seconds. Rates and CPU need a previous reading, taken at
    // construction, so the first sample already has them.
    HostValues sample(double now_s);

private:
    void read_counters(double now_s, std::vector<CpuTimes>* cpus, HostValues* rates);
    std::optional<double> hottest_temperature();

    LocalHostFiles files_;
    HostInfo spec_;
    std::vector<std::string> temp_paths_;
    std::set<std::string> whole_disks_;
    std::vector<CpuTimes> last_cpus_;
    std::size_t core_keys_ = 0;  // cpuN keys in the catalog: the lowest cores, within the page's limit
    CounterRate net_rx_, net_tx_, disk_r_, disk_w_;
};

// The machine's host name (for the catalog), "localhost" if unknown.
std::string machine_hostname();

}  // namespace vigil::hub
