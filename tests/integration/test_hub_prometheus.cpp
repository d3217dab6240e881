// GET /metrics is valid Prometheus text (promtool check metrics) and a real Prometheus 2.42,
// started on a loopback port with a generated config, scrapes it (through the stats token): the
// target is up and a hub series has a value. Both tools come with shell/setup.sh's `prometheus`:
// missing, the test FAILS rather than skips.
#include "hub_fixture.h"

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace vigil::itest;

namespace {

const std::string kPrometheus = "/usr/bin/prometheus";
const std::string kPromtool = "/usr/bin/promtool";

// A child process with stdin from a file (or /dev/null) and stdout+stderr into a file; killed by
// PID on destruction.
class Child {
public:
    Child(std::vector<std::string> argv, const std::string& in_path, const std::string& out_path) {
        pid_ = fork();
        if (pid_ == 0) {
            int in = ::open(in_path.empty() ? "/dev/null" : in_path.c_str(), O_RDONLY);
            int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (in >= 0) dup2(in, STDIN_FILENO);
            if (out >= 0) {
                dup2(out, STDOUT_FILENO);
                dup2(out, STDERR_FILENO);
            }
            std::vector<char*> args;
            for (auto& a : argv) args.push_back(a.data());
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
    }
    ~Child() {
        if (!status_ && pid_ > 0) {
            ::kill(pid_, SIGKILL);
            wait(5s);
        }
    }
    void terminate() {
        if (!status_) ::kill(pid_, SIGTERM);
    }
    std::optional<int> wait(std::chrono::milliseconds timeout) {
        eventually([&] {
            int st = 0;
            if (!status_ && waitpid(pid_, &st, WNOHANG) == pid_) status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return status_.has_value();
        }, timeout);
        return status_;
    }

private:
    pid_t pid_ = -1;
    std::optional<int> status_;
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A loopback port free right now.
int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

}  // namespace

TEST_CASE("promtool accepts /metrics, also after clients, refusals and rejected messages filled its labels") {
    REQUIRE_MESSAGE(std::filesystem::exists(kPromtool), "promtool missing: shell/setup.sh installs the prometheus package");
    HubFixture f;
    auto& hub = f.start();
    WsTestClient good, evil;
    REQUIRE(good.connect(hub.port()));
    REQUIRE(good.send_json(hello("c-metrics")));
    REQUIRE(!read_until_type(good, "live").is_null());
    REQUIRE(good.send("not json"));
    REQUIRE(evil.connect(hub.port(), with_origin("http://evil.example")));
    REQUIRE(evil.read_until_closed(5s));
    REQUIRE(eventually([&] { return healthz(hub.port())["rejected_messages"] == 1; }, 5s));

    auto r = http_get(hub.port(), "/metrics");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(r.body.find("vigil_hub_connects_total{outcome=\"bad_origin\"} 1\n") != std::string::npos);
    CHECK(r.body.find("vigil_hub_connects_total{outcome=\"accepted\"} 1\n") != std::string::npos);
    CHECK(r.body.find("vigil_hub_rejected_messages_total{kind=\"bad_json\"} 1\n") != std::string::npos);
    CHECK(r.body.find("vigil_hub_clients 1\n") != std::string::npos);
    const std::string body = f.dir.path() + "/metrics.txt", out = f.dir.path() + "/promtool.out";
    std::ofstream(body, std::ios::binary) << r.body;
    Child promtool({kPromtool, "check", "metrics"}, body, out);
    auto status = promtool.wait(30s);
    REQUIRE(status.has_value());
    CHECK_MESSAGE(*status == 0, slurp(out));
    CHECK_MESSAGE(slurp(out).empty(), slurp(out));  // not even a lint warning
}

TEST_CASE("a real Prometheus scrapes the hub through the stats token: the target is up and a hub series has a value") {
    REQUIRE_MESSAGE(std::filesystem::exists(kPrometheus), "prometheus missing: shell/setup.sh installs it");
    HubFixture f;
    auto& hub = f.start({"--token", "s3cret-main", "--stats-token", "scrape-t0ken"});
    const int port = free_port();
    const std::string dir = f.dir.path(), config = dir + "/prometheus.yml", log = dir + "/prometheus.log";
    std::ofstream(config) << "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n"
                             "scrape_configs:\n  - job_name: vigil_hub\n    metrics_path: /metrics\n"
                             "    authorization:\n      type: Bearer\n      credentials: scrape-t0ken\n"
                             "    static_configs:\n      - targets: ['127.0.0.1:"
                          << hub.port() << "']\n";
    Child prometheus({kPrometheus, "--config.file=" + config, "--storage.tsdb.path=" + dir + "/tsdb",
                      "--web.listen-address=127.0.0.1:" + std::to_string(port), "--log.level=warn"},
                     "", log);
    auto api = [&](const std::string& query) {
        auto r = http_get(port, query, 2s);
        return r.status == 200 ? nlohmann::json::parse(r.body, nullptr, false) : nlohmann::json();
    };
    nlohmann::json target;
    const bool up = eventually([&] {
        auto t = api("/api/v1/targets");
        if (!t.is_object() || t["data"]["activeTargets"].empty()) return false;
        target = t["data"]["activeTargets"][0];
        return target.value("health", "") == "up";
    }, 60s);
    REQUIRE_MESSAGE(up, "target: " << target.dump() << "\nprometheus log:\n" << slurp(log));
    CHECK(target["scrapeUrl"] == "http://127.0.0.1:" + std::to_string(hub.port()) + "/metrics");
    double frames = 0;
    const bool has_value = eventually([&] {
        auto q = api("/api/v1/query?query=vigil_hub_frames_total");
        if (!q.is_object() || q["data"]["result"].empty()) return false;
        frames = std::stod(q["data"]["result"][0]["value"][1].get<std::string>());
        return frames > 0;
    }, 30s);
    CHECK_MESSAGE(has_value, slurp(log));
    MESSAGE("prometheus saw vigil_hub_frames_total = " << frames);
    // The scrapes were authorized: none was refused.
    auto m = http_get_with(hub.port(), "/metrics", {{"Authorization", "Bearer scrape-t0ken"}});
    CHECK(m.body.find("\nvigil_hub_unauthorized_stats_total 0\n") != std::string::npos);
    prometheus.terminate();
    CHECK(prometheus.wait(20s).has_value());
}
