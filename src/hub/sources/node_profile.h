// The screen's keys of a host from node_exporter series, with the same keys, units and
// thresholds as the hub's own host (hub/local_host.cpp): cpu, cpuN, mem, load1/5/15, net_rx,
// net_tx, disk_r, disk_w, temp. One scrape at a time; rates against the previous scrape.
// Implemented features:
//  [X] cpu and cpuN % from node_cpu_seconds_total (busy = not idle, iowait or steal)
//  [X] mem % from MemAvailable/MemTotal, load from node_load1/5/15
//  [X] net bytes/s over physical interfaces, disk bytes/s over whole disks (rules below)
//  [X] temp: hottest node_hwmon_temp_celsius, else hottest node_thermal_zone_temp
//  [X] the same keys from windows_exporter (ExporterKind::windows; no load: Windows has none)
//  [ ] filesystems, per-interface or per-disk keys
#pragma once

#include "hub/sources/counter_rates.h"
#include "hub/sources/exposition_parser.h"
#include "hub/sources/host_values.h"
#include "protocol/decode_limits.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hub::sources {

// Interfaces whose bytes are counted in net_rx/net_tx: not loopback, and not the virtual ones
// whose traffic also crosses a physical interface (bridges, veth pairs, tunnels, bonds, VLANs),
// which would count the same bytes twice.
bool counted_interface(std::string_view device);
// N of a per-core key "cpuN" (at most 6 digits), or -1 for any other key.
long core_key_number(std::string_view key);

// Disks whose bytes are counted in disk_r/disk_w: whole disks only. Partitions (sda1, nvme0n1p2,
// mmcblk0p1), device-mapper and md RAID (their I/O reaches the member disks too), loop, ram,
// zram, optical and floppy drives are not.
bool whole_disk(std::string_view device);

// windows_exporter's counterparts: a `nic` label counted in net_rx/net_tx (not the tunnel
// pseudo-interfaces, loopback, or Hyper-V's vEthernet adapters whose bytes also cross the
// physical NIC bound to the virtual switch), and a `volume` of windows_logical_disk_* counted in
// disk_r/disk_w when there is no windows_physical_disk_* (drive letters and mount points, not
// `_Total` or the letterless `HarddiskVolumeN` system partitions).
bool counted_windows_nic(std::string_view nic);
bool counted_windows_volume(std::string_view volume);

// Which exporter's names a profile reads.
enum class ExporterKind { node, windows };

class NodeProfile {
public:
    // The keys other than cpuN: cpu, mem, load1/5/15, net_rx/tx, disk_r/w, temp.
    static constexpr std::size_t fixed_keys = 10;
    // The page refuses a host of more than protocol::DecodeLimits::max_metrics keys (catalog and
    // frame alike), so the profile sends at most `max_core_keys` cpuN keys: those of the lowest
    // core numbers. Every core still counts in `cpu`. The caller leaves room for its mappings.
    explicit NodeProfile(ExporterKind kind = ExporterKind::node, std::size_t max_core_keys = default_max_core_keys);
    static constexpr std::size_t default_max_core_keys = protocol::DecodeLimits{}.max_metrics - fixed_keys;

    // Starts one scrape whose response came at the caller's monotonic `now_s`.
    void begin(double now_s);
    // Every series of the scrape, in body order; what the profile does not use costs a compare.
    void add(const SeriesView& s);
    // The metric names add() uses (the parser may skip all others: ExpositionParser::reset).
    static std::vector<std::string> read_names(ExporterKind kind = ExporterKind::node);
    ExporterKind kind() const { return kind_; }
    // The scrape's values (rates and cpu need the previous scrape: none on the first).
    HostValues finish();

    // Catalog entries for what the last finished scrape had (a node without sensors has no
    // `temp`; one cpuN per core seen), in local_host.cpp's order.
    std::vector<MetricInfo> metrics() const;
    // Changes whenever what metrics() returns may have changed (a finish() that saw other keys
    // or cores), so a caller rebuilds the catalog entries only then.
    std::uint64_t shape() const { return shape_; }
    // Cores the last finished scrape saw that have no cpuN key (beyond `max_core_keys`).
    std::size_t dropped_core_keys() const {
        return last_cores_.size() > max_core_keys_ ? last_cores_.size() - max_core_keys_ : 0;
    }

private:
    void add_node(const SeriesView& s);
    void add_windows(const SeriesView& s);
    void add_core(std::size_t id, double value, bool busy);
    // The rate of one device's counter, keyed "<prefix><device>" (key_ reused: no allocation).
    std::optional<double> rate_of(std::string_view prefix, std::string_view device, double value);

    ExporterKind kind_;
    std::size_t max_core_keys_;
    struct Core {
        double busy = 0, total = 0;
        bool seen = false;
    };
    double now_s_ = 0;
    std::vector<Core> cores_;
    std::optional<double> mem_total_, mem_available_, load1_, load5_, load15_, hwmon_, thermal_;
    std::optional<double> net_rx_, net_tx_, disk_r_, disk_w_;
    bool have_net_ = false, have_disk_ = false;
    // windows_exporter: free memory when there is no windows_memory_available_bytes, and the
    // logical disks' rates, used when there are no physical disks' (disk_r_/disk_w_).
    std::optional<double> mem_free_, volume_r_, volume_w_;
    bool have_volume_ = false;
    std::string key_;  // reused buffer for rate keys
    CounterRates rates_;

    // What the last finish() saw, for metrics().
    std::uint64_t shape_ = 0;
    std::vector<std::size_t> last_cores_;    // cpu numbers seen
    std::vector<std::size_t> shaped_cores_;  // ... when shape_ last changed
    bool last_cpu_ = false, last_mem_ = false, last_load_ = false, last_net_ = false, last_disk_ = false,
         last_temp_ = false;
};

}  // namespace vigil::hub::sources
