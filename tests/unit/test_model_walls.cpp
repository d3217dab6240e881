// config.json `walls` and ?wall=NAME: every key checked, errors named, the good keys applied.
#include <doctest/doctest.h>

#include "model/page_config.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

using vigil::model::PageConfig;
using vigil::model::parse_page_config;
using vigil::model::WallLayout;

namespace {
bool has_error(const PageConfig& c, const std::string& key) {
    for (const auto& e : c.errors)
        if (e.key == key) return true;
    return false;
}
constexpr const char* kTwoWalls = R"({"title": "Vigil", "walls": {
  "site-a": {"title": "Site A", "group_by": "rack", "filter": {"site": "A", "role": ["db", "web"]},
             "metrics": ["cpu", "temp"], "layout": "overview"},
  "all": {"group_by": "site"}}})";
}  // namespace

TEST_CASE("?wall=NAME picks a profile: its title, group-by label, filter, metrics and layout") {
    const PageConfig c = parse_page_config(kTwoWalls, {{"wall", "site-a"}});
    CHECK(c.errors.empty());
    CHECK(c.walls.size() == 2);
    CHECK(c.wall.name == "site-a");
    CHECK(c.title == "Site A");
    CHECK(c.wall.group_by == "rack");
    CHECK(c.wall.layout == WallLayout::overview);
    CHECK(c.wall.metrics == std::vector<std::string>{"cpu", "temp"});
    CHECK(c.wall.shows({{"site", "A"}, {"role", "db"}}));
    CHECK_FALSE(c.wall.shows({{"site", "A"}, {"role", "cache"}}));
    CHECK_FALSE(c.wall.shows({{"site", "B"}, {"role", "db"}}));
    CHECK_FALSE(c.wall.shows({{"role", "db"}}));  // no site label: not on a wall filtered by site
    CHECK(c.wall.group_of({{"site", "A"}, {"rack", "r3"}}) == "r3");
    CHECK(c.wall.group_of({{"site", "A"}}).empty());
}

TEST_CASE("without ?wall no profile applies; ?title= wins over the wall's title") {
    const PageConfig none = parse_page_config(kTwoWalls, {});
    CHECK(none.wall.name.empty());
    CHECK(none.title == "Vigil");
    const PageConfig titled = parse_page_config(kTwoWalls, {{"wall", "site-a"}, {"title", "Mine"}});
    CHECK(titled.title == "Mine");
    const PageConfig all = parse_page_config(kTwoWalls, {{"wall", "all"}});
    CHECK(all.title == "Vigil");  // a wall without a title keeps config.json's
    CHECK(all.wall.shows({}));
}

TEST_CASE("an unknown ?wall is an error naming it and the known walls; every host shown") {
    const PageConfig c = parse_page_config(kTwoWalls, {{"wall", "site-z"}});
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors[0].key == "?wall");
    CHECK(c.errors[0].message.find("site-z") != std::string::npos);
    CHECK(c.errors[0].message.find("all, site-a") != std::string::npos);
    CHECK(c.wall.name.empty());
}

TEST_CASE("every bad key of a wall is named; its good keys still apply") {
    const PageConfig c = parse_page_config(R"({"walls": {"w": {"title": 5, "group_by": "", "filter": {"site": [1]},
        "metrics": ["cpu", "mem", "temp", "load1"], "layout": "grid", "colour": "red"},
        "bad name!": {}, "ok": {"layout": "tiles", "filter": {"role": "db", "rack": []}}}})", {{"wall", "ok"}});
    for (const char* key : {"walls.w.title", "walls.w.group_by", "walls.w.filter.site", "walls.w.metrics",
                            "walls.w.layout", "walls.w.colour", "walls.bad name!", "walls.ok.filter.rack"})
        CHECK_MESSAGE(has_error(c, key), key);
    CHECK(c.wall.layout == WallLayout::tiles);
    REQUIRE(c.wall.filter.size() == 1);  // role read, the empty rack list refused
    CHECK(c.wall.filter[0].first == "role");
    CHECK_FALSE(c.wall.shows({{"role", "db"}, {"rack", "r1"}}));  // and the wall fails closed
    const PageConfig w = parse_page_config(R"({"walls": {"w": {"title": 5, "layout": "overview"}}})", {{"wall", "w"}});
    CHECK(w.wall.layout == WallLayout::overview);  // its good key applied beside the bad one
    CHECK(has_error(parse_page_config(R"({"walls": []})", {}), "walls"));
}

TEST_CASE("a wall whose filter has an error shows no host (fails closed), the error named") {
    // A "site A only" wall with a typo must not show site B, nor the whole fleet.
    const auto wall = [](const char* walls) { return parse_page_config(walls, {{"wall", "a"}}); };
    const std::vector<std::pair<std::string, std::string>> site_a{{"site", "A"}}, site_b{{"site", "B"}};
    struct Case {
        const char* config;
        const char* error_key;
    };
    for (const Case& k : {
             Case{R"({"walls": {"a": {"filter": {"site": "A", "role": 7}}}})", "walls.a.filter.role"},  // bad value
             Case{R"({"walls": {"a": {"filter": {"site": ["A", 5]}}}})", "walls.a.filter.site"},       // one bad value of a list
             Case{R"({"walls": {"a": {"filter": {"site": []}}}})", "walls.a.filter.site"},            // no value
             Case{R"({"walls": {"a": {"filter": "site=A"}}})", "walls.a.filter"},                     // not an object
             Case{R"({"walls": {"a": {"filter": {"": "A"}}}})", "walls.a.filter."},                    // no label name
             Case{R"({"walls": {"a": "site A"}})", "walls.a"},                                        // no profile at all
         }) {
        const PageConfig c = wall(k.config);
        const std::string shown_config = k.config;
        CAPTURE(shown_config);
        CHECK(c.wall.name == "a");
        CHECK(c.wall.filter_error);
        CHECK(has_error(c, k.error_key));
        CHECK_FALSE(c.wall.shows(site_a));
        CHECK_FALSE(c.wall.shows(site_b));
        CHECK_FALSE(c.wall.shows({}));
    }
    // A good filter, and none at all, are no error: every matching host, every host.
    const PageConfig good = wall(R"({"walls": {"a": {"filter": {"site": "A"}}}})");
    CHECK_FALSE(good.wall.filter_error);
    CHECK(good.wall.shows(site_a));
    CHECK_FALSE(good.wall.shows(site_b));
    const PageConfig none = wall(R"({"walls": {"a": {"title": "All"}}})");
    CHECK(none.wall.shows(site_b));
}
