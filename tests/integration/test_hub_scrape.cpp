// The hub scraping REAL prometheus-node-exporter processes on loopback ports (started and killed
// by PID here), plus tiny canned servers: hosts appear with labels and the node profile's values,
// a killed exporter is DOWN (connection refused) and comes back, malformed and silent targets are
// DOWN with their reasons while the others' frames keep coming, a file_sd edit adds and removes hosts.
#include "child_process.h"
#include "hub_fixture.h"

#include <atomic>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace vigil::itest;
using nlohmann::json;

namespace {

const std::string kNodeExporter = "/usr/bin/prometheus-node-exporter";
constexpr int kIntervalMs = 500;

// One node_exporter on 127.0.0.1:port with its own textfile folder; restartable on the same port.
class NodeExporter {
public:
    NodeExporter(const std::string& dir, std::vector<std::string> collectors_off = {})
        : port_(free_port()), textdir_(dir + "/text-" + std::to_string(port_)), off_(std::move(collectors_off)) {
        std::filesystem::create_directories(textdir_);
    }
    int port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    void textfile(const std::string& text) const {
        std::ofstream(textdir_ + "/vigil.prom.tmp") << text;
        std::filesystem::rename(textdir_ + "/vigil.prom.tmp", textdir_ + "/vigil.prom");  // whole or nothing
    }
    void start() {
        std::vector<std::string> argv = {kNodeExporter, "--web.listen-address=" + address(),
                                         "--collector.textfile.directory=" + textdir_};
        for (auto& c : off_) argv.push_back("--no-collector." + c);
        child_ = std::make_unique<Child>(argv, "", textdir_ + ".log");
        REQUIRE_MESSAGE(eventually([&] { return http_get(port_, "/metrics", 1s).status == 200; }, 15s),
                        "node_exporter did not come up: " << slurp(textdir_ + ".log"));
    }
    void kill9() {
        child_->kill9();
        REQUIRE(child_->wait(5s));
        child_.reset();
    }
    std::string metrics() const { return http_get(port_, "/metrics", 2s).body; }

private:
    int port_;
    std::string textdir_;
    std::vector<std::string> off_;
    std::unique_ptr<Child> child_;
};

// The value of the unlabelled series `name` in an exposition body.
std::optional<double> series_value(const std::string& body, const std::string& name) {
    const std::string prefix = name + " ";
    for (std::size_t at = 0; at < body.size();) {
        const auto end = body.find('\n', at);
        const std::string line = body.substr(at, end - at);
        if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size()));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return std::nullopt;
}

// A loopback HTTP server answering every request with `body` (keep-alive), or never answering
// (`body` empty optional: it accepts, reads, and holds the connection).
class CannedServer {
public:
    explicit CannedServer(std::optional<std::string> body) : body_(std::move(body)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(fd_, 64) == 0);
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~CannedServer() {
        stop_ = true;
        thread_.join();
        for (auto& c : clients_) ::close(c.fd);
        ::close(fd_);
    }
    int port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    int requests() const { return requests_; }
    int connections() const { return connections_; }
    int max_open() const { return max_open_; }  // connections open at once, at most
    std::set<std::string> paths() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return paths_;
    }

private:
    struct Client {
        int fd;
        std::string in;
    };
    void run() {
        while (!stop_) {
            std::vector<pollfd> fds{{fd_, POLLIN, 0}};
            for (auto& c : clients_) fds.push_back({c.fd, POLLIN, 0});
            if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
            if (fds[0].revents & POLLIN) {
                int c = ::accept(fd_, nullptr, nullptr);
                if (c >= 0) {
                    clients_.push_back({c, {}});
                    ++connections_;
                }
            }
            for (std::size_t i = 1; i < fds.size(); ++i) {
                if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                auto& c = clients_[i - 1];
                char buf[4096];
                auto n = ::read(c.fd, buf, sizeof buf);
                if (n <= 0) {
                    ::close(c.fd);
                    c.fd = -1;
                    continue;
                }
                c.in.append(buf, std::size_t(n));
                for (std::size_t end; (end = c.in.find("\r\n\r\n")) != std::string::npos;) {
                    {
                        const auto sp = c.in.find(' '), sp2 = c.in.find(' ', sp + 1);
                        std::lock_guard<std::mutex> lock(mutex_);
                        paths_.insert(c.in.substr(sp + 1, sp2 - sp - 1));
                    }
                    c.in.erase(0, end + 4);
                    ++requests_;
                    if (!body_) continue;  // silent: the request stays unanswered
                    const std::string res = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: " +
                                            std::to_string(body_->size()) + "\r\n\r\n" + *body_;
                    (void)!::write(c.fd, res.data(), res.size());
                }
            }
            clients_.erase(std::remove_if(clients_.begin(), clients_.end(), [](const Client& c) { return c.fd < 0; }),
                           clients_.end());
            // Counted after the closes this round saw: a connection the hub closed just before
            // opening the next one is not counted twice.
            max_open_ = std::max<int>(max_open_, int(clients_.size()));
        }
    }
    std::optional<std::string> body_;
    int fd_ = -1, port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0}, connections_{0}, max_open_{0};
    mutable std::mutex mutex_;
    std::set<std::string> paths_;
    std::vector<Client> clients_;
    std::thread thread_;
};

// A page's view of the stream: the latest catalog and frames read one at a time.
struct Screen {
    WsTestClient ws;
    json catalog;
    std::uint64_t last_seq = 0;
    int catalogs = 0;

    void open(int port) {
        REQUIRE(ws.connect(port));
        auto h = hello("c-scrape");
        h["history_s"] = 0;
        REQUIRE(ws.send_json(h));
    }
    // The next samples frame (catalogs on the way are kept); null on close/timeout.
    json frame(std::chrono::milliseconds timeout = 5s) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return nullptr;
            auto m = ws.read_json(left);
            if (m.is_null()) return nullptr;
            const auto type = m.value("type", "");
            if (type == "catalog") {
                catalog = m;
                ++catalogs;
            }
            if (type == "samples") {
                last_seq = m["seq"].get<std::uint64_t>();
                return m;
            }
        }
    }
    // Frames until `condition(frame)` holds; the number of frames read, or -1 when `max_frames` passed.
    template <class F>
    int until(F condition, int max_frames) {
        for (int n = 1; n <= max_frames; ++n) {
            auto f = frame();
            if (f.is_null()) return -1;
            if (condition(f)) return n;
        }
        return -1;
    }
    const json* host(const std::string& id) const {
        if (!catalog.contains("hosts")) return nullptr;
        for (const auto& h : catalog["hosts"])
            if (h["id"] == id) return &h;
        return nullptr;
    }
    bool has_metric(const std::string& id, const std::string& key) const {
        const json* h = host(id);
        if (!h) return false;
        for (const auto& m : (*h)["metrics"])
            if (m["key"] == key) return true;
        return false;
    }
};

bool has_values(const json& frame, const std::string& id, const std::string& key) {
    return frame["hosts"].contains(id) && frame["hosts"][id].contains(key);
}
bool is_down(const json& frame, const std::string& id) { return frame.contains("down") && frame["down"].contains(id); }

json target_status(int hub_port, const std::string& id) {
    auto r = http_get(hub_port, "/targets");
    if (r.status != 200) return nullptr;
    for (const auto& t : json::parse(r.body))
        if (t["host"] == id) return t;
    return nullptr;
}

std::int64_t unix_ms_now_for_test() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path + ".tmp") << text;
    std::filesystem::rename(path + ".tmp", path);  // the hub never reads half a file
}

}  // namespace

TEST_CASE("node_exporters appear with their labels and values; one killed is DOWN (refused), restarted is up again") {
    REQUIRE_MESSAGE(std::filesystem::exists(kNodeExporter), "shell/setup.sh installs prometheus-node-exporter");
    HubFixture f;
    NodeExporter a(f.dir.path()), b(f.dir.path(), {"hwmon", "thermal_zone", "filesystem", "netdev", "diskstats"});
    a.textfile("# TYPE app_queue_depth gauge\napp_queue_depth 42\n");
    b.textfile("# TYPE app_queue_depth gauge\napp_queue_depth 7\n");
    a.start();
    b.start();
    std::filesystem::create_directories(f.dir.path() + "/cfg/sd");
    write_file(f.dir.path() + "/cfg/sd/nodes.json",
               R"([{"targets": [")" + b.address() + R"("], "labels": {"site": "B", "rack": "r2", "__meta_x": "y"}}])");
    const std::string targets = f.dir.path() + "/cfg/targets.json";
    write_file(targets, R"({"mappings": [{"key": "queue", "metric": "app_queue_depth", "label": "Queue"}],
        "targets": [{"address": ")" + a.address() + R"(", "host": "node-a", "name": "Node A", "labels": {"site": "A"}}],
        "file_sd": [{"path": "sd/nodes.json"}]})");
    auto& hub = f.start({"--interval-ms", std::to_string(kIntervalMs), "--targets", targets, "--no-local"});
    // Both exporters are on host 127.0.0.1, so the file_sd one is known by its whole address.
    const std::string b_id = b.address();
    Screen s;
    s.open(hub.port());

    // The catalog follows the first scrapes: both hosts, their labels, the profile's keys and the mapping.
    REQUIRE(s.until([&](const json&) { return s.has_metric("node-a", "queue") && s.has_metric(b_id, "mem"); }, 20) > 0);
    CHECK((*s.host("node-a"))["name"] == "Node A");
    CHECK((*s.host("node-a"))["labels"] == json{{"site", "A"}});
    CHECK((*s.host(b_id))["labels"] == json({{"rack", "r2"}, {"site", "B"}}));  // __ labels dropped
    CHECK(s.has_metric("node-a", "cpu"));
    CHECK(s.has_metric("node-a", "load1"));
    CHECK_FALSE(s.has_metric(b_id, "net_rx"));  // its netdev collector is off

    // Values match what the exporter's own /metrics says (mem and load move slowly; queue is exact).
    json frame;
    REQUIRE(s.until([&](const json& fr) { frame = fr; return has_values(fr, "node-a", "cpu") && has_values(fr, b_id, "queue"); }, 20) > 0);
    const auto body = a.metrics();
    const double total = *series_value(body, "node_memory_MemTotal_bytes");
    const double available = *series_value(body, "node_memory_MemAvailable_bytes");
    CHECK(frame["hosts"]["node-a"]["mem"].get<double>() == doctest::Approx(100 * (1 - available / total)).epsilon(0.02));
    CHECK(std::fabs(frame["hosts"]["node-a"]["load1"].get<double>() - *series_value(body, "node_load1")) < 0.3);
    CHECK(frame["hosts"]["node-a"]["queue"] == 42);
    CHECK(frame["hosts"][b_id]["queue"] == 7);
    const double cpu = frame["hosts"]["node-a"]["cpu"].get<double>();
    CHECK((cpu >= 0 && cpu <= 100));

    auto ta = target_status(hub.port(), "node-a");
    REQUIRE(ta.is_object());
    CHECK(ta["up"] == true);
    CHECK(ta["address"] == a.address());
    CHECK(ta["path"] == "/metrics");
    // samples: the body's sample lines; series: those read in full (the profile's and mappings' names).
    CHECK(ta["samples"].get<int>() > 100);
    CHECK(ta["series"].get<int>() > 10);
    CHECK(ta["series"].get<int>() < ta["samples"].get<int>());
    CHECK(ta["errors"] == 0);
    CHECK(ta["reason"].is_null());
    auto hz = healthz(hub.port());
    CHECK(hz["targets"]["total"] == 2);
    CHECK(hz["targets"]["up"] == 2);
    CHECK(hz["targets"]["dropped_keys"] == 0);  // per-core keys past the page's limit (a 600-core node: test_sources_page_limits)

    // kill -9: DOWN with "connection refused" within 2 intervals (the frame after the next scrape).
    b.kill9();
    const auto killed_ms = unix_ms_now_for_test();
    json down_frame;
    int sampled_after_kill = 0;  // frames already queued on this socket before the kill do not count
    const int frames = s.until([&](const json& fr) {
        down_frame = fr;
        if (fr["t"].get<std::int64_t>() > killed_ms) ++sampled_after_kill;
        return is_down(fr, b_id);
    }, 20);
    REQUIRE(frames > 0);
    CHECK(sampled_after_kill <= 2);
    CHECK(down_frame["down"][b_id]["reason"] == "connection refused");
    CHECK(down_frame["down"][b_id]["since"].get<std::int64_t>() >= killed_ms - 1000);
    CHECK_FALSE(down_frame["hosts"].contains(b_id));
    CHECK(has_values(down_frame, "node-a", "mem"));  // the other host goes on
    const auto since = down_frame["down"][b_id]["since"];
    REQUIRE(s.until([&](const json& fr) { return is_down(fr, b_id); }, 2) == 1);
    CHECK(s.frame()["down"][b_id]["since"] == since);  // since is the outage's start
    CHECK(healthz(hub.port())["targets"]["down"] == 1);
    CHECK(target_status(hub.port(), b_id)["reason"] == "connection refused");

    // Restarted on the same port: up again with values, no DOWN entry.
    b.start();
    REQUIRE(s.until([&](const json& fr) { return !is_down(fr, b_id) && has_values(fr, b_id, "queue"); }, 20) > 0);

    // /metrics counts it and stays valid for promtool.
    auto m = http_get(hub.port(), "/metrics");
    CHECK(m.body.find("vigil_hub_scrapes_total{outcome=\"refused\"}") != std::string::npos);
    CHECK(m.body.find("vigil_hub_scrapes_total{outcome=\"success\"}") != std::string::npos);
    CHECK(m.body.find("vigil_hub_targets{state=\"up\"} 2\n") != std::string::npos);
    CHECK(m.body.find("vigil_hub_targets_dropped_keys 0\n") != std::string::npos);
    CHECK(m.body.find("vigil_hub_scrape_duration_seconds_count") != std::string::npos);
    const std::string mfile = f.dir.path() + "/metrics.txt", out = f.dir.path() + "/promtool.out";
    std::ofstream(mfile, std::ios::binary) << m.body;
    Child promtool({"/usr/bin/promtool", "check", "metrics"}, mfile, out);
    auto status = promtool.wait(30s);
    REQUIRE(status.has_value());
    CHECK_MESSAGE(*status == 0, slurp(out));
    CHECK_MESSAGE(slurp(out).empty(), slurp(out));
}

TEST_CASE("malformed and silent targets are DOWN with their reasons, a partly bad body still counts, and the frames keep coming") {
    HubFixture f;
    NodeExporter a(f.dir.path());
    a.start();
    CannedServer garbage(std::string("<html>\n<body>not metrics</body>\n</html>\n"));
    CannedServer partly(std::string("# TYPE app_queue_depth gauge\napp_queue_depth 5\nnode_load1 one\n"));
    CannedServer silent(std::nullopt);
    const std::string targets = f.dir.path() + "/targets.json";
    write_file(targets, R"({"mappings": [{"key": "queue", "metric": "app_queue_depth"}], "targets": [
        {"address": ")" + a.address() + R"(", "host": "node-a"},
        {"address": ")" + garbage.address() + R"(", "host": "garbage"},
        {"address": ")" + partly.address() + R"(", "host": "partly"},
        {"address": ")" + silent.address() + R"(", "host": "silent"}]})");
    auto& hub = f.start({"--interval-ms", std::to_string(kIntervalMs), "--targets", targets, "--no-local"});
    Screen s;
    s.open(hub.port());
    json fr;
    REQUIRE(s.until([&](const json& x) { fr = x; return is_down(x, "silent") && is_down(x, "garbage") && has_values(x, "partly", "queue"); }, 30) > 0);
    CHECK(fr["down"]["silent"]["reason"] == "timeout after 400 ms");  // 80 % of the 500 ms interval
    CHECK(fr["down"]["garbage"]["reason"].get<std::string>().rfind("unreadable body: line 1: ", 0) == 0);
    CHECK(fr["hosts"]["partly"]["queue"] == 5);
    CHECK_FALSE(is_down(fr, "partly"));
    auto partly_status = target_status(hub.port(), "partly");
    CHECK(partly_status["up"] == true);
    CHECK(partly_status["errors"].get<int>() >= 1);
    CHECK(partly_status["last_error"].get<std::string>().rfind("line 3: invalid_value", 0) == 0);
    CHECK(target_status(hub.port(), "garbage")["errors"].get<int>() >= 1);

    // The silent target holds a connection for its whole timeout every round; the frames still come
    // one per tick, seq rising by one, each with the exporter's fresh values.
    std::uint64_t seq = s.last_seq;
    for (int i = 0; i < 10; ++i) {
        auto x = s.frame();
        REQUIRE(!x.is_null());
        CHECK(x["seq"].get<std::uint64_t>() == ++seq);
        CHECK(has_values(x, "node-a", "mem"));
        CHECK(is_down(x, "silent"));
    }
    CHECK(silent.requests() >= 2);  // it was asked again (a new connection after each timeout)
    CHECK(silent.connections() == silent.requests());
    CHECK(partly.requests() >= 10);
    CHECK(partly.connections() == 1);  // kept alive: every scrape on the one connection
    auto m = http_get(hub.port(), "/metrics").body;
    CHECK(m.find("vigil_hub_scrapes_total{outcome=\"timeout\"}") != std::string::npos);
    CHECK(m.find("vigil_hub_scrapes_total{outcome=\"unreadable\"}") != std::string::npos);
}

TEST_CASE("a windows_exporter target (profile \"windows\") shows the windows profile's keys, not node's") {
    // No windows_exporter runs on Linux: a canned server serves a body in its layout and names
    // (tests/unit/fixtures/, the unit test's); what this checks is the config-to-scrape-to-frame path.
    const std::string body = slurp(std::string(VIGIL_SOURCE_DIR) + "/tests/unit/fixtures/windows_exporter_scrape1.prom");
    REQUIRE(!body.empty());
    HubFixture f;
    CannedServer win(body);
    const std::string targets = f.dir.path() + "/targets.json";
    write_file(targets, R"({"targets": [
        {"address": ")" + win.address() + R"(", "host": "win-01", "profile": "windows"},
        {"address": ")" + win.address() + R"(", "metrics_path": "/as-node", "host": "as-node"}]})");
    auto& hub = f.start({"--interval-ms", std::to_string(kIntervalMs), "--targets", targets, "--no-local"});
    Screen s;
    s.open(hub.port());
    json fr;
    REQUIRE(s.until([&](const json& x) { fr = x; return has_values(x, "win-01", "mem") && has_values(x, "win-01", "temp"); }, 30) > 0);
    CHECK(fr["hosts"]["win-01"]["mem"].get<double>() == doctest::Approx(100.0 * (1 - 3221225472.0 / 8589328384.0)).epsilon(0.001));
    CHECK(fr["hosts"]["win-01"]["temp"].get<double>() == doctest::Approx(47.85).epsilon(0.001));
    CHECK(s.has_metric("win-01", "cpu"));
    CHECK(s.has_metric("win-01", "disk_r"));
    CHECK_FALSE(s.has_metric("win-01", "load1"));
    // The same body read with the default node profile has nothing it knows: up, and no values.
    CHECK_FALSE(has_values(fr, "as-node", "mem"));
    CHECK_FALSE(is_down(fr, "as-node"));
}

TEST_CASE("--scrape-concurrency bounds the scrapes in flight: the targets beyond it wait their turn, each still scraped") {
    HubFixture f;
    // Every scrape holds its connection for the whole timeout (400 ms): spread over the 500 ms
    // interval, three of them would overlap without the bound.
    CannedServer silent(std::nullopt);
    const std::string targets = f.dir.path() + "/targets.json";
    write_file(targets, R"({"targets": [
        {"address": ")" + silent.address() + R"(", "metrics_path": "/a", "host": "a"},
        {"address": ")" + silent.address() + R"(", "metrics_path": "/b", "host": "b"},
        {"address": ")" + silent.address() + R"(", "metrics_path": "/c", "host": "c"}]})");
    auto& hub = f.start({"--interval-ms", std::to_string(kIntervalMs), "--targets", targets, "--no-local",
                         "--scrape-concurrency", "1", "--scrape-timeout-ms", "400"});
    REQUIRE(eventually([&] { return silent.paths().size() == 3; }, 10s));
    REQUIRE(eventually([&] { return healthz(hub.port())["targets"]["down"] == 3; }, 10s));
    CHECK(target_status(hub.port(), "c")["reason"] == "timeout after 400 ms");
    CHECK(silent.max_open() == 1);
}

TEST_CASE("a file_sd edit adds and removes a host: a new catalog arrives on the open socket; a bad edit keeps the old targets") {
    HubFixture f;
    CannedServer one(std::string("node_load1 0.5\n")), two(std::string("node_load1 1.5\n"));
    const std::string sd = f.dir.path() + "/sd.json", targets = f.dir.path() + "/targets.json";
    write_file(sd, R"([{"targets": [")" + one.address() + R"("], "labels": {"instance": "one"}}])");
    write_file(targets, R"({"file_sd": [{"path": "sd.json"}]})");
    auto& hub = f.start({"--interval-ms", std::to_string(kIntervalMs), "--targets", targets, "--no-local"});
    Screen s;
    s.open(hub.port());
    REQUIRE(s.until([&](const json& x) { return has_values(x, "one", "load1"); }, 20) > 0);
    REQUIRE(s.host("one"));
    CHECK_FALSE(s.host("two"));

    write_file(sd, R"([{"targets": [")" + one.address() + R"("], "labels": {"instance": "one"}},
                     {"targets": [")" + two.address() + R"("], "labels": {"instance": "two", "site": "B"}}])");
    const int catalogs = s.catalogs;
    REQUIRE(s.until([&](const json& x) { return s.host("two") && has_values(x, "two", "load1"); }, 20) > 0);
    CHECK(s.catalogs > catalogs);  // the page got a new catalog, no reconnect
    CHECK((*s.host("two"))["labels"]["site"] == "B");
    CHECK(healthz(hub.port())["targets"]["total"] == 2);

    write_file(sd, R"([{"targets": [")" + two.address() + R"("], "labels": {"instance": "two"}}])");
    REQUIRE(s.until([&](const json&) { return !s.host("one"); }, 20) > 0);
    REQUIRE(s.host("two"));
    auto x = s.frame();
    CHECK_FALSE(x["hosts"].contains("one"));

    // A broken edit: counted and named, the previous targets stay.
    write_file(sd, "[{\"targets\": [\"not an address\"]}]");
    REQUIRE(eventually([&] { return healthz(hub.port())["targets"]["reload_errors"] == 1; }, 10s));
    CHECK(healthz(hub.port())["targets"]["last_reload_error"].get<std::string>().find("must be host:port") != std::string::npos);
    CHECK(healthz(hub.port())["targets"]["total"] == 1);
    REQUIRE(s.until([&](const json& y) { return has_values(y, "two", "load1"); }, 5) > 0);
}

TEST_CASE("a bad targets file keeps the hub from starting, with the errors named") {
    HubFixture f;
    const std::string targets = f.dir.path() + "/targets.json";
    write_file(targets, R"({"targets": [{"address": "no-port"}, {"address": "a:1", "profile": "gpu"}]})");
    SpawnOptions spawn;
    spawn.stderr_path = f.dir.path() + "/hub.err";
    CHECK_THROWS(f.start({"--targets", targets}, spawn));
    const auto err = slurp(spawn.stderr_path);
    CHECK_MESSAGE(err.find("targets[0]: \"address\" must be host:port") != std::string::npos, err);
    CHECK_MESSAGE(err.find("targets[1]: \"profile\" must be \"node\", \"windows\" or \"none\"") != std::string::npos, err);
}
