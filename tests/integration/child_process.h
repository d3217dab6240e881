// Child processes of integration tests (promtool, Prometheus, node_exporter): started with stdin
// from a file and stdout+stderr into a file, signalled and killed by PID; and free loopback ports.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace vigil::itest {

class Child {
public:
    // `in_path` "" reads /dev/null; `out_path` "" writes to /dev/null.
    Child(std::vector<std::string> argv, const std::string& in_path, const std::string& out_path);
    ~Child();  // SIGKILL and reaped when still running
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    int pid() const { return pid_; }
    void terminate();  // SIGTERM
    void kill9();      // SIGKILL
    // Exit code (or 128 + signal) once it ended, or nothing at the deadline.
    std::optional<int> wait(std::chrono::milliseconds timeout);

private:
    int pid_ = -1;
    std::optional<int> status_;
};

std::string slurp(const std::string& path);

// A loopback port free right now (bound, read, closed: a child then binds it).
int free_port();

}  // namespace vigil::itest
