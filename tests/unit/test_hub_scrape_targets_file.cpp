// The targets file on disk: file_sd paths relative to its folder, the hub's interval as the
// default, errors that name the file, and the fingerprint that tells the loop to re-read it.
#include <doctest/doctest.h>

#include "hub/scrape/targets_file.h"

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace vigil::hub::scrape;
using namespace vigil::hub::sources;
namespace fs = std::filesystem;

namespace {

struct Folder {
    fs::path path = fs::temp_directory_path() / ("vigil-targets-" + std::to_string(::getpid()));
    Folder() { fs::create_directories(path / "sd"); }
    ~Folder() { fs::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

}  // namespace

TEST_CASE("file_sd paths are relative to the targets file's folder; the hub's interval is the default") {
    Folder f;
    f.write("sd/nodes.json", R"([{"targets": ["db-01:9100", "db-02:9100"], "labels": {"site": "A", "__x": "y"}}])");
    const auto file = f.write("targets.json", R"({"targets": [{"address": "web:9100", "labels": {"rack": "r1"}}],
                                                 "file_sd": [{"path": "sd/nodes.json"}]})");
    ConfigErrors errors;
    WatchedFiles watched;
    auto t = load_targets_file(file, 2.0, &errors, &watched);
    REQUIRE_MESSAGE(t, (errors.messages.empty() ? "" : errors.messages[0]));
    REQUIRE(t->targets.size() == 3);
    CHECK(t->targets[0].host_id == "web");
    CHECK(t->targets[0].interval_s == 2.0);
    CHECK(t->targets[1].host_id == "db-01");
    CHECK(t->targets[1].labels == std::map<std::string, std::string>{{"site", "A"}});
    CHECK(t->targets[2].interval_s == 2.0);
    CHECK(watched.paths.size() == 2);
    CHECK(watched.paths[1] == (f.path / "sd/nodes.json").string());
    CHECK(files_fingerprint(watched.paths) == watched.fingerprint);
}

TEST_CASE("a config interval wins over the hub's default") {
    Folder f;
    const auto file = f.write("targets.json", R"({"interval_s": 10, "targets": [{"address": "a:1"}]})");
    ConfigErrors errors;
    WatchedFiles watched;
    auto t = load_targets_file(file, 1.0, &errors, &watched);
    REQUIRE(t);
    CHECK(t->targets[0].interval_s == 10);
}

TEST_CASE("errors name the file, the entry and the field; a missing file_sd file is named") {
    Folder f;
    const auto file = f.write("targets.json", R"({"targets": [{"address": "nope"}], "file_sd": [{"path": "sd/gone.json"}]})");
    ConfigErrors errors;
    WatchedFiles watched;
    CHECK_FALSE(load_targets_file(file, 1.0, &errors, &watched));
    REQUIRE(!errors.messages.empty());
    CHECK(errors.messages[0].rfind(file + ": targets[0]: \"address\"", 0) == 0);

    const auto file2 = f.write("t2.json", R"({"file_sd": [{"path": "sd/gone.json"}]})");
    ConfigErrors e2;
    CHECK_FALSE(load_targets_file(file2, 1.0, &e2, &watched));
    REQUIRE(e2.messages.size() == 1);
    CHECK(e2.messages[0] == (f.path / "sd/gone.json").string() + ": cannot read the file");
    CHECK(watched.paths.size() == 2);  // watched anyway: creating it triggers a re-read

    ConfigErrors e3;
    CHECK_FALSE(load_targets_file((f.path / "none.json").string(), 1.0, &e3, &watched));
    CHECK(e3.messages.at(0).find("cannot read the file") != std::string::npos);
}

TEST_CASE("the fingerprint moves when a file changes size or appears") {
    Folder f;
    const auto a = f.write("a.json", "[]");
    const auto before = files_fingerprint({a, (f.path / "b.json").string()});
    f.write("b.json", "[]");
    CHECK(files_fingerprint({a, (f.path / "b.json").string()}) != before);
    const auto mid = files_fingerprint({a});
    f.write("a.json", "[ ]");
    CHECK(files_fingerprint({a}) != mid);
}

TEST_CASE("a reload keeps a target when only its name or labels changed") {
    ScrapeTarget a;
    a.host_id = "db-01";
    a.address = "db-01:9100";
    a.interval_s = 1;
    ScrapeTarget b = a;
    b.labels["site"] = "B";
    b.name = "DB";
    CHECK(same_scrape(a, b));
    b.metrics_path = "/other";
    CHECK_FALSE(same_scrape(a, b));
    ScrapeTarget c = a;
    c.interval_s = 2;
    CHECK_FALSE(same_scrape(a, c));
    ScrapeTarget d = a;
    SeriesMapping m;
    m.info.key = "q";
    m.metric = "q";
    d.mappings.push_back(m);
    CHECK_FALSE(same_scrape(a, d));
    ScrapeTarget e = d;
    CHECK(same_scrape(d, e));
    e.mappings[0].scale = 100;
    CHECK_FALSE(same_scrape(d, e));
}
