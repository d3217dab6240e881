// The journal's only door to the operating system: POSIX files and folders.
// Errors come back as false plus a message (errno text); nothing here throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hub::journal_files {

// An open file descriptor, closed on destruction. Reads and writes are positional.
class File {
public:
    File() = default;
    explicit File(int fd) : fd_(fd) {}
    File(File&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    File& operator=(File&& o) noexcept;
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    ~File() { close(); }

    static File open_read(const std::string& path, std::string* error);
    // Creates the file when missing; never truncates.
    static File open_write(const std::string& path, std::string* error);

    bool is_open() const { return fd_ >= 0; }
    void close();

    // Reads up to `size` bytes at `offset`; returns the count read (short at end of file), -1 on error.
    long long read_at(std::uint64_t offset, char* out, std::size_t size) const;
    // Writes all of `bytes` at `offset` (retrying short writes).
    bool write_at(std::uint64_t offset, std::string_view bytes, std::string* error);
    bool sync(std::string* error);
    bool truncate(std::uint64_t size, std::string* error);
    bool size(std::uint64_t* out, std::string* error) const;

private:
    int fd_ = -1;
};

bool make_dirs(const std::string& path, std::string* error);
// Names (not paths) of the regular entries of `dir`.
bool list_dir(const std::string& dir, std::vector<std::string>* names, std::string* error);
bool read_small_file(const std::string& path, std::string* out);
bool remove_file(const std::string& path, std::string* error);
bool rename_file(const std::string& from, const std::string& to, std::string* error);
// Makes created, renamed and removed names in `dir` durable.
bool sync_dir(const std::string& dir, std::string* error);
// tmp file + fsync + rename + fsync(dir): readers see the old content or the new, never a mix.
bool write_file_atomically(const std::string& dir, const std::string& name, std::string_view content,
                           std::string* error);

std::string join(const std::string& dir, const std::string& name);

// Fault injection for tests: replaces ::pwrite for File::write_at (nullptr restores it), so a
// unit test can make a write return 0 or fail, which no real file system does on demand.
using PwriteFn = long (*)(int fd, const void* data, std::size_t size, long long offset);
void set_pwrite_for_testing(PwriteFn fn);

}  // namespace vigil::hub::journal_files
