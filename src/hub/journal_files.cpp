// POSIX implementation of the journal's file operations.
#include "hub/journal_files.h"

#include <cerrno>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::hub::journal_files {

namespace {

bool fail(std::string* error, const std::string& what) {
    if (error) *error = what + ": " + std::strerror(errno);
    return false;
}

long real_pwrite(int fd, const void* data, std::size_t size, long long offset) {
    return static_cast<long>(::pwrite(fd, data, size, static_cast<off_t>(offset)));
}

PwriteFn pwrite_fn = real_pwrite;

}  // namespace

File& File::operator=(File&& o) noexcept {
    if (this != &o) {
        close();
        fd_ = o.fd_;
        o.fd_ = -1;
    }
    return *this;
}

void File::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

File File::open_read(const std::string& path, std::string* error) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(error, "open " + path);
    return File(fd);
}

File File::open_write(const std::string& path, std::string* error) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fail(error, "open " + path);
    return File(fd);
}

long long File::read_at(std::uint64_t offset, char* out, std::size_t size) const {
    std::size_t done = 0;
    while (done < size) {
        ssize_t n = ::pread(fd_, out + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    return static_cast<long long>(done);
}

bool File::write_at(std::uint64_t offset, std::string_view bytes, std::string* error) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const long n = pwrite_fn(fd_, bytes.data() + done, bytes.size() - done, static_cast<long long>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(error, "write");
        }
        if (n == 0) {
            // No progress and no error: retrying would spin forever. Report it as a full disk.
            errno = ENOSPC;
            return fail(error, "write made no progress");
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool File::sync(std::string* error) {
    if (::fsync(fd_) != 0) return fail(error, "fsync");
    return true;
}

bool File::truncate(std::uint64_t size, std::string* error) {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return fail(error, "ftruncate");
    return true;
}

bool File::size(std::uint64_t* out, std::string* error) const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return fail(error, "fstat");
    *out = static_cast<std::uint64_t>(st.st_size);
    return true;
}

bool make_dirs(const std::string& path, std::string* error) {
    if (path.empty()) {
        if (error) *error = "empty journal folder name";
        return false;
    }
    for (std::size_t i = 1; i <= path.size(); ++i) {
        if (i != path.size() && path[i] != '/') continue;
        const std::string prefix = path.substr(0, i);
        if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return fail(error, "mkdir " + prefix);
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return fail(error, "stat " + path);
    if (!S_ISDIR(st.st_mode)) {
        if (error) *error = path + " is not a folder";
        return false;
    }
    return true;
}

bool list_dir(const std::string& dir, std::vector<std::string>* names, std::string* error) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return fail(error, "opendir " + dir);
    names->clear();
    while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        names->push_back(std::move(name));
    }
    ::closedir(d);
    return true;
}

bool read_small_file(const std::string& path, std::string* out) {
    File f = File::open_read(path, nullptr);
    if (!f.is_open()) return false;
    out->clear();
    char buf[4096];
    for (std::uint64_t off = 0;; ) {
        long long n = f.read_at(off, buf, sizeof buf);
        if (n < 0) return false;
        if (n == 0) break;
        out->append(buf, static_cast<std::size_t>(n));
        off += static_cast<std::uint64_t>(n);
        if (out->size() > (1u << 20)) return false;  // not a small file: not ours
    }
    return true;
}

bool remove_file(const std::string& path, std::string* error) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return fail(error, "unlink " + path);
    return true;
}

bool rename_file(const std::string& from, const std::string& to, std::string* error) {
    if (::rename(from.c_str(), to.c_str()) != 0) return fail(error, "rename " + from + " to " + to);
    return true;
}

void set_pwrite_for_testing(PwriteFn fn) { pwrite_fn = fn ? fn : real_pwrite; }

bool sync_dir(const std::string& dir, std::string* error) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return fail(error, "open " + dir);
    const bool ok = ::fsync(fd) == 0;
    if (!ok) fail(error, "fsync " + dir);
    ::close(fd);
    return ok;
}

bool write_file_atomically(const std::string& dir, const std::string& name, std::string_view content,
                           std::string* error) {
    const std::string tmp = join(dir, name + ".tmp");
    {
        int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) return fail(error, "open " + tmp);
        File f(fd);
        if (!f.write_at(0, content, error) || !f.sync(error)) return false;
    }
    if (::rename(tmp.c_str(), join(dir, name).c_str()) != 0) return fail(error, "rename " + tmp);
    return sync_dir(dir, error);
}

std::string join(const std::string& dir, const std::string& name) {
    if (!dir.empty() && dir.back() == '/') return dir + name;
    return dir + "/" + name;
}

}  // namespace vigil::hub::journal_files
