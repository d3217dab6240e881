// What most integration tests start from: a temp site and journal folder, a hub on an ephemeral
// port, and helpers that read the stream a page would see.
#pragma once

#include "hub_process.h"
#include "ws_test_client.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace vigil::itest {

struct HubFixture {
    TempDir dir;
    std::string site = dir.path() + "/site";
    std::string journal = dir.path() + "/journal";
    std::unique_ptr<HubProcess> hub;

    HubFixture() {
        std::filesystem::create_directories(site);
        std::ofstream(site + "/index.html") << "<!doctype html><title>Vigil</title>";
        std::ofstream(site + "/app.wasm") << std::string("\0asm\1\0\0\0", 8);
        std::ofstream(site + "/app.js") << "console.log('vigil')";
        std::ofstream(site + "/config.json") << "{}";
    }

    // Starts (or restarts) the hub on the same site and journal. Fast ticks keep tests short.
    HubProcess& start(std::vector<std::string> extra = {}, const SpawnOptions& spawn = {}) {
        std::vector<std::string> args = {"--interval-ms", "50", "--simulate", "4", "--seed", "7"};
        args.insert(args.end(), extra.begin(), extra.end());
        hub.reset();
        hub = std::make_unique<HubProcess>(site, journal, args, spawn);
        return *hub;
    }
};

// Reads until a message of `type` arrives (others are passed to `seen`, if given); null on
// close/timeout.
template <class F>
nlohmann::json read_until_type(WsTestClient& c, const std::string& type, F seen,
                               std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return nullptr;
        auto m = c.read_json(left);
        if (m.is_null()) return nullptr;
        if (m.value("type", "") == type) return m;
        seen(m);
    }
}

inline nlohmann::json read_until_type(WsTestClient& c, const std::string& type,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return read_until_type(c, type, [](const nlohmann::json&) {}, timeout);
}

inline nlohmann::json hello(const std::string& client) {
    return {{"type", "hello"}, {"v", 1}, {"build", "itest"}, {"client", client}};
}

inline nlohmann::json resume_hello(const std::string& client, const std::string& epoch, std::uint64_t seq) {
    auto h = hello(client);
    h["resume"] = {{"epoch", epoch}, {"seq", seq}};
    return h;
}

}  // namespace vigil::itest
