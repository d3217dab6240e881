// What the screen draws of its notices and footer, as it reports them (window.vigil notices,
// statusDrawn): the page's own notices before config errors, "+N more" past the 4 rows, and the
// clock skew drawn whole whatever the status line's length. Dear ImGui, no backend (test_ui_support.h).
#include <doctest/doctest.h>

#if __has_include("imgui.h")  // the ui room is built only with Dear ImGui's sources

#include "ui/screen.h"
#include "test_ui_support.h"

#include <string>

using vigil::model::Fleet;
using vigil::ui::Screen;
using vigil::ui::ScreenReport;
using vigil::ui::ScreenView;
using vigil::ui::testing::Ui;

namespace {
const ScreenReport& draw(Screen& screen, const Fleet& fleet, ScreenView view) {
    ImGui::GetIO().DeltaTime = 1.0f / 30.0f;
    ImGui::NewFrame();
    view.fleet = &fleet;
    view.now_local_ms = 1000;
    screen.draw(view);
    ImGui::Render();
    return screen.report();
}
}  // namespace

TEST_CASE("4 config errors do not hide what the page leaves out: its notices first, then errors, then +N more") {
    Ui ui;
    Fleet fleet;
    Screen screen(ui.fonts);
    ScreenView v;
    for (int i = 0; i < 4; ++i) v.config_notices.push_back("config.json walls.w" + std::to_string(i) + ": not an object");
    v.notices = {"12 hosts not shown (limit reached)", "3 alarms not shown (board full: the most severe are kept)"};
    const ScreenReport& r = draw(screen, fleet, v);
    REQUIRE(r.notices.size() == 4);
    CHECK(r.notices[0] == "12 hosts not shown (limit reached)");
    CHECK(r.notices[1] == "3 alarms not shown (board full: the most severe are kept)");
    CHECK(r.notices[2] == "config.json walls.w0: not an object");
    CHECK(r.notices[3] == "+3 more");  // w1, w2, w3
}

TEST_CASE("up to 4 notices are drawn as they are, with no +N more") {
    Ui ui;
    Fleet fleet;
    Screen screen(ui.fonts);
    ScreenView v;
    v.notices = {"a", "b"};
    v.config_notices = {"c", "d"};
    CHECK(draw(screen, fleet, v).notices == std::vector<std::string>{"a", "b", "c", "d"});
    v.notices.clear();
    v.config_notices.clear();
    CHECK(draw(screen, fleet, v).notices.empty());
}

TEST_CASE("the clock skew is drawn whole in the footer, however long the status line") {
    Ui ui;
    Fleet fleet;
    Screen screen(ui.fonts);
    ScreenView v;
    v.status_line = "rtt 12 ms  ·  msgs 123456  ·  rejected 0  ·  build 2026-12-02T18:00:00Z-0123456789abcdef-dirty-wallA";
    v.clock_skew = "this PC's clock is 7 min 13 s slow (hub time shown)";
    const ScreenReport& r = draw(screen, fleet, v);
    CHECK(r.status.find(v.clock_skew) != std::string::npos);  // "slow (hub time shown)" included
    CHECK(r.status.find("rtt 12 ms") == 0);
    CHECK(r.status.find("…") != std::string::npos);  // the status line is what gets clipped
    v.clock_skew.clear();
    v.status_line = "rtt 12 ms";
    CHECK(draw(screen, fleet, v).status == "rtt 12 ms");
}

#endif
