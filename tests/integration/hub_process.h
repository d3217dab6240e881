// A real vigil-hub process for integration tests: spawned with a temp journal and an ephemeral
// port (it prints "listening 127.0.0.1:PORT"), signalled (SIGTERM, SIGKILL), waited for with deadlines.
#pragma once

#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace vigil::itest {

using namespace std::chrono_literals;

// A fresh folder under $TMPDIR, removed with its contents on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// How the hub's process is started beyond its arguments: resource limits that make the kernel
// refuse what a loaded machine refuses (descriptors, file size ~ a full disk), and its stderr.
struct SpawnOptions {
    long max_open_files = 0;     // RLIMIT_NOFILE; 0: inherited
    long max_file_bytes = 0;     // RLIMIT_FSIZE (SIGXFSZ ignored, so writes fail with EFBIG); 0: inherited
    std::string stderr_path;     // "" : inherited (the test's output)
};

class HubProcess {
public:
    // Starts the hub with `--listen 127.0.0.1:0 --root <site> --journal <journal>` plus `extra`,
    // and waits (up to 10 s) for its listening line. Throws when it does not come.
    HubProcess(const std::string& site, const std::string& journal, std::vector<std::string> extra,
               const SpawnOptions& spawn = {});
    ~HubProcess();  // SIGKILLs a hub still running
    HubProcess(const HubProcess&) = delete;
    HubProcess& operator=(const HubProcess&) = delete;

    int port() const { return port_; }
    int pid() const { return pid_; }

    void terminate();  // SIGTERM
    void kill9();      // SIGKILL

    // The exit status (exit code, or 128 + signal) once the process has ended, or nothing at the deadline.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);

private:
    int pid_ = -1;
    int stdout_fd_ = -1;
    int port_ = 0;
    std::optional<int> status_;
};

// A deliberate fixed wait that IS the scenario ("the descriptor table stays full 1.5 s"), never
// a synchronisation.
inline void hold_for(std::chrono::milliseconds ms) {
    struct timespec ts{ms.count() / 1000, (ms.count() % 1000) * 1000 * 1000};
    nanosleep(&ts, nullptr);
}

// Polls `condition` every 20 ms until it holds or `timeout` passes; returns the last result.
template <class F>
bool eventually(F condition, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        struct timespec ts{0, 20 * 1000 * 1000};
        nanosleep(&ts, nullptr);  // polling interval, not synchronisation
    }
}

}  // namespace vigil::itest
