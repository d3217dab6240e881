// Spawning and signalling a vigil-hub for integration tests.
#include "hub_process.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#ifndef VIGIL_HUB_BINARY
#error "VIGIL_HUB_BINARY must name the vigil-hub executable"
#endif

namespace vigil::itest {

TempDir::TempDir() {
    auto base = std::filesystem::temp_directory_path() / "vigil-itest-XXXXXX";
    std::string tmpl = base.string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

HubProcess::HubProcess(const std::string& site, const std::string& journal, std::vector<std::string> extra,
                       const SpawnOptions& spawn) {
    std::vector<std::string> args = {VIGIL_HUB_BINARY, "--listen", "127.0.0.1:0", "--root", site, "--journal", journal};
    args.insert(args.end(), extra.begin(), extra.end());
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        if (!spawn.stderr_path.empty()) {
            int err = ::open(spawn.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (err >= 0) dup2(err, STDERR_FILENO);
        }
        if (spawn.max_open_files > 0) {
            rlimit l{rlim_t(spawn.max_open_files), rlim_t(spawn.max_open_files)};
            setrlimit(RLIMIT_NOFILE, &l);
        }
        if (spawn.max_file_bytes > 0) {
            signal(SIGXFSZ, SIG_IGN);  // kept across exec: writes past the limit fail with EFBIG
            rlimit l{rlim_t(spawn.max_file_bytes), rlim_t(spawn.max_file_bytes)};
            setrlimit(RLIMIT_FSIZE, &l);
        }
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(fds[1]);
    stdout_fd_ = fds[0];

    // Read "listening 127.0.0.1:PORT\n" with a deadline.
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (line.find('\n') == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{stdout_fd_, POLLIN, 0};
        if (poll(&p, 1, int(left.count())) <= 0) continue;
        char buf[256];
        auto n = read(stdout_fd_, buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, std::size_t(n));
    }
    auto colon = line.rfind(':');
    if (line.rfind("listening ", 0) != 0 || colon == std::string::npos) {
        kill9();
        throw std::runtime_error("hub did not report its port; stdout: " + line);
    }
    port_ = std::atoi(line.c_str() + colon + 1);
}

HubProcess::~HubProcess() {
    if (!status_) {
        kill9();
        wait_exit(5s);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
}

void HubProcess::terminate() {
    if (!status_) ::kill(pid_, SIGTERM);
}

void HubProcess::kill9() {
    if (!status_) ::kill(pid_, SIGKILL);
}

std::optional<int> HubProcess::wait_exit(std::chrono::milliseconds timeout) {
    if (status_) return status_;
    eventually(
        [&] {
            int st = 0;
            pid_t r = waitpid(pid_, &st, WNOHANG);
            if (r == pid_) status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return status_.has_value();
        },
        timeout);
    return status_;
}

}  // namespace vigil::itest
