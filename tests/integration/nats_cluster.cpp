// nats-server processes of a test cluster.
#include "nats_cluster.h"

#include "ws_test_client.h"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace vigil::itest {

namespace {
const char* nats_server_binary() {
    for (const char* p : {"/usr/sbin/nats-server", "/usr/bin/nats-server"})
        if (std::filesystem::exists(p)) return p;
    throw std::runtime_error("nats-server not installed (shell/setup.sh installs it)");
}
}  // namespace

NatsCluster::NatsCluster(int nodes) {
    nodes_.resize(static_cast<std::size_t>(nodes));
    for (int i = 0; i < nodes; ++i) {
        auto& n = nodes_[static_cast<std::size_t>(i)];
        n.client_port = free_port();
        n.cluster_port = free_port();
        n.http_port = free_port();
        n.store = dir_.path() + "/n" + std::to_string(i);
        n.log = dir_.path() + "/n" + std::to_string(i) + ".log";
        std::filesystem::create_directories(n.store);
    }
}

NatsCluster::~NatsCluster() {
    const char* d = std::getenv("VIGIL_NATS_DEBUG");
    if (!d || *d != '/') return;
    std::error_code ec;
    std::filesystem::create_directories(d, ec);
    for (const auto& n : nodes_)
        std::filesystem::copy_file(n.log, std::string(d) + "/" + std::filesystem::path(n.log).filename().string(),
                                   std::filesystem::copy_options::overwrite_existing, ec);
}

void NatsCluster::start(int i) {
    auto& n = nodes_[static_cast<std::size_t>(i)];
    std::string routes;
    for (std::size_t j = 0; j < nodes_.size(); ++j) {
        if (static_cast<int>(j) == i) continue;
        if (!routes.empty()) routes += ",";
        routes += "nats://127.0.0.1:" + std::to_string(nodes_[j].cluster_port);
    }
    std::vector<std::string> argv = {nats_server_binary(), "-js", "-a", "127.0.0.1",
                                     "-p", std::to_string(n.client_port), "-m", std::to_string(n.http_port),
                                     "-sd", n.store, "--server_name", "n" + std::to_string(i)};
    // VIGIL_NATS_DEBUG=1: debug logging (raft elections with timestamps: where a leader
    // kill's pause goes), read back with log_lines().
    if (const char* d = std::getenv("VIGIL_NATS_DEBUG"); d && *d && std::string(d) != "0") argv.push_back("-D");
    if (nodes_.size() > 1) {  // one node alone runs JetStream unclustered
        for (std::string a : {"--cluster_name", "vigil-test", "--cluster"}) argv.push_back(a);
        argv.push_back("nats://127.0.0.1:" + std::to_string(n.cluster_port));
    }
    if (!routes.empty()) {
        argv.push_back("--routes");
        argv.push_back(routes);
    }
    n.process.reset();
    n.process = std::make_unique<Child>(argv, "", n.log);
    if (!eventually([&] { return http_get(n.http_port, "/varz", std::chrono::milliseconds(500)).status == 200; },
                    std::chrono::seconds(10)))
        throw std::runtime_error("nats-server node " + std::to_string(i) + " did not start: " + slurp(n.log));
}

void NatsCluster::start_all() {
    for (int i = 0; i < size(); ++i) start(i);
}

void NatsCluster::kill9(int i) {
    auto& n = nodes_[static_cast<std::size_t>(i)];
    if (!n.process) return;
    n.process->kill9();
    n.process->wait(std::chrono::seconds(5));
    n.process.reset();
}

namespace {
// Every thread of `pid` in state T (stopped), from /proc/PID/task/*/stat.
bool all_threads_stopped(int pid) {
    std::error_code ec;
    int threads = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        const std::string stat = slurp(task.path().string() + "/stat");
        const auto close = stat.rfind(')');  // the name in parentheses may hold spaces
        if (close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] != 'T') return false;
        ++threads;
    }
    return !ec && threads > 0;
}
}  // namespace

void NatsCluster::pause(int i) {
    auto& n = nodes_[static_cast<std::size_t>(i)];
    if (!n.process) return;
    ::kill(n.process->pid(), SIGSTOP);
    if (!eventually([&] { return all_threads_stopped(n.process->pid()); }, std::chrono::seconds(5)))
        throw std::runtime_error("nats-server node " + std::to_string(i) + " did not stop on SIGSTOP");
}

void NatsCluster::resume(int i) {
    auto& n = nodes_[static_cast<std::size_t>(i)];
    if (n.process) ::kill(n.process->pid(), SIGCONT);
}

bool NatsCluster::wait_ready(std::chrono::milliseconds timeout) const {
    return eventually([&] {
        for (const auto& n : nodes_) {
            if (!n.process) continue;
            // 200 once JetStream is up and, in a cluster, the meta leader is known.
            if (http_get(n.http_port, "/healthz", std::chrono::milliseconds(500)).status != 200) return false;
        }
        return true;
    }, timeout);
}

std::vector<std::string> NatsCluster::log_lines(int i, const std::string& needle) const {
    std::vector<std::string> out;
    std::istringstream in(slurp(nodes_[static_cast<std::size_t>(i)].log));
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos) out.push_back(line);
    return out;
}

std::string NatsCluster::url(int i) const {
    return "nats://127.0.0.1:" + std::to_string(nodes_[static_cast<std::size_t>(i)].client_port);
}

std::string NatsCluster::urls() const {
    std::string out;
    for (int i = 0; i < size(); ++i) out += (i ? "," : "") + url(i);
    return out;
}

}  // namespace vigil::itest
