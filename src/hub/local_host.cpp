// Host `local`: samples this machine from /proc and /sys.
#include "hub/local_host.h"

#include "protocol/decode_limits.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace vigil::hub {

LocalHostFiles real_files() {
    LocalHostFiles f;
    f.read = [](const std::string& path) -> std::optional<std::string> {
        std::ifstream in(path, std::ios::binary);
        if (!in) return std::nullopt;
        // /proc files report size 0: read in chunks, bounded (these files are a few KB).
        std::string out;
        char buf[4096];
        while (in.read(buf, sizeof buf) || in.gcount() > 0) {
            out.append(buf, std::size_t(in.gcount()));
            if (out.size() > (1u << 20)) break;
        }
        return out;
    };
    f.list = [](const std::string& dir) {
        std::vector<std::string> names;
        std::error_code ec;
        for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
             it.increment(ec))
            names.push_back(it->path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    };
    return f;
}

std::string machine_hostname() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "localhost";
    return buf;
}

LocalHost::LocalHost(LocalHostFiles files, std::string name) : files_(std::move(files)) {
    spec_.id = "local";
    spec_.name = std::move(name);

    for (auto& zone : files_.list("/sys/class/thermal"))
        if (zone.rfind("thermal_zone", 0) == 0) temp_paths_.push_back("/sys/class/thermal/" + zone + "/temp");
    if (temp_paths_.empty())
        for (auto& hw : files_.list("/sys/class/hwmon"))
            for (auto& entry : files_.list("/sys/class/hwmon/" + hw))
                if (entry.rfind("temp", 0) == 0 && entry.size() > 11 && entry.substr(entry.size() - 6) == "_input")
                    temp_paths_.push_back("/sys/class/hwmon/" + hw + "/" + entry);
    // Keep only sensors that read now; a zone that errors (common in VMs) would only add noise.
    temp_paths_.erase(std::remove_if(temp_paths_.begin(), temp_paths_.end(),
                                     [&](const std::string& p) {
                                         auto text = files_.read(p);
                                         return !text || !parse_millidegrees(*text);
                                     }),
                      temp_paths_.end());
    for (auto& dev : files_.list("/sys/block"))
        if (dev.rfind("loop", 0) != 0 && dev.rfind("ram", 0) != 0 && dev.rfind("dm-", 0) != 0 &&
            dev.rfind("zram", 0) != 0 && dev.rfind("md", 0) != 0 && dev.rfind("sr", 0) != 0)
            whole_disks_.insert(dev);

    HostValues ignored;
    read_counters(0, &last_cpus_, &ignored);
    const double cores = std::max<double>(1, double(last_cpus_.size() > 1 ? last_cpus_.size() - 1 : 1));

    auto& m = spec_.metrics;
    m.push_back({"cpu", "CPU", "%", 80, 95});
    m.push_back({"mem", "Memory", "%", 85, 95});
    m.push_back({"load1", "Load 1m", "", cores, cores * 2});
    m.push_back({"load5", "Load 5m", "", cores, cores * 2});
    m.push_back({"load15", "Load 15m", "", cores, cores * 2});
    m.push_back({"net_rx", "Net in", "B/s", std::nullopt, std::nullopt});
    m.push_back({"net_tx", "Net out", "B/s", std::nullopt, std::nullopt});
    m.push_back({"disk_r", "Disk read", "B/s", std::nullopt, std::nullopt});
    m.push_back({"disk_w", "Disk write", "B/s", std::nullopt, std::nullopt});
    if (!temp_paths_.empty()) m.push_back({"temp", "Temperature", "°C", 80, 95});
    // Per-core keys for the lowest cores, as many as the page takes of one host beside the others
    // (a 600-thread machine: a catalog the page would refuse whole); every core counts in cpu.
    const std::size_t room = protocol::DecodeLimits{}.max_metrics - m.size();
    core_keys_ = std::min(last_cpus_.size() > 1 ? last_cpus_.size() - 1 : 0, room);
    for (std::size_t i = 0; i < core_keys_; ++i)
        m.push_back({"cpu" + std::to_string(i), "CPU " + std::to_string(i), "%", 90, 98});
}

void LocalHost::read_counters(double now_s, std::vector<CpuTimes>* cpus, HostValues* rates) {
    if (auto text = files_.read("/proc/stat")) *cpus = parse_proc_stat(*text);
    auto put = [&](const char* key, std::optional<double> v) {
        if (v) rates->emplace_back(key, *v);
    };
    if (auto text = files_.read("/proc/net/dev"))
        if (auto net = parse_net_dev(*text)) {
            put("net_rx", net_rx_.update(net->read, now_s));
            put("net_tx", net_tx_.update(net->write, now_s));
        }
    if (auto text = files_.read("/proc/diskstats"))
        if (auto disk = parse_diskstats(*text, whole_disks_)) {
            put("disk_r", disk_r_.update(disk->read, now_s));
            put("disk_w", disk_w_.update(disk->write, now_s));
        }
}

std::optional<double> LocalHost::hottest_temperature() {
    std::optional<double> hottest;
    for (auto& p : temp_paths_)
        if (auto text = files_.read(p))
            if (auto c = parse_millidegrees(*text)) hottest = std::max(hottest.value_or(*c), *c);
    return hottest;
}

HostValues LocalHost::sample(double now_s) {
    HostValues rates, out;
    std::vector<CpuTimes> cpus;
    read_counters(now_s, &cpus, &rates);
    auto put = [&](std::string key, std::optional<double> v) {
        if (v) out.emplace_back(std::move(key), *v);
    };
    if (!cpus.empty() && !last_cpus_.empty()) put("cpu", cpu_percent(last_cpus_[0], cpus[0]));
    if (auto text = files_.read("/proc/meminfo")) put("mem", parse_mem_used_percent(*text));
    if (auto text = files_.read("/proc/loadavg"))
        if (auto load = parse_loadavg(*text)) {
            put("load1", load->load1);
            put("load5", load->load5);
            put("load15", load->load15);
        }
    for (auto& r : rates) out.push_back(r);
    if (!temp_paths_.empty()) put("temp", hottest_temperature());
    // Per-core values only while the core count matches the catalog (CPU hotplug changes it).
    if (cpus.size() == last_cpus_.size())
        for (std::size_t i = 1; i < cpus.size() && i <= core_keys_; ++i)
            put("cpu" + std::to_string(i - 1), cpu_percent(last_cpus_[i], cpus[i]));
    if (!cpus.empty()) last_cpus_ = std::move(cpus);
    return out;
}

}  // namespace vigil::hub
