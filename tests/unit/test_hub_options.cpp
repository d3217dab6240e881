// The hub's command line: flags, environment fallbacks, and refusals of bad input.
#include "hub/hub_options.h"

#include <doctest/doctest.h>

#include <map>

using namespace vigil::hub;

namespace {

OptionsResult parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    return parse_hub_options(args, [env](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    });
}

}  // namespace

TEST_CASE("defaults, with --root required") {
    auto r = parse({"--root", "site"});
    REQUIRE(r.options);
    CHECK(r.options->listen_host == "127.0.0.1");
    CHECK(r.options->listen_port == 8080);
    CHECK(r.options->interval_ms == 1000);
    CHECK(r.options->journal_dir == "./vigil-journal");
    CHECK(r.options->allow_origins.empty());
    auto missing = parse({});
    CHECK_FALSE(missing.options);
    CHECK(missing.exit_code == 2);
}

TEST_CASE("every flag parses, in both --flag value and --flag=value forms") {
    auto r = parse({"--root=site", "--listen", "0.0.0.0:0", "--interval-ms", "250", "--journal", "/tmp/j",
                    "--simulate", "12", "--seed=99", "--token", "s3cret", "--allow-origin", "http://a",
                    "--allow-origin=http://b", "--max-clients", "3", "--max-message-bytes", "4096",
                    "--retry-hint-ms", "700", "--retention-frames", "50", "--no-local"});
    REQUIRE(r.options);
    auto& o = *r.options;
    CHECK(o.listen_host == "0.0.0.0");
    CHECK(o.listen_port == 0);
    CHECK(o.interval_ms == 250);
    CHECK(o.journal_dir == "/tmp/j");
    CHECK(o.simulate == 12);
    CHECK(o.seed == 99);
    CHECK(o.token == "s3cret");
    CHECK(o.allow_origins == std::vector<std::string>{"http://a", "http://b"});
    CHECK(o.max_clients == 3);
    CHECK(o.max_message_bytes == 4096);
    CHECK(o.retry_hint_ms == 700);
    CHECK(o.retention_frames == 50);
    CHECK_FALSE(o.local_metrics);
}

TEST_CASE("the environment fills in, and a flag beats the environment") {
    auto r = parse({"--root", "site", "--interval-ms", "500"},
                   {{"VIGIL_LISTEN", "127.0.0.1:9000"}, {"VIGIL_INTERVAL_MS", "2000"},
                    {"VIGIL_ALLOW_ORIGIN", "http://a,http://b"}, {"VIGIL_TOKEN", "t"}});
    REQUIRE(r.options);
    CHECK(r.options->listen_port == 9000);
    CHECK(r.options->interval_ms == 500);
    CHECK(r.options->token == "t");
    CHECK(r.options->allow_origins.size() == 2);
    auto flags_win = parse({"--root", "site", "--allow-origin", "http://c"}, {{"VIGIL_ALLOW_ORIGIN", "http://a"}});
    CHECK(flags_win.options->allow_origins == std::vector<std::string>{"http://c"});
}

TEST_CASE("--allow-host is repeatable, the environment's list comma-separated, and flags replace it") {
    auto env = parse({"--root", "site"}, {{"VIGIL_ALLOW_HOST", "wall.example,.ops.example"}});
    REQUIRE(env.options);
    CHECK(env.options->allow_hosts == std::vector<std::string>{"wall.example", ".ops.example"});
    auto flags = parse({"--root", "site", "--allow-host", "a.example", "--allow-host=b.example"},
                       {{"VIGIL_ALLOW_HOST", "wall.example"}});
    REQUIRE(flags.options);
    CHECK(flags.options->allow_hosts == std::vector<std::string>{"a.example", "b.example"});
    CHECK(parse({"--root", "site"}).options->allow_hosts.empty());  // the default: any Host
}

TEST_CASE("[::1]:8080 listens on IPv6") {
    auto r = parse({"--root", "s", "--listen", "[::1]:8080"});
    REQUIRE(r.options);
    CHECK(r.options->listen_host == "::1");
}

TEST_CASE("bad values are refused with exit code 2, --help exits 0") {
    for (auto args : std::vector<std::vector<std::string>>{{"--root", "s", "--listen", "nocolon"},
                                                            {"--root", "s", "--listen", "h:70000"},
                                                            {"--root", "s", "--interval-ms", "fast"},
                                                            {"--root", "s", "--interval-ms", "0"},
                                                            {"--root", "s", "--bogus"},
                                                            {"--root"}}) {
        auto r = parse(args);
        CHECK_FALSE(r.options);
        CHECK(r.exit_code == 2);
    }
    auto help = parse({"--help"});
    CHECK_FALSE(help.options);
    CHECK(help.exit_code == 0);
    CHECK(help.message.find("--listen") != std::string::npos);
}

TEST_CASE("closed by default: same origin only, 16 sockets per address, hello within 5 s, no stats token") {
    auto r = parse({"--root", "site"});
    REQUIRE(r.options);
    CHECK(r.options->allow_origins.empty());  // empty means the page's own origin, not any
    CHECK(r.options->max_clients_per_address == 16);
    CHECK(r.options->hello_timeout_ms == 5000);
    CHECK(r.options->stats_token.empty());
    auto set = parse({"--root", "site", "--max-clients-per-address", "3", "--hello-timeout-ms=700", "--token", "t",
                      "--stats-token", "ro", "--allow-origin", "*"});
    REQUIRE(set.options);
    CHECK(set.options->max_clients_per_address == 3);
    CHECK(set.options->hello_timeout_ms == 700);
    CHECK(set.options->stats_token == "ro");
    CHECK(set.options->allow_origins == std::vector<std::string>{"*"});
}

TEST_CASE("--stats-token without --token is refused: it would guard nothing") {
    auto r = parse({"--root", "site", "--stats-token", "ro"});
    CHECK_FALSE(r.options);
    CHECK(r.exit_code == 2);
    CHECK(r.message.find("--stats-token needs --token") != std::string::npos);
}
