// The real /usr/bin/prometheus-node-exporter (shell/setup.sh installs it), started by the test on a
// loopback port and stopped by its PID: its whole body, every collector on this machine, parses
// with no error, and the node profile gets every key it should from two of its scrapes. The HTTP
// here is the test's own 20 lines (the hub's scrape loop is not written yet).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <map>
#include <set>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "hub/sources/exposition_parser.h"
#include "hub/sources/node_profile.h"

using namespace vigil::hub::sources;

namespace {

const char* exporter = "/usr/bin/prometheus-node-exporter";

int free_loopback_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

// GET /metrics over HTTP/1.0 (the server closes after the body); "" if it cannot connect yet.
std::string get_metrics(int port) {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(std::uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string out;
    if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
        const std::string req = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
        if (::send(s, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size())) {
            char buf[65536];
            for (ssize_t n; (n = ::recv(s, buf, sizeof buf, 0)) > 0;) out.append(buf, std::size_t(n));
        }
    }
    ::close(s);
    const auto head_end = out.find("\r\n\r\n");
    if (out.rfind("HTTP/1.", 0) != 0 || out.find(" 200 ") > 12 || head_end == std::string::npos) return {};
    return out.substr(head_end + 4);
}

struct Exporter {
    pid_t pid = -1;
    int port = 0;
    Exporter() {
        port = free_loopback_port();
        const std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port);
        pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            const int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, 1);
            ::dup2(null, 2);
            ::execl(exporter, exporter, listen.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }
    ~Exporter() {
        ::kill(pid, SIGTERM);
        int status = 0;
        ::waitpid(pid, &status, 0);
    }
};

double monotonic_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("a live node_exporter: the whole body parses clean; two scrapes give every profile key") {
    REQUIRE_MESSAGE(::access(exporter, X_OK) == 0, exporter << " missing: run shell/setup.sh");
    Exporter ne;
    // Poll until it answers (it starts in tens of milliseconds), with a deadline.
    std::string body;
    const double deadline = monotonic_s() + 15;
    while ((body = get_metrics(ne.port)).empty() && monotonic_s() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE_MESSAGE(!body.empty(), "node_exporter did not answer on port " << ne.port);

    ExpositionParser parser;
    NodeProfile profile;
    std::map<std::string, double> values;
    for (int scrape = 0; monotonic_s() < deadline; ++scrape) {
        if (scrape > 0) body = get_metrics(ne.port);
        REQUIRE(!body.empty());
        const double now = monotonic_s();
        parser.reset(body);
        profile.begin(now);
        for (ExpositionEntry e; (e = parser.next()) != ExpositionEntry::end;) {
            REQUIRE_MESSAGE(e != ExpositionEntry::error, parser.error().describe());
            if (e == ExpositionEntry::series) profile.add(parser.series());
        }
        CHECK(parser.stats().series > 300);
        CHECK(parser.stats().resumed == 0);
        values.clear();
        for (auto& [k, v] : profile.finish()) values[k] = v;
        // cpu needs the counters to have moved (10 ms resolution): scrape again until they have.
        if (values.count("cpu")) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    MESSAGE("node_exporter body: " << body.size() << " bytes, " << parser.stats().lines << " lines, "
                                   << parser.stats().series << " series");
    REQUIRE(values.count("cpu"));
    CHECK(values.at("cpu") >= 0);
    CHECK(values.at("cpu") <= 100);
    CHECK(values.at("mem") > 0);
    CHECK(values.at("mem") < 100);
    CHECK(values.at("load1") >= 0);
    CHECK(values.at("net_rx") >= 0);
    CHECK(values.at("disk_w") >= 0);
    std::set<std::string> listed, given;
    for (auto& m : profile.metrics()) listed.insert(m.key);
    for (auto& [k, v] : values) given.insert(k);
    CHECK(given == listed);  // every key of the catalog has a value, and nothing else came
    CHECK(listed.count("cpu0"));
}
