// The hub's parsers for /proc and /sys text, and the local host built on them (fake files).
#include "hub/counter_rate.h"
#include "hub/local_host.h"
#include "hub/proc_metrics.h"
#include "protocol/decode_limits.h"

#include <doctest/doctest.h>

#include <map>

using namespace vigil::hub;

namespace {

const char* kStat1 =
    "cpu  100 0 100 800 0 0 0 0 0 0\n"
    "cpu0 50 0 50 400 0 0 0 0 0 0\n"
    "cpu1 50 0 50 400 0 0 0 0 0 0\n"
    "intr 12345 0 0\n"
    "ctxt 999\n";
const char* kStat2 =
    "cpu  200 0 200 1400 0 0 0 0 0 0\n"
    "cpu0 150 0 50 500 0 0 0 0 0 0\n"
    "cpu1 50 0 150 900 0 0 0 0 0 0\n";

}  // namespace

TEST_CASE("cpu percent is busy jiffies over total jiffies between two /proc/stat readings") {
    auto a = parse_proc_stat(kStat1), b = parse_proc_stat(kStat2);
    REQUIRE(a.size() == 3);
    REQUIRE(b.size() == 3);
    CHECK(*cpu_percent(a[0], b[0]) == doctest::Approx(25.0));   // 200 busy of 800
    CHECK(*cpu_percent(a[1], b[1]) == doctest::Approx(50.0));   // 100 of 200
    CHECK(*cpu_percent(a[2], b[2]) == doctest::Approx(100.0 * 100 / 600));
    CHECK_FALSE(cpu_percent(a[0], a[0]));  // no time passed: no value, not NaN
}

TEST_CASE("iowait counts as idle, steal as busy") {
    auto a = parse_proc_stat("cpu 0 0 0 0 0 0 0 0\n");
    auto b = parse_proc_stat("cpu 0 0 0 50 50 0 0 100\n");
    REQUIRE(a.size() == 1);
    CHECK(*cpu_percent(a[0], b[0]) == doctest::Approx(50.0));
}

TEST_CASE("a garbled /proc/stat parses to nothing rather than to wrong numbers") {
    CHECK(parse_proc_stat("cpu  1 2 x 4 5\n").empty());
    CHECK(parse_proc_stat("cpu0 1 2 3 4\n").empty());  // per-core line without the aggregate first
    CHECK(parse_proc_stat("").empty());
}

TEST_CASE("memory used is MemTotal minus MemAvailable") {
    CHECK(*parse_mem_used_percent("MemTotal:       1000 kB\nMemFree:   100 kB\nMemAvailable:    250 kB\n") ==
          doctest::Approx(75.0));
    CHECK_FALSE(parse_mem_used_percent("MemTotal: 1000 kB\n"));  // old kernels without MemAvailable
    CHECK_FALSE(parse_mem_used_percent("MemTotal: 0 kB\nMemAvailable: 0 kB\n"));
}

TEST_CASE("load averages are the first three fields of /proc/loadavg") {
    auto l = parse_loadavg("0.52 1.25 2.00 3/456 7890\n");
    REQUIRE(l);
    CHECK(l->load1 == doctest::Approx(0.52));
    CHECK(l->load5 == doctest::Approx(1.25));
    CHECK(l->load15 == doctest::Approx(2.0));
    CHECK_FALSE(parse_loadavg("garbage"));
}

TEST_CASE("network bytes sum every interface but loopback") {
    const char* dev =
        "Inter-|   Receive                                                |  Transmit\n"
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
        "    lo: 5000      10    0    0    0     0          0         0     5000      10    0    0    0     0       0          0\n"
        "  eth0: 1000      10    0    0    0     0          0         0     300       3    0    0    0     0       0          0\n"
        "wlan0:200 2 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n";
    auto n = parse_net_dev(dev);
    REQUIRE(n);
    CHECK(n->read == 1200);
    CHECK(n->write == 400);
}

TEST_CASE("disk bytes count whole disks only, in 512-byte sectors") {
    const char* stats =
        "   8       0 sda 100 0 10 0 50 0 20 0 0 0 0\n"
        "   8       1 sda1 100 0 10 0 50 0 20 0 0 0 0\n"
        " 259       0 nvme0n1 1 0 4 0 1 0 6 0 0 0 0\n"
        " 259       1 nvme0n1p1 1 0 4 0 1 0 6 0 0 0 0\n"
        "   7       0 loop0 1 0 1000 0 0 0 0 0 0 0 0\n";
    auto guessed = parse_diskstats(stats, {});
    REQUIRE(guessed);
    CHECK(guessed->read == (10 + 4) * 512);
    CHECK(guessed->write == (20 + 6) * 512);
    auto listed = parse_diskstats(stats, {"sda"});
    REQUIRE(listed);
    CHECK(listed->read == 10 * 512);
}

TEST_CASE("thermal millidegrees become degrees; absurd sensor values are ignored") {
    CHECK(*parse_millidegrees("42500\n") == doctest::Approx(42.5));
    CHECK_FALSE(parse_millidegrees("-273000\n"));
    CHECK_FALSE(parse_millidegrees("n/a"));
}

TEST_CASE("a counter rate needs two readings and ignores counters that went backwards") {
    CounterRate r;
    CHECK_FALSE(r.update(1000, 10.0));
    CHECK(*r.update(3000, 12.0) == doctest::Approx(1000.0));
    CHECK_FALSE(r.update(500, 13.0));  // reset (interface re-created): no negative spike
    CHECK(*r.update(1500, 14.0) == doctest::Approx(1000.0));
    CHECK_FALSE(r.update(1500, 14.0));  // no time passed
}

TEST_CASE("the local host's catalog and first sample come from its files") {
    std::map<std::string, std::string> files = {
        {"/proc/stat", kStat1},
        {"/proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: 500 kB\n"},
        {"/proc/loadavg", "0.5 0.4 0.3 1/2 3\n"},
        {"/proc/net/dev", "h\nh\n eth0: 1000 0 0 0 0 0 0 0 2000 0 0 0 0 0 0 0\n"},
        {"/proc/diskstats", "8 0 sda 0 0 10 0 0 0 20 0 0 0 0\n"},
        {"/sys/class/thermal/thermal_zone0/temp", "51000\n"},
    };
    LocalHostFiles fake;
    fake.read = [&](const std::string& p) -> std::optional<std::string> {
        auto it = files.find(p);
        if (it == files.end()) return std::nullopt;
        return it->second;
    };
    fake.list = [](const std::string& dir) -> std::vector<std::string> {
        if (dir == "/sys/class/thermal") return {"cooling_device0", "thermal_zone0"};
        if (dir == "/sys/block") return {"loop0", "sda"};
        return {};
    };
    LocalHost host(fake, "build-01");
    CHECK(host.spec().id == "local");
    CHECK(host.spec().name == "build-01");
    std::vector<std::string> keys;
    for (auto& m : host.spec().metrics) keys.push_back(m.key);
    CHECK(keys == std::vector<std::string>{"cpu", "mem", "load1", "load5", "load15", "net_rx", "net_tx", "disk_r",
                                           "disk_w", "temp", "cpu0", "cpu1"});
    CHECK(host.spec().metrics[0].crit == 95);

    files["/proc/stat"] = kStat2;
    files["/proc/net/dev"] = "h\nh\n eth0: 3000 0 0 0 0 0 0 0 2000 0 0 0 0 0 0 0\n";
    auto values = host.sample(2.0);
    std::map<std::string, double> v(values.begin(), values.end());
    CHECK(v.at("cpu") == doctest::Approx(25.0));
    CHECK(v.at("cpu0") == doctest::Approx(50.0));
    CHECK(v.at("mem") == doctest::Approx(50.0));
    CHECK(v.at("load1") == doctest::Approx(0.5));
    CHECK(v.at("net_rx") == doctest::Approx(1000.0));  // 2000 bytes over 2 s
    CHECK(v.at("net_tx") == doctest::Approx(0.0));
    CHECK(v.at("temp") == doctest::Approx(51.0));
}

TEST_CASE("a 600-thread machine: per-core keys for the lowest cores, within what the page takes of one host") {
    auto stat = [](int user, int idle) {  // every core alike, jiffies since boot
        std::string s = "cpu  " + std::to_string(600 * user) + " 0 0 " + std::to_string(600 * idle) + " 0 0 0 0 0 0\n";
        for (int i = 0; i < 600; ++i) s += "cpu" + std::to_string(i) + " " + std::to_string(user) + " 0 0 " + std::to_string(idle) + " 0 0 0 0 0 0\n";
        return s;
    };
    std::map<std::string, std::string> files = {{"/proc/stat", stat(10, 90)}, {"/proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: 500 kB\n"}};
    LocalHostFiles fake;
    fake.read = [&](const std::string& p) -> std::optional<std::string> {
        auto it = files.find(p);
        if (it == files.end()) return std::nullopt;
        return it->second;
    };
    fake.list = [](const std::string&) { return std::vector<std::string>{}; };
    LocalHost host(fake, "big-01");
    const auto& m = host.spec().metrics;
    CHECK(m.size() == vigil::protocol::DecodeLimits{}.max_metrics);  // a larger catalog is refused whole by the page
    CHECK(m.back().key == "cpu" + std::to_string(vigil::protocol::DecodeLimits{}.max_metrics - 10));
    files["/proc/stat"] = stat(10 + 20, 90 + 80);
    auto values = host.sample(1.0);
    std::map<std::string, double> v(values.begin(), values.end());
    CHECK(v.size() <= vigil::protocol::DecodeLimits{}.max_metrics);
    CHECK(v.count("cpu0") == 1);
    CHECK(v.count("cpu599") == 0);
    CHECK(v.at("cpu") == doctest::Approx(20.0).epsilon(0.01));  // every core still counts in cpu
}
