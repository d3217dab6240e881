// The node_exporter profile (src/hub/sources/node_profile.h): the screen's keys from two real
// scrapes of this machine (fixtures captured from /usr/bin/prometheus-node-exporter 1.5), checked
// against a naive independent reading of the same text, plus the rules (busy modes, interfaces,
// disks, sensors, resets) on hand-written bodies, and the catalog against the hub's own host.
#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>

#include "hub/local_host.h"
#include "hub/sources/exposition_parser.h"
#include "test_sources_fixture.h"
#include "hub/sources/node_profile.h"
#include "protocol/decode_limits.h"

using namespace vigil::hub::sources;

namespace {

struct CpuSums {
    double busy = 0, total = 0;
};
CpuSums cpu_sums(const std::string& body, int cpu) {
    CpuSums s;
    for (const char* mode : {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"}) {
        const double v = line_value(body, "node_cpu_seconds_total{cpu=\"" + std::to_string(cpu) + "\",mode=\"" + mode + "\"}");
        s.total += v;
        if (std::string(mode) != "idle" && std::string(mode) != "iowait" && std::string(mode) != "steal") s.busy += v;
    }
    return s;
}

std::string cpu_lines(int cpu, double idle, double iowait, double steal, double user, double system = 0) {
    std::string c = "node_cpu_seconds_total{cpu=\"" + std::to_string(cpu) + "\",mode=\"";
    return c + "idle\"} " + std::to_string(idle) + "\n" + c + "iowait\"} " + std::to_string(iowait) + "\n" + c +
           "steal\"} " + std::to_string(steal) + "\n" + c + "user\"} " + std::to_string(user) + "\n" + c +
           "system\"} " + std::to_string(system) + "\n";
}

}  // namespace

TEST_CASE("two real scrapes: cpu, cpuN, mem, load, net and disk rates match a naive reading of the same text") {
    const std::string one = read_sources_fixture("node_exporter_scrape1.prom");
    const std::string two = read_sources_fixture("node_exporter_scrape2.prom");
    NodeProfile profile;
    auto first = scrape_into(profile, one, 100.0);
    // Without a previous scrape there are no rates and no cpu, but gauges are there.
    CHECK(first.count("cpu") == 0);
    CHECK(first.count("net_rx") == 0);
    CHECK(first.at("load1") == doctest::Approx(line_value(one, "node_load1")));
    const double dt = 2.0;
    auto v = scrape_into(profile, two, 100.0 + dt);

    double busy = 0, total = 0;
    for (int cpu = 0; cpu < 2; ++cpu) {
        const CpuSums a = cpu_sums(one, cpu), b = cpu_sums(two, cpu);
        const double pct = 100 * (b.busy - a.busy) / (b.total - a.total);
        CHECK(v.at("cpu" + std::to_string(cpu)) == doctest::Approx(pct));
        busy += b.busy - a.busy;
        total += b.total - a.total;
    }
    CHECK(v.at("cpu") == doctest::Approx(100 * busy / total));
    CHECK(v.at("mem") == doctest::Approx(100 * (1 - line_value(two, "node_memory_MemAvailable_bytes") /
                                                        line_value(two, "node_memory_MemTotal_bytes"))));
    CHECK(v.at("load1") == doctest::Approx(line_value(two, "node_load1")));
    CHECK(v.at("load5") == doctest::Approx(line_value(two, "node_load5")));
    CHECK(v.at("load15") == doctest::Approx(line_value(two, "node_load15")));
    const std::string rx = "node_network_receive_bytes_total{device=\"eth0\"}";
    const std::string tx = "node_network_transmit_bytes_total{device=\"eth0\"}";
    CHECK(v.at("net_rx") == doctest::Approx((line_value(two, rx) - line_value(one, rx)) / dt));
    CHECK(v.at("net_tx") == doctest::Approx((line_value(two, tx) - line_value(one, tx)) / dt));
    const std::string dr = "node_disk_read_bytes_total{device=\"vda\"}";
    const std::string dw = "node_disk_written_bytes_total{device=\"vda\"}";
    CHECK(v.at("disk_r") == doctest::Approx((line_value(two, dr) - line_value(one, dr)) / dt));
    CHECK(v.at("disk_w") == doctest::Approx((line_value(two, dw) - line_value(one, dw)) / dt));
    CHECK(v.count("temp") == 0);  // this VM has no sensors
    CHECK(v.size() == 11);

    std::vector<std::string> keys;
    for (auto& m : profile.metrics()) keys.push_back(m.key);
    CHECK(keys == std::vector<std::string>{"cpu", "mem", "load1", "load5", "load15", "net_rx", "net_tx", "disk_r",
                                           "disk_w", "cpu0", "cpu1"});
}

TEST_CASE("busy is every mode but idle, iowait and steal; total is every mode") {
    NodeProfile p;
    scrape_into(p, cpu_lines(0, 0, 0, 0, 0) + cpu_lines(1, 0, 0, 0, 0), 0);
    // cpu0: 10 s of iowait and steal only; cpu1: 3 s user + 1 s system out of 8 s.
    auto v = scrape_into(p, cpu_lines(0, 0, 5, 5, 0) + cpu_lines(1, 4, 0, 0, 3, 1), 10);
    CHECK(v.at("cpu0") == doctest::Approx(0));
    CHECK(v.at("cpu1") == doctest::Approx(50));
    CHECK(v.at("cpu") == doctest::Approx(100.0 * 4 / 18));  // weighted by each core's time, as /proc/stat's "cpu"
}

TEST_CASE("a reset of the cpu counters (reboot) gives no cpu for that scrape, the next one is normal") {
    NodeProfile p;
    scrape_into(p, cpu_lines(0, 1000, 0, 0, 1000), 0);
    CHECK(scrape_into(p, cpu_lines(0, 1010, 0, 0, 1010), 10).at("cpu") == doctest::Approx(50));
    auto rebooted = scrape_into(p, cpu_lines(0, 5, 0, 0, 1), 20);
    CHECK(rebooted.count("cpu") == 0);
    CHECK(rebooted.count("cpu0") == 0);
    CHECK(scrape_into(p, cpu_lines(0, 8, 0, 0, 10), 30).at("cpu") == doctest::Approx(75));
}

TEST_CASE("net sums physical interfaces only; a new interface adds no spike") {
    NodeProfile p;
    auto body = [](double eth, double veth, double lo, double br, double newcomer) {
        std::string b;
        auto line = [&](const char* dev, double v) {
            b += std::string("node_network_receive_bytes_total{device=\"") + dev + "\"} " + std::to_string(v) + "\n";
        };
        line("eth0", eth);
        line("veth12ab", veth);
        line("lo", lo);
        line("br-1234", br);
        if (newcomer >= 0) line("enp3s0", newcomer);
        return b;
    };
    scrape_into(p, body(0, 0, 0, 0, -1), 0);
    CHECK(scrape_into(p, body(1000, 5000, 7000, 9000, -1), 1).at("net_rx") == doctest::Approx(1000));
    // enp3s0 appears with 1e9 bytes already counted: its first reading is a baseline, not a rate.
    CHECK(scrape_into(p, body(2000, 5000, 7000, 9000, 1e9), 2).at("net_rx") == doctest::Approx(1000));
    CHECK(scrape_into(p, body(3000, 5000, 7000, 9000, 1e9 + 500), 3).at("net_rx") == doctest::Approx(1500));
}

TEST_CASE("interface rule: loopback, bridges, veth, tunnels, bonds, VLANs are not counted") {
    for (const char* yes : {"eth0", "enp3s0", "eno1", "ens5", "wlp2s0", "ib0", "wwan0"}) CHECK_MESSAGE(counted_interface(yes), yes);
    for (const char* no : {"lo", "veth1a2b", "docker0", "br-5f3c", "br0", "virbr0", "vnet3", "cni0", "flannel.1",
                           "cali123", "vxlan.calico", "tun0", "tap0", "wg0", "tailscale0", "bond0", "eth0.100",
                           "eth0@if12", "ifb0", "dummy0", ""})
        CHECK_MESSAGE(!counted_interface(no), no);
}

TEST_CASE("disk rule: whole disks only") {
    for (const char* yes : {"sda", "vdb", "xvda", "nvme0n1", "nvme1n12", "mmcblk0", "hda"}) CHECK_MESSAGE(whole_disk(yes), yes);
    for (const char* no : {"sda1", "vdb2", "xvda1", "nvme0n1p1", "mmcblk0p2", "dm-0", "md0", "md127", "loop3", "ram0",
                           "zram0", "sr0", "fd0", ""})
        CHECK_MESSAGE(!whole_disk(no), no);
}

TEST_CASE("temp is the hottest hwmon sensor, else the hottest thermal zone; dead sensors are ignored") {
    NodeProfile p;
    auto v = scrape_into(p,
                    "node_hwmon_temp_celsius{chip=\"a\",sensor=\"temp1\"} 41.5\n"
                    "node_hwmon_temp_celsius{chip=\"a\",sensor=\"temp2\"} 63\n"
                    "node_hwmon_temp_celsius{chip=\"b\",sensor=\"temp1\"} 255\n"
                    "node_thermal_zone_temp{type=\"x86_pkg_temp\",zone=\"0\"} 90\n",
                    0);
    CHECK(v.at("temp") == doctest::Approx(63));
    v = scrape_into(p,
               "node_hwmon_temp_celsius{chip=\"b\",sensor=\"temp1\"} -273\n"
               "node_thermal_zone_temp{type=\"acpitz\",zone=\"0\"} 48\n"
               "node_thermal_zone_temp{type=\"x86_pkg_temp\",zone=\"1\"} 52\n",
               1);
    CHECK(v.at("temp") == doctest::Approx(52));
    bool listed = false;
    for (auto& m : p.metrics()) listed |= m.key == "temp";
    CHECK(listed);
}

TEST_CASE("mem needs both MemTotal and MemAvailable; nonsense gives nothing") {
    NodeProfile p;
    CHECK(scrape_into(p, "node_memory_MemTotal_bytes 1000\nnode_memory_MemAvailable_bytes 250\n", 0).at("mem") ==
          doctest::Approx(75));
    CHECK(scrape_into(p, "node_memory_MemTotal_bytes 1000\n", 1).count("mem") == 0);
    CHECK(scrape_into(p, "node_memory_MemTotal_bytes 1000\nnode_memory_MemAvailable_bytes 2000\n", 2).count("mem") == 0);
    CHECK(scrape_into(p, "node_memory_MemTotal_bytes 0\nnode_memory_MemAvailable_bytes 0\n", 3).count("mem") == 0);
}

TEST_CASE("a hostile cpu label cannot grow the per-core table past any real machine") {
    NodeProfile p;
    auto v = scrape_into(p, "node_cpu_seconds_total{cpu=\"99999999\",mode=\"user\"} 1\nnode_cpu_seconds_total{cpu=\"x\",mode=\"user\"} 1\n", 0);
    CHECK(v.empty());
    CHECK(p.metrics().empty());
}

TEST_CASE("cpuN keys go to the lowest-numbered cores up to max_core_keys; every core counts in cpu") {
    CHECK(NodeProfile::default_max_core_keys + NodeProfile::fixed_keys == vigil::protocol::DecodeLimits{}.max_metrics);
    NodeProfile p(ExporterKind::node, 2);
    // Cores 3, 0, 7 in body order (numbers need not be dense); 7 is 100 % busy, the others idle.
    auto body = [](double t) { return cpu_lines(3, t, 0, 0, 0) + cpu_lines(0, t, 0, 0, 0) + cpu_lines(7, 0, 0, 0, t); };
    scrape_into(p, body(0), 0);
    auto v = scrape_into(p, body(10), 10);
    CHECK(v.count("cpu0") == 1);
    CHECK(v.count("cpu3") == 1);
    CHECK(v.count("cpu7") == 0);
    CHECK(v.at("cpu") == doctest::Approx(100.0 / 3));
    CHECK(p.dropped_core_keys() == 1);
    std::vector<std::string> keys;
    for (const auto& m : p.metrics()) keys.push_back(m.key);
    CHECK(keys == std::vector<std::string>{"cpu", "cpu0", "cpu3"});
    // No room at all: no cpuN, and the load thresholds still scale with every core seen.
    NodeProfile none(ExporterKind::node, 0);
    scrape_into(none, body(0) + "node_load1 1\n", 0);
    CHECK(none.dropped_core_keys() == 3);
    for (const auto& m : none.metrics()) {
        CHECK((m.key.rfind("cpu", 0) != 0 || m.key == "cpu"));
        if (m.key == "load1") CHECK(m.warn == 3);
    }
}

TEST_CASE("the catalog is the hub's own host's, entry for entry (same keys, labels, units, thresholds)") {
    // The hub's local host, fed a 2-core machine with one thermal zone through its file seam.
    vigil::hub::LocalHostFiles files;
    files.read = [](const std::string& path) -> std::optional<std::string> {
        if (path == "/proc/stat") return std::string("cpu 1 0 1 10 0 0 0 0\ncpu0 1 0 0 5 0 0 0 0\ncpu1 0 0 1 5 0 0 0 0\n");
        if (path == "/sys/class/thermal/thermal_zone0/temp") return std::string("45000\n");
        return std::nullopt;
    };
    files.list = [](const std::string& dir) {
        return dir == "/sys/class/thermal" ? std::vector<std::string>{"thermal_zone0"} : std::vector<std::string>{};
    };
    vigil::hub::LocalHost local(files, "here");

    NodeProfile p;
    scrape_into(p,
           cpu_lines(0, 1, 0, 0, 1) + cpu_lines(1, 1, 0, 0, 1) +
               "node_memory_MemTotal_bytes 1000\nnode_memory_MemAvailable_bytes 250\n"
               "node_load1 1\nnode_load5 1\nnode_load15 1\n"
               "node_network_receive_bytes_total{device=\"eth0\"} 1\nnode_network_transmit_bytes_total{device=\"eth0\"} 1\n"
               "node_disk_read_bytes_total{device=\"sda\"} 1\nnode_disk_written_bytes_total{device=\"sda\"} 1\n"
               "node_thermal_zone_temp{type=\"acpitz\",zone=\"0\"} 45\n",
           0);
    CHECK(p.metrics() == local.spec().metrics);
}

TEST_CASE("shape() changes exactly when the catalog entries may: other keys or other cores, not other values") {
    NodeProfile p;
    const std::string a = "node_load1 1\nnode_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 10\n";
    scrape_into(p, a, 0);
    const auto first = p.shape();
    const auto metrics = p.metrics();
    scrape_into(p, "node_load1 2\nnode_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 11\n", 1);
    CHECK(p.shape() == first);  // new values, same keys: the hub keeps its catalog entries
    CHECK(p.metrics() == metrics);
    scrape_into(p, a + "node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 10\n", 2);
    CHECK(p.shape() != first);  // a core more: cpu1 joins the catalog
    const auto second = p.shape();
    scrape_into(p, a + "node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 11\nnode_hwmon_temp_celsius{chip=\"a\",sensor=\"t\"} 40\n", 3);
    CHECK(p.shape() != second);  // temp appeared
    CHECK(p.metrics() != metrics);
}
