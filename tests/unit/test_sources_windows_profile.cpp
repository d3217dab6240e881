// The windows_exporter profile (NodeProfile with ExporterKind::windows, src/hub/sources/node_profile.h):
// the screen's keys from two scrapes of a windows_exporter body (fixtures written in the layout
// and with the names windows_exporter 0.2x serves: HELP/TYPE per family, `core="G,N"`, sanitized
// NIC names, a thermal zone name with a backslash), checked against a naive reading of the same
// text; then the rules (privileged time holds dpc and interrupt, processor groups, NIC and volume
// rules, the fallbacks of older and newer exporter versions) on hand-written bodies.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "hub/scrape/scrape_body.h"
#include "hub/sources/node_profile.h"
#include "hub/sources/targets_config.h"
#include "test_sources_fixture.h"

using namespace vigil::hub::sources;

namespace {

NodeProfile windows() { return NodeProfile(ExporterKind::windows); }

std::string cpu_lines(const std::string& core, double idle, double user, double privileged, double dpc = 0,
                      double interrupt = 0) {
    std::string c = "windows_cpu_time_total{core=\"" + core + "\",mode=\"";
    return c + "dpc\"} " + std::to_string(dpc) + "\n" + c + "idle\"} " + std::to_string(idle) + "\n" + c +
           "interrupt\"} " + std::to_string(interrupt) + "\n" + c + "privileged\"} " + std::to_string(privileged) +
           "\n" + c + "user\"} " + std::to_string(user) + "\n";
}

std::vector<std::string> catalog_keys(const NodeProfile& p) {
    std::vector<std::string> keys;
    for (const auto& m : p.metrics()) keys.push_back(m.key);
    return keys;
}

}  // namespace

TEST_CASE("two windows_exporter scrapes: cpu, cpuN, mem, net, disk and temp match a naive reading of the text") {
    const std::string one = read_sources_fixture("windows_exporter_scrape1.prom");
    const std::string two = read_sources_fixture("windows_exporter_scrape2.prom");
    NodeProfile p = windows();
    auto first = scrape_into(p, one, 100.0);
    CHECK(first.count("cpu") == 0);  // rates need a previous scrape
    CHECK(first.at("mem") == doctest::Approx(100.0 * (1 - line_value(one, "windows_memory_available_bytes") /
                                                              line_value(one, "windows_cs_physical_memory_bytes"))));
    const double dt = 10.0;
    auto v = scrape_into(p, two, 100.0 + dt);

    // Busy = user + privileged over idle + user + privileged (dpc and interrupt are inside privileged).
    auto delta = [&](const std::string& series) { return line_value(two, series) - line_value(one, series); };
    auto core = [&](const char* c, const char* mode) {
        return delta(std::string("windows_cpu_time_total{core=\"") + c + "\",mode=\"" + mode + "\"}");
    };
    double busy_sum = 0, total_sum = 0;
    for (const char* c : {"0,0", "0,1"}) {
        const double busy = core(c, "user") + core(c, "privileged"), total = busy + core(c, "idle");
        CHECK(v.at(std::string("cpu") + (c[2] == '0' ? "0" : "1")) == doctest::Approx(100.0 * busy / total));
        busy_sum += busy;
        total_sum += total;
    }
    CHECK(v.at("cpu0") == doctest::Approx(40));  // as the fixture was written: 4 s busy of 10
    CHECK(v.at("cpu") == doctest::Approx(100.0 * busy_sum / total_sum));
    CHECK(v.at("mem") == doctest::Approx(100.0 * (1 - line_value(two, "windows_memory_available_bytes") /
                                                          line_value(two, "windows_cs_physical_memory_bytes"))));
    // Only the Ethernet adapter: not isatap, Teredo or the Hyper-V vEthernet switch adapter.
    const std::string nic = "{nic=\"Intel_R__Ethernet_Connection_I219_LM\"}";
    CHECK(v.at("net_rx") == doctest::Approx(delta("windows_net_bytes_received_total" + nic) / dt));
    CHECK(v.at("net_tx") == doctest::Approx(delta("windows_net_bytes_sent_total" + nic) / dt));
    // The physical disk, not the volumes on it as well (that would count its bytes twice).
    CHECK(v.at("disk_r") == doctest::Approx(delta("windows_physical_disk_read_bytes_total{disk=\"0 C: D:\"}") / dt));
    CHECK(v.at("disk_w") == doctest::Approx(delta("windows_physical_disk_write_bytes_total{disk=\"0 C: D:\"}") / dt));
    CHECK(v.at("temp") == doctest::Approx(line_value(two, "windows_thermalzone_temperature_celsius{name=\"\\\\_TZ.CPUZ\"}")));
    CHECK(v.count("load1") == 0);  // Windows has no load average; the processor queue is not one
    CHECK(v.size() == 9);
    CHECK(catalog_keys(p) == std::vector<std::string>{"cpu", "mem", "net_rx", "net_tx", "disk_r", "disk_w", "temp",
                                                      "cpu0", "cpu1"});
}

TEST_CASE("windows: the default read set gives the same values as reading every line, and reads fewer") {
    const std::string one = read_sources_fixture("windows_exporter_scrape1.prom");
    const std::string two = read_sources_fixture("windows_exporter_scrape2.prom");
    ExpositionParser parser;
    NodeProfile full = windows(), read = windows();
    SeriesMappings full_maps({}), read_maps({});
    const MetricNameSet names = vigil::hub::scrape::read_names(&read, read_maps);
    CHECK(names.size() == NodeProfile::read_names(ExporterKind::windows).size());
    vigil::hub::scrape::BodyReading f, r;
    for (auto [body, t] : {std::pair{&one, 10.0}, std::pair{&two, 11.0}}) {
        f = vigil::hub::scrape::read_exposition(parser, &full, full_maps, *body, t);
        r = vigil::hub::scrape::read_exposition(parser, &read, read_maps, *body, t, &names);
    }
    REQUIRE(f.readable);
    CHECK(f.bad_lines == 0);
    std::map<std::string, double> fv(f.values.begin(), f.values.end()), rv(r.values.begin(), r.values.end());
    CHECK(fv.size() == 9);
    CHECK(rv == fv);
    CHECK(r.series < f.series);
}

TEST_CASE("windows cpu: dpc and interrupt are not counted twice; processor groups give distinct cores") {
    NodeProfile p = windows();
    scrape_into(p, cpu_lines("0,0", 0, 0, 0) + cpu_lines("1,3", 0, 0, 0), 0);
    // 0,0: 5 s idle, 3 s user, 2 s privileged of which 1 s dpc and 1 s interrupt -> 50 %, not 60 %.
    // 1,3 (group 1, processor 3 = logical processor 67): fully busy.
    auto v = scrape_into(p, cpu_lines("0,0", 5, 3, 2, 1, 1) + cpu_lines("1,3", 0, 6, 4), 10);
    CHECK(v.at("cpu0") == doctest::Approx(50));
    CHECK(v.at("cpu67") == doctest::Approx(100));
    CHECK(v.at("cpu") == doctest::Approx(75));
    // A label that is no core (the _Total instance, garbage, a group's 65th processor) is ignored.
    NodeProfile q = windows();
    auto none = scrape_into(q,
                            cpu_lines("_Total", 1, 1, 1) + cpu_lines("0,_Total", 1, 1, 1) + cpu_lines("0,64", 1, 1, 1) +
                                cpu_lines("x", 1, 1, 1) + cpu_lines("99999,0", 1, 1, 1),
                            0);
    CHECK(none.empty());
    CHECK(q.metrics().empty());
}

TEST_CASE("windows fallbacks: free memory when there is no available, the volumes when there is no physical disk") {
    NodeProfile p = windows();
    // windows_exporter 0.30 names: memory_physical_total/free, no memory_available.
    auto body = [](double t) {
        return "windows_memory_physical_total_bytes 1000\nwindows_memory_physical_free_bytes 400\n"
               "windows_logical_disk_read_bytes_total{volume=\"C:\"} " + std::to_string(1000 * t) + "\n"
               "windows_logical_disk_read_bytes_total{volume=\"E:\\\\mnt\\\\data\"} " + std::to_string(500 * t) + "\n"
               "windows_logical_disk_read_bytes_total{volume=\"HarddiskVolume2\"} " + std::to_string(7000 * t) + "\n"
               "windows_logical_disk_read_bytes_total{volume=\"_Total\"} " + std::to_string(8500 * t) + "\n"
               "windows_logical_disk_write_bytes_total{volume=\"C:\"} " + std::to_string(10 * t) + "\n";
    };
    scrape_into(p, body(0), 0);
    auto v = scrape_into(p, body(1), 1);
    CHECK(v.at("mem") == doctest::Approx(60));
    CHECK(v.at("disk_r") == doctest::Approx(1500));  // C: and the mount point; not HarddiskVolume2 or _Total
    CHECK(v.at("disk_w") == doctest::Approx(10));
    // available wins over free when both are there (0.2x serves both; free leaves the cache out).
    NodeProfile q = windows();
    CHECK(scrape_into(q, "windows_cs_physical_memory_bytes 1000\nwindows_os_physical_memory_free_bytes 100\n"
                         "windows_memory_available_bytes 250\n", 0).at("mem") == doctest::Approx(75));
}

TEST_CASE("windows NIC and volume rules") {
    for (const char* yes : {"Intel_R__Ethernet_Connection_I219_LM", "Intel[R] Wi-Fi 6E AX211 160MHz",
                            "Microsoft_Hyper_V_Network_Adapter", "vmxnet3_Ethernet_Adapter", "Ethernet 2"})
        CHECK_MESSAGE(counted_windows_nic(yes), yes);
    for (const char* no : {"isatap.localdomain", "isatap__{4F2E9C55}", "Teredo_Tunneling_Pseudo_Interface",
                           "Microsoft 6to4 Adapter", "Software Loopback Interface 1", "vEthernet (Default Switch)",
                           "vEthernet_External", "6TO4 Adapter", ""})
        CHECK_MESSAGE(!counted_windows_nic(no), no);
    for (const char* yes : {"C:", "D:", "E:\\mnt\\data"}) CHECK_MESSAGE(counted_windows_volume(yes), yes);
    for (const char* no : {"_Total", "HarddiskVolume1", "HarddiskVolume12", ""}) CHECK_MESSAGE(!counted_windows_volume(no), no);
}

TEST_CASE("each profile reads its own exporter's names only") {
    const std::string win = read_sources_fixture("windows_exporter_scrape1.prom");
    const std::string node = read_sources_fixture("node_exporter_scrape1.prom");
    NodeProfile w = windows();
    NodeProfile n;
    CHECK(scrape_into(w, node, 0).empty());
    CHECK(scrape_into(n, win, 0).empty());
    for (const auto& name : NodeProfile::read_names(ExporterKind::windows)) CHECK(name.rfind("windows_", 0) == 0);
}

TEST_CASE("the targets config takes profile \"windows\", with the profile's room for mappings") {
    ConfigErrors errors;
    auto c = parse_targets_config(R"({"targets": [{"address": "win-01:9182", "profile": "windows"}],
                                      "file_sd": [{"path": "w.json", "profile": "windows"}]})",
                                  &errors);
    REQUIRE_MESSAGE(errors.empty(), (errors.messages.empty() ? "" : errors.messages[0]));
    REQUIRE(c);
    CHECK(c->targets.at(0).profile == TargetProfile::windows);
    CHECK(c->file_sd.at(0).profile == TargetProfile::windows);
}
