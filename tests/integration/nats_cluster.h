// A real 3-node NATS cluster with JetStream for integration tests: nats-server (Debian's, from
// shell/setup.sh) on free loopback ports, one store folder per node, each node started, killed
// and restarted (same ports, same store) by PID.
#pragma once

#include "child_process.h"
#include "hub_process.h"

#include <memory>
#include <string>
#include <vector>

namespace vigil::itest {

class NatsCluster {
public:
    explicit NatsCluster(int nodes = 3);
    ~NatsCluster();  // each Child SIGKILLs its node; VIGIL_NATS_DEBUG=DIR keeps the logs in DIR

    // Starts node i (again: same ports and store) and waits for its monitoring port to answer.
    void start(int i);
    void start_all();
    void kill9(int i);
    // SIGSTOP / SIGCONT of node i: a server that takes a publish and answers it late. pause()
    // returns once every thread of the node is stopped (the signal takes effect asynchronously:
    // a publish sent right after kill() could still be answered).
    void pause(int i);
    void resume(int i);
    bool running(int i) const { return nodes_[i].process != nullptr; }
    // Until every running node's /healthz says JetStream is ready (meta leader known), or false.
    bool wait_ready(std::chrono::milliseconds timeout) const;

    // "nats://127.0.0.1:P1,nats://127.0.0.1:P2,..." for --nats.
    std::string urls() const;
    std::string url(int i) const;
    int size() const { return static_cast<int>(nodes_.size()); }
    const std::string& log_path(int i) const { return nodes_[i].log; }
    // Node i's JetStream store (-sd): a test copies it while the node is down, to put an older
    // disk back later (what a power cut leaves of writes not yet synced).
    const std::string& store_path(int i) const { return nodes_[i].store; }
    // The lines of node i's log (so far) that contain `needle`.
    std::vector<std::string> log_lines(int i, const std::string& needle) const;

private:
    struct Node {
        int client_port = 0, cluster_port = 0, http_port = 0;
        std::string store, log;
        std::unique_ptr<Child> process;
    };
    TempDir dir_;
    std::vector<Node> nodes_;
};

}  // namespace vigil::itest
