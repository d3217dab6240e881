// Child processes and free ports for integration tests.
#include "child_process.h"

#include "hub_process.h"

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vigil::itest {

Child::Child(std::vector<std::string> argv, const std::string& in_path, const std::string& out_path) {
    pid_ = fork();
    if (pid_ == 0) {
        int in = ::open(in_path.empty() ? "/dev/null" : in_path.c_str(), O_RDONLY);
        int out = ::open(out_path.empty() ? "/dev/null" : out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
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

Child::~Child() {
    if (!status_ && pid_ > 0) {
        kill9();
        wait(std::chrono::seconds(5));
    }
}

void Child::terminate() {
    if (!status_ && pid_ > 0) ::kill(pid_, SIGTERM);
}

void Child::kill9() {
    if (!status_ && pid_ > 0) ::kill(pid_, SIGKILL);
}

std::optional<int> Child::wait(std::chrono::milliseconds timeout) {
    eventually([&] {
        int st = 0;
        if (!status_ && waitpid(pid_, &st, WNOHANG) == pid_) status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return status_.has_value();
    }, timeout);
    return status_;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

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

}  // namespace vigil::itest
