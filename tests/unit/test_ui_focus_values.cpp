// The focus panel shows every metric key its host has (charts for cpu, mem and the network,
// values for all the others, paged), with Dear ImGui and no backend (test_ui_support.h).
#include <doctest/doctest.h>

#if __has_include("imgui.h")  // the ui room is built only with Dear ImGui's sources

#include "model/fleet.h"
#include "ui/screen.h"
#include "test_ui_support.h"

#include "imgui.h"

#include <algorithm>
#include <string>
#include <vector>

using vigil::model::Fleet;
using vigil::protocol::Catalog;
using vigil::protocol::HostInfo;
using vigil::protocol::HostSamples;
using vigil::protocol::Samples;
using vigil::ui::Screen;
using vigil::ui::ScreenReport;
using vigil::ui::testing::Ui;
using vigil::ui::testing::frame;

TEST_CASE("every key a backend sends for the focus host is in the focus panel, catalogued or not") {
    Ui ui;
    Fleet fleet;
    fleet.apply_catalog(Catalog{{HostInfo{"h", "h", {{"cpu", "CPU", "%", {}, {}}, {"temp", "Temp", "°C", {}, {}}}}}});
    const std::vector<std::string> keys = {"cpu", "mem", "temp", "load1", "load5", "load15", "net_rx", "net_tx",
                                           "disk_r", "disk_w", "gpu_util", "fan_rpm", "psu_w"};
    HostSamples hs{"h", {}};
    for (const auto& k : keys) hs.values.emplace_back(k, 1.0);
    fleet.apply_samples(Samples{1, 1'700'000'000'000, {hs}}, 0);
    Screen screen(ui.fonts);
    const ScreenReport& r = frame(screen, fleet, 0);
    REQUIRE(r.focus_host == "h");
    for (const auto& k : keys)
        CHECK_MESSAGE(std::count(r.focus_keys.begin(), r.focus_keys.end(), k) == 1, "key " << k << " shown once");
    CHECK(r.focus_keys.size() == keys.size());
    // Paged values come round: the later pages draw without trouble too.
    for (double t = 4000; t <= 12000; t += 4000) CHECK(frame(screen, fleet, t).focus_keys.size() == keys.size());
}

#endif
