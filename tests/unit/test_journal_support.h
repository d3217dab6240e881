// Shared by the journal tests: a fresh temp folder per test, a fake clock, file surgery.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "hub/journal.h"

namespace journal_test {

struct TempDir {
    std::string path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-journal-XXXXXX").string();
        path = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string sub(const std::string& name) const { return path + "/" + name; }
};

inline std::string payload_for(std::uint64_t seq) {
    return R"({"type":"samples","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(1000 * seq) +
           R"(,"hosts":{"local":{"cpu":)" + std::to_string(seq % 100) + "}}}";
}

struct Harness {
    TempDir tmp;
    std::int64_t now = 0;
    std::vector<std::string> logs;

    vigil::hub::JournalOptions options() {
        vigil::hub::JournalOptions o;
        o.dir = tmp.sub("j");
        o.clock = [this] { return now; };
        o.log = [this](const std::string& line) { logs.push_back(line); };
        return o;
    }
    std::unique_ptr<vigil::hub::Journal> open(vigil::hub::JournalOptions o) {
        std::string err;
        auto j = vigil::hub::Journal::open(std::move(o), &err);
        REQUIRE_MESSAGE(j != nullptr, err);
        return j;
    }
    std::unique_ptr<vigil::hub::Journal> open() { return open(options()); }
};

inline void append_range(vigil::hub::Journal& j, std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t s = from; s <= to; ++s) {
        std::string err;
        REQUIRE_MESSAGE(j.append(s, static_cast<std::int64_t>(1000 * s), payload_for(s), &err), err);
    }
}

// Options with 4 KiB segments and no byte bound: a few hundred records make several segments.
inline vigil::hub::JournalOptions small_segments(vigil::hub::JournalOptions o) {
    o.segment_bytes = 4096;
    o.max_bytes = 0;
    return o;
}

std::vector<std::string> segment_files(const std::string& dir);

// Records 1..to appended and the journal closed; its segment files, oldest first.
inline std::vector<std::string> closed_journal(Harness& h, const vigil::hub::JournalOptions& o, std::uint64_t to) {
    {
        auto j = h.open(o);
        append_range(*j, 1, to);
    }
    return segment_files(o.dir);
}

inline std::vector<std::string> segment_files(const std::string& dir) {
    std::vector<std::string> out;
    for (auto& e : std::filesystem::directory_iterator(dir)) {
        const auto name = e.path().filename().string();
        if (name.rfind("journal-", 0) == 0) out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

// Checks records from..to are all there, consecutive, with their payloads.
inline void check_records(const vigil::hub::Journal& j, std::uint64_t from, std::uint64_t to) {
    auto recs = j.read_range(from, static_cast<std::size_t>(to - from + 10));
    REQUIRE(recs.size() == to - from + 1);
    for (std::size_t i = 0; i < recs.size(); ++i) {
        CHECK(recs[i].seq == from + i);
        CHECK(recs[i].payload == payload_for(from + i));
        CHECK(recs[i].t_ms == static_cast<std::int64_t>(1000 * (from + i)));
    }
}

}  // namespace journal_test
