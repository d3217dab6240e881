// node_exporter (or windows_exporter) series -> the screen's keys of one host.
#include "hub/sources/node_profile.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace vigil::hub::sources {
namespace {

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Beyond any real machine; bounds the per-core table against a hostile label.
constexpr std::size_t max_cpus = 1024;

void add_to(std::optional<double>* sum, std::optional<double> v) {
    if (v) *sum = sum->value_or(0) + *v;
}

// Case-insensitive "contains", for Windows adapter names.
bool icontains(std::string_view s, std::string_view part) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    return std::search(s.begin(), s.end(), part.begin(), part.end(),
                       [&](char a, char b) { return lower(a) == lower(b); }) != s.end();
}

// windows_exporter's `core` label: "G,N" (processor group G, number N within it; a group holds
// at most 64 logical processors) or a plain "N".
std::optional<std::size_t> windows_core(std::string_view core) {
    auto number = [](std::string_view t) -> std::optional<std::size_t> {
        std::size_t v = 0;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
        return v;
    };
    const auto comma = core.find(',');
    if (comma == std::string_view::npos) return number(core);
    const auto group = number(core.substr(0, comma)), n = number(core.substr(comma + 1));
    if (!group || !n || *n >= 64 || *group >= 1024) return std::nullopt;
    return *group * 64 + *n;
}

void keep_hottest(std::optional<double>* hottest, double c) {
    if (!(c > -50 && c < 200)) return;  // unplugged sensors report -273 or 255 (as proc_metrics.cpp)
    if (!*hottest || c > **hottest) *hottest = c;
}

}  // namespace

NodeProfile::NodeProfile(ExporterKind kind, std::size_t max_core_keys) : kind_(kind), max_core_keys_(max_core_keys) {}

long core_key_number(std::string_view key) {
    if (key.size() < 4 || key.size() > 9 || key.substr(0, 3) != "cpu") return -1;
    long n = 0;
    for (char c : key.substr(3)) {
        if (c < '0' || c > '9') return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

bool counted_interface(std::string_view d) {
    if (d.empty() || d == "lo") return false;
    // VLAN sub-interfaces (eth0.100, eth0@if3) carry bytes their parent counts already.
    if (d.find('.') != std::string_view::npos || d.find('@') != std::string_view::npos) return false;
    static constexpr std::string_view virtual_prefixes[] = {
        "veth", "docker", "br", "virbr", "vnet", "cni", "flannel", "cali", "vxlan", "genev", "kube",
        "tun", "tap", "wg", "tailscale", "zt", "ifb", "dummy", "bond", "team", "lxc", "lxd", "ovs"};
    for (auto p : virtual_prefixes)
        if (starts(d, p)) return false;
    return true;
}

bool whole_disk(std::string_view d) {
    if (d.empty()) return false;
    static constexpr std::string_view not_disks[] = {"loop", "ram", "zram", "dm-", "md", "sr", "fd"};
    for (auto p : not_disks)
        if (starts(d, p)) return false;
    if (!is_digit(d.back())) return true;  // sda, vdb, xvda
    // nvme0n1 and mmcblk0 are whole disks; nvme0n1p2 and mmcblk0p1 are partitions.
    if (starts(d, "nvme") || starts(d, "mmcblk")) {
        const auto p = d.rfind('p');
        return !(p != std::string_view::npos && p > 4 && is_digit(d[p - 1]));
    }
    return false;  // sda1, vdb2, xvda1
}

bool counted_windows_nic(std::string_view nic) {
    if (nic.empty()) return false;
    static constexpr std::string_view not_counted[] = {"isatap", "teredo", "6to4", "loopback", "vethernet",
                                                       "pseudo-interface", "pseudo_interface"};
    for (auto p : not_counted)
        if (icontains(nic, p)) return false;
    return true;
}

bool counted_windows_volume(std::string_view v) {
    return !v.empty() && v != "_Total" && !starts(v, "HarddiskVolume");
}

void NodeProfile::begin(double now_s) {
    now_s_ = now_s;
    for (Core& c : cores_) c = Core{};
    mem_total_ = mem_available_ = load1_ = load5_ = load15_ = hwmon_ = thermal_ = std::nullopt;
    net_rx_ = net_tx_ = disk_r_ = disk_w_ = std::nullopt;
    have_net_ = have_disk_ = false;
    mem_free_ = volume_r_ = volume_w_ = std::nullopt;
    have_volume_ = false;
}

void NodeProfile::add(const SeriesView& s) {
    if (kind_ == ExporterKind::node) add_node(s);
    else add_windows(s);
}

void NodeProfile::add_core(std::size_t id, double value, bool busy) {
    if (id >= max_cpus) return;
    if (cores_.size() <= id) cores_.resize(id + 1);
    Core& c = cores_[id];
    c.seen = true;
    c.total += value;
    if (busy) c.busy += value;
}

std::optional<double> NodeProfile::rate_of(std::string_view prefix, std::string_view device, double value) {
    key_.assign(prefix);
    key_.append(device);
    return rates_.update(key_, value, now_s_);
}

void NodeProfile::add_node(const SeriesView& s) {
    const std::string_view n = s.name;
    if (!starts(n, "node_")) return;
    if (n == "node_cpu_seconds_total") {
        const auto cpu = s.label("cpu");
        const auto mode = s.label("mode");
        if (!cpu || !mode) return;
        std::size_t id = 0;
        auto [end, ec] = std::from_chars(cpu->data(), cpu->data() + cpu->size(), id);
        if (ec != std::errc() || end != cpu->data() + cpu->size()) return;
        // Busy is what the host's own work took. Idle is not; iowait is idle time with an I/O
        // outstanding (the CPU was free to run anything); steal is time the hypervisor gave to
        // other guests, which would make a VM look loaded when its neighbours are.
        add_core(id, s.value, *mode != "idle" && *mode != "iowait" && *mode != "steal");
    } else if (n == "node_memory_MemTotal_bytes") {
        mem_total_ = s.value;
    } else if (n == "node_memory_MemAvailable_bytes") {
        mem_available_ = s.value;
    } else if (n == "node_load1") {
        load1_ = s.value;
    } else if (n == "node_load5") {
        load5_ = s.value;
    } else if (n == "node_load15") {
        load15_ = s.value;
    } else if (n == "node_network_receive_bytes_total" || n == "node_network_transmit_bytes_total") {
        const auto dev = s.label("device");
        if (!dev || !counted_interface(*dev)) return;
        have_net_ = true;
        const bool rx = n == "node_network_receive_bytes_total";
        add_to(rx ? &net_rx_ : &net_tx_, rate_of(rx ? "rx/" : "tx/", *dev, s.value));
    } else if (n == "node_disk_read_bytes_total" || n == "node_disk_written_bytes_total") {
        const auto dev = s.label("device");
        if (!dev || !whole_disk(*dev)) return;
        have_disk_ = true;
        const bool r = n == "node_disk_read_bytes_total";
        add_to(r ? &disk_r_ : &disk_w_, rate_of(r ? "dr/" : "dw/", *dev, s.value));
    } else if (n == "node_hwmon_temp_celsius") {
        keep_hottest(&hwmon_, s.value);
    } else if (n == "node_thermal_zone_temp") {
        keep_hottest(&thermal_, s.value);
    }
}

void NodeProfile::add_windows(const SeriesView& s) {
    const std::string_view n = s.name;
    if (!starts(n, "windows_")) return;
    if (n == "windows_cpu_time_total") {
        const auto core = s.label("core");
        const auto mode = s.label("mode");
        if (!core || !mode) return;
        // Windows splits a processor's time into idle, user and privileged; the "dpc" and
        // "interrupt" modes are part of privileged time (Processor Information's "% Privileged
        // Time" includes them), so counting them too would count that time twice.
        const bool idle = *mode == "idle";
        if (!idle && *mode != "user" && *mode != "privileged") return;
        if (const auto id = windows_core(*core)) add_core(*id, s.value, !idle);
    } else if (n == "windows_memory_physical_total_bytes" || n == "windows_cs_physical_memory_bytes") {
        // The first is windows_exporter 0.30's name for the second (the cs collector's).
        if (!mem_total_) mem_total_ = s.value;
    } else if (n == "windows_memory_available_bytes") {
        // Standby (cache) + free + zeroed pages: what Linux's MemAvailable estimates.
        mem_available_ = s.value;
    } else if (n == "windows_memory_physical_free_bytes" || n == "windows_os_physical_memory_free_bytes") {
        if (!mem_free_) mem_free_ = s.value;
    } else if (n == "windows_net_bytes_received_total" || n == "windows_net_bytes_sent_total") {
        const auto nic = s.label("nic");
        if (!nic || !counted_windows_nic(*nic)) return;
        have_net_ = true;
        const bool rx = n == "windows_net_bytes_received_total";
        add_to(rx ? &net_rx_ : &net_tx_, rate_of(rx ? "rx/" : "tx/", *nic, s.value));
    } else if (n == "windows_physical_disk_read_bytes_total" || n == "windows_physical_disk_write_bytes_total") {
        const auto disk = s.label("disk");
        if (!disk || disk->empty() || *disk == "_Total") return;
        have_disk_ = true;
        const bool r = n == "windows_physical_disk_read_bytes_total";
        add_to(r ? &disk_r_ : &disk_w_, rate_of(r ? "dr/" : "dw/", *disk, s.value));
    } else if (n == "windows_logical_disk_read_bytes_total" || n == "windows_logical_disk_write_bytes_total") {
        const auto volume = s.label("volume");
        if (!volume || !counted_windows_volume(*volume)) return;
        have_volume_ = true;
        const bool r = n == "windows_logical_disk_read_bytes_total";
        add_to(r ? &volume_r_ : &volume_w_, rate_of(r ? "vr/" : "vw/", *volume, s.value));
    } else if (n == "windows_thermalzone_temperature_celsius") {
        keep_hottest(&thermal_, s.value);
    }
}

std::vector<std::string> NodeProfile::read_names(ExporterKind kind) {
    if (kind == ExporterKind::windows)
        return {"windows_cpu_time_total",
                "windows_memory_physical_total_bytes",
                "windows_cs_physical_memory_bytes",
                "windows_memory_available_bytes",
                "windows_memory_physical_free_bytes",
                "windows_os_physical_memory_free_bytes",
                "windows_net_bytes_received_total",
                "windows_net_bytes_sent_total",
                "windows_physical_disk_read_bytes_total",
                "windows_physical_disk_write_bytes_total",
                "windows_logical_disk_read_bytes_total",
                "windows_logical_disk_write_bytes_total",
                "windows_thermalzone_temperature_celsius"};
    return {"node_cpu_seconds_total",       "node_memory_MemTotal_bytes",       "node_memory_MemAvailable_bytes",
            "node_load1",                   "node_load5",                       "node_load15",
            "node_network_receive_bytes_total", "node_network_transmit_bytes_total", "node_disk_read_bytes_total",
            "node_disk_written_bytes_total", "node_hwmon_temp_celsius",         "node_thermal_zone_temp"};
}

HostValues NodeProfile::finish() {
    HostValues out, per_core;
    // windows_exporter: free memory stands in for available, the volumes for absent physical
    // disks (the physical_disk collector is newer and can be off; counting both would count the
    // same bytes twice).
    if (!mem_available_) mem_available_ = mem_free_;
    if (!have_disk_ && have_volume_) {
        have_disk_ = true;
        disk_r_ = volume_r_;
        disk_w_ = volume_w_;
    }
    auto put = [&](HostValues& to, std::string key, std::optional<double> v) {
        if (v && std::isfinite(*v)) to.emplace_back(std::move(key), *v);
    };
    double busy_sum = 0, total_sum = 0;
    bool any_rate = false;
    last_cores_.clear();
    for (std::size_t id = 0; id < cores_.size(); ++id) {
        const Core& c = cores_[id];
        if (!c.seen) continue;
        const bool keyed = last_cores_.size() < max_core_keys_;  // the lowest-numbered cores get cpuN
        last_cores_.push_back(id);
        const std::string name = "cpu" + std::to_string(id);
        // Both are rates over the same interval, so their ratio is Δbusy/Δtotal.
        const auto busy = rates_.update(name + "/busy", c.busy, now_s_);
        const auto total = rates_.update(name + "/total", c.total, now_s_);
        if (!busy || !total || !(*total > 0)) continue;
        if (keyed) put(per_core, name, std::clamp(100.0 * *busy / *total, 0.0, 100.0));
        busy_sum += *busy;
        total_sum += *total;
        any_rate = true;
    }
    if (any_rate) put(out, "cpu", std::clamp(100.0 * busy_sum / total_sum, 0.0, 100.0));
    if (mem_total_ && mem_available_ && *mem_total_ > 0 && *mem_available_ >= 0 && *mem_available_ <= *mem_total_)
        put(out, "mem", 100.0 * (1.0 - *mem_available_ / *mem_total_));
    put(out, "load1", load1_);
    put(out, "load5", load5_);
    put(out, "load15", load15_);
    put(out, "net_rx", net_rx_);
    put(out, "net_tx", net_tx_);
    put(out, "disk_r", disk_r_);
    put(out, "disk_w", disk_w_);
    put(out, "temp", hwmon_ ? hwmon_ : thermal_);
    for (auto& kv : per_core) out.push_back(std::move(kv));
    rates_.sweep();

    const bool cpu = !last_cores_.empty(), mem = mem_total_ && mem_available_, load = load1_ || load5_ || load15_,
               temp = hwmon_ || thermal_;
    if (cpu != last_cpu_ || mem != last_mem_ || load != last_load_ || have_net_ != last_net_ ||
        have_disk_ != last_disk_ || temp != last_temp_ || last_cores_ != shaped_cores_) {
        ++shape_;
        shaped_cores_ = last_cores_;
    }
    last_cpu_ = cpu;
    last_mem_ = mem;
    last_load_ = load;
    last_net_ = have_net_;
    last_disk_ = have_disk_;
    last_temp_ = temp;
    return out;
}

std::vector<MetricInfo> NodeProfile::metrics() const {
    std::vector<MetricInfo> m;
    const double cores = double(std::max<std::size_t>(1, last_cores_.size()));
    if (last_cpu_) m.push_back({"cpu", "CPU", "%", 80, 95});
    if (last_mem_) m.push_back({"mem", "Memory", "%", 85, 95});
    if (last_load_) {
        m.push_back({"load1", "Load 1m", "", cores, cores * 2});
        m.push_back({"load5", "Load 5m", "", cores, cores * 2});
        m.push_back({"load15", "Load 15m", "", cores, cores * 2});
    }
    if (last_net_) {
        m.push_back({"net_rx", "Net in", "B/s", std::nullopt, std::nullopt});
        m.push_back({"net_tx", "Net out", "B/s", std::nullopt, std::nullopt});
    }
    if (last_disk_) {
        m.push_back({"disk_r", "Disk read", "B/s", std::nullopt, std::nullopt});
        m.push_back({"disk_w", "Disk write", "B/s", std::nullopt, std::nullopt});
    }
    if (last_temp_) m.push_back({"temp", "Temperature", "°C", 80, 95});
    for (std::size_t i = 0; i < last_cores_.size() && i < max_core_keys_; ++i) {
        const std::size_t id = last_cores_[i];
        m.push_back({"cpu" + std::to_string(id), "CPU " + std::to_string(id), "%", 90, 98});
    }
    return m;
}

}  // namespace vigil::hub::sources
