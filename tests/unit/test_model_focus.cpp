// The focus panel's host: pinned while the host is in the fleet, else the fleet in turn.
#include <doctest/doctest.h>

#include "model/focus_selection.h"

#include <string>
#include <vector>

using vigil::model::FocusSelection;
using vigil::model::HostState;

namespace {

// Hosts in display order, as Fleet::screen_order gives them.
struct Order {
    std::vector<HostState> hosts;
    std::vector<const HostState*> order;
    explicit Order(const std::vector<std::string>& ids) {
        for (const auto& id : ids) {
            HostState h;
            h.id = id;
            h.name = id;
            hosts.push_back(h);
        }
        for (const auto& h : hosts) order.push_back(&h);
    }
};

std::string shown(const FocusSelection& f, const Order& o, double now_ms, double rotate_s = 10) {
    const auto pick = f.pick(o.order, now_ms, rotate_s, 0);
    return pick ? o.order[pick->index]->id : std::string("(none)");
}

}  // namespace

TEST_CASE("without a pin the panel shows each host in display order for rotate_s, then wraps") {
    const Order o({"a", "b", "c"});
    const FocusSelection f;
    CHECK(shown(f, o, 0) == "a");
    CHECK(shown(f, o, 9999) == "a");
    CHECK(shown(f, o, 10000) == "b");
    CHECK(shown(f, o, 25000) == "c");
    CHECK(shown(f, o, 30000) == "a");
    CHECK_FALSE(f.pick(o.order, 12000, 10, 0)->pinned);
    CHECK(f.pinned_id().empty());
}

TEST_CASE("rotation counts from the start time, never faster than every 2 s, and an empty fleet shows nothing") {
    const Order o({"a", "b"});
    const FocusSelection f;
    CHECK(f.pick(o.order, 5000, 1, 5000)->index == 0);
    CHECK(f.pick(o.order, 6999, 0.5, 5000)->index == 0);  // rotate_s below 2 counts as 2
    CHECK(f.pick(o.order, 7000, 0.5, 5000)->index == 1);
    CHECK(f.pick(o.order, 1000, 10, 5000)->index == 0);   // before the start: the first host
    CHECK_FALSE(f.pick({}, 1000, 10, 0).has_value());
}

TEST_CASE("a pinned host stays shown however long, wherever it sits in the order") {
    const Order o({"a", "b", "c"});
    FocusSelection f;
    f.pin("c");
    CHECK(f.pinned_id() == "c");
    for (double t : {0.0, 10000.0, 20000.0, 3600000.0}) {
        const auto pick = f.pick(o.order, t, 10, 0);
        REQUIRE(pick);
        CHECK(o.order[pick->index]->id == "c");
        CHECK(pick->pinned);
    }
    // The order changes (an alarm moves c to the front): still c.
    const Order moved({"c", "a", "b"});
    CHECK(shown(f, moved, 10000) == "c");
}

TEST_CASE("another pin switches the host; rotate() goes back to the fleet in turn") {
    const Order o({"a", "b", "c"});
    FocusSelection f;
    f.pin("b");
    CHECK(shown(f, o, 0) == "b");
    f.pin("a");
    CHECK(shown(f, o, 20000) == "a");
    f.rotate();
    CHECK(f.pinned_id().empty());
    CHECK(shown(f, o, 20000) == "c");
    CHECK_FALSE(f.pick(o.order, 20000, 10, 0)->pinned);
    f.pin("");  // an empty pin (config "", ?focus=) is rotation
    CHECK_FALSE(f.pick(o.order, 0, 10, 0)->pinned);
}

TEST_CASE("a pinned host not in the fleet: the panel rotates, and shows it again once it is there") {
    FocusSelection f;
    f.pin("db-9");
    const Order without({"a", "b"});
    const auto pick = f.pick(without.order, 10000, 10, 0);
    REQUIRE(pick);
    CHECK_FALSE(pick->pinned);
    CHECK(shown(f, without, 10000) == "b");
    CHECK(shown(f, without, 20000) == "a");
    CHECK(f.pinned_id() == "db-9");  // kept: a wall told to show it before the catalog names it
    const Order with({"a", "b", "db-9"});
    CHECK(shown(f, with, 20000) == "db-9");
    CHECK(f.pick(with.order, 20000, 10, 0)->pinned);
}
