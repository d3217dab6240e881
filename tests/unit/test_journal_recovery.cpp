// Journal recovery: a crash can cut the last record anywhere, a disk can flip a byte;
// opening never fails on it, keeps every whole record before it, and appends continue.
#include <doctest/doctest.h>

#include "hub/journal_format.h"
#include "test_journal_support.h"

using namespace vigil::hub;
using namespace journal_test;

TEST_CASE("a last record torn at every byte offset is cut; all previous records stay and appends continue") {
    Harness h;
    auto o = h.options();
    o.boot_id = "boot-a";
    {
        auto j = h.open(o);
        append_range(*j, 1, 10);
    }
    const auto segs = segment_files(o.dir);
    REQUIRE(segs.size() == 1);
    const std::string full = read_file(segs[0]);
    const std::size_t last_len = journal_format::kRecordHeaderBytes + payload_for(10).size();
    const std::size_t last_start = full.size() - last_len;
    const std::string state = read_file(o.dir + "/epoch");
    for (std::size_t cut = last_start; cut < full.size(); ++cut) {
        CAPTURE(cut);
        write_file(segs[0], full.substr(0, cut));
        write_file(o.dir + "/epoch", state);
        h.logs.clear();
        o.boot_id = "boot-b";  // a machine crash: record 10 may have been sent, then lost
        auto j = h.open(o);
        o.boot_id = "boot-a";
        CHECK_FALSE(j->recovery().new_epoch);
        CHECK(j->recovery().records == 9);
        CHECK(j->recovery().torn_tail == (cut > last_start));
        CHECK(j->recovery().bytes_cut == cut - last_start);
        CHECK(std::filesystem::file_size(segs[0]) == last_start);
        check_records(*j, 1, 9);
        CHECK(j->head_seq() == 10);  // 10 was handed out (reserved): never reissued
        append_range(*j, 11, 12);
        auto recs = j->read_range(9, 10);
        REQUIRE(recs.size() == 3);
        CHECK(recs[0].seq == 9);
        CHECK(recs[1].seq == 11);
        CHECK(recs[1].payload == payload_for(11));
        CHECK(recs[2].seq == 12);
        j.reset();
        auto again = h.open(o);  // and what was appended after the cut is itself recoverable
        CHECK(again->recovery().records == 11);
        CHECK_FALSE(again->recovery().torn_tail);
    }
}

TEST_CASE("after a process crash in the same boot, a partial last record was never appended: its seq is the next one") {
    Harness h;
    auto o = h.options();
    o.boot_id = "boot-a";
    {
        auto j = h.open(o);
        append_range(*j, 1, 10);
        // kill -9 while record 10 was being written: copy before close() shrinks the reservation.
        std::filesystem::copy(o.dir, h.tmp.sub("crashed"), std::filesystem::copy_options::recursive);
    }
    o.dir = h.tmp.sub("crashed");
    const auto seg = segment_files(o.dir).at(0);
    const std::string full = read_file(seg);
    const std::string state = read_file(o.dir + "/epoch");
    const std::size_t last_start = full.size() - (journal_format::kRecordHeaderBytes + payload_for(10).size());
    for (std::size_t cut = last_start; cut < full.size(); ++cut) {
        CAPTURE(cut);
        write_file(seg, full.substr(0, cut));
        write_file(o.dir + "/epoch", state);
        auto j = h.open(o);
        CHECK(j->recovery().same_boot);
        CHECK(j->recovery().torn_tail == (cut > last_start));
        CHECK_FALSE(j->recovery().skipped.has_value());
        CHECK(j->head_seq() == 9);
        append_range(*j, 10, 12);
        check_records(*j, 1, 12);
    }
}

TEST_CASE("corruption found after a crash in the same boot is not trusted: the reservation is skipped") {
    Harness h;
    auto o = h.options();
    o.boot_id = "boot-a";
    o.reserve_block = 64;
    {
        auto j = h.open(o);
        append_range(*j, 1, 5);
        std::filesystem::copy(o.dir, h.tmp.sub("crashed"), std::filesystem::copy_options::recursive);
    }
    o.dir = h.tmp.sub("crashed");
    const auto seg = segment_files(o.dir).at(0);
    std::string bytes = read_file(seg);
    bytes[bytes.size() - 3] ^= 0x20;  // inside record 5's payload: it was whole, then it changed
    write_file(seg, bytes);
    auto j = h.open(o);
    CHECK(j->recovery().same_boot);
    CHECK(j->recovery().torn_tail);
    CHECK(j->recovery().records == 4);
    REQUIRE(j->recovery().skipped.has_value());
    CHECK(*j->recovery().skipped == vigil::protocol::Gap{5, 64});
    CHECK(j->head_seq() == 64);
}

TEST_CASE("a flipped byte anywhere in the last record fails its crc and the record is cut") {
    Harness h;
    auto o = h.options();
    {
        auto j = h.open(o);
        append_range(*j, 1, 5);
    }
    const auto seg = segment_files(o.dir).at(0);
    const std::string full = read_file(seg);
    const std::string state = read_file(o.dir + "/epoch");
    const std::size_t last_start = full.size() - (journal_format::kRecordHeaderBytes + payload_for(5).size());
    for (std::size_t at = last_start; at < full.size(); ++at) {
        CAPTURE(at);
        std::string bad = full;
        bad[at] = static_cast<char>(bad[at] ^ 0x20);
        write_file(seg, bad);
        write_file(o.dir + "/epoch", state);
        auto j = h.open(o);
        CHECK(j->recovery().torn_tail);
        CHECK(j->recovery().records == 4);
        check_records(*j, 1, 4);
    }
}

TEST_CASE("corruption inside an older segment keeps what precedes it, drops the rest of that segment, keeps later segments") {
    Harness h;
    const auto o = small_segments(h.options());
    const auto segs = closed_journal(h, o, 200);
    REQUIRE(segs.size() >= 3);
    std::string first = read_file(segs[0]);
    // Damage the payload of the third record of the first segment.
    const std::size_t rec_len = journal_format::kRecordHeaderBytes + payload_for(1).size();
    first[journal_format::kHeaderBytes + 2 * rec_len + 30] ^= 0x01;
    write_file(segs[0], first);
    auto j = h.open(o);
    CHECK(j->recovery().corrupt_segments == 1);
    CHECK_FALSE(j->recovery().torn_tail);
    CHECK_FALSE(j->recovery().new_epoch);
    REQUIRE_FALSE(h.logs.empty());
    bool logged = false;
    for (auto& l : h.logs) logged |= l.find("corruption inside") != std::string::npos;
    CHECK(logged);
    auto recs = j->read_range(1, 1000);
    REQUIRE(recs.size() > 2);
    CHECK(recs[0].seq == 1);
    CHECK(recs[1].seq == 2);
    CHECK(recs[2].seq > 3);  // the rest of segment 1 is gone: a hole replayed as a gap
    CHECK(recs.back().seq == 200);
    CHECK(std::filesystem::file_size(segs[0]) == journal_format::kHeaderBytes + 2 * rec_len);
}

TEST_CASE("a newest segment whose creation was interrupted is removed and writing continues") {
    Harness h;
    auto o = h.options();
    {
        auto j = h.open(o);
        append_range(*j, 1, 5);
    }
    for (std::size_t len : {0, 7, 31, 32}) {
        CAPTURE(len);
        const std::string torn = o.dir + "/" + journal_format::segment_name(6);
        write_file(torn, std::string(len, '\0'));
        auto j = h.open(o);
        CHECK_FALSE(j->recovery().new_epoch);
        check_records(*j, 1, 5);
        CHECK_FALSE(std::filesystem::exists(torn));
    }
}

TEST_CASE("an older segment with a garbage header is moved aside, not the whole journal") {
    Harness h;
    const auto o = small_segments(h.options());
    const auto segs = closed_journal(h, o, 200);
    std::string first = read_file(segs[0]);
    first[0] = 'X';
    write_file(segs[0], first);
    auto j = h.open(o);
    CHECK_FALSE(j->recovery().new_epoch);
    CHECK(j->recovery().corrupt_segments == 1);
    CHECK(j->oldest_seq() > 1);
    CHECK(j->head_seq() == 200);
    CHECK(j->recovery().quarantined.size() == 1);
}

TEST_CASE("garbage after the last record (a torn length field announcing a huge record) is cut") {
    Harness h;
    auto o = h.options();
    {
        auto j = h.open(o);
        append_range(*j, 1, 3);
    }
    const auto seg = segment_files(o.dir).at(0);
    write_file(seg, read_file(seg) + std::string("\xff\xff\xff\x7f", 4) + std::string(40, 'z'));
    auto j = h.open(o);
    CHECK(j->recovery().torn_tail);
    CHECK(j->recovery().bytes_cut == 44);
    check_records(*j, 1, 3);
}

TEST_CASE("leftover temporary files from an interrupted atomic write are removed") {
    Harness h;
    auto o = h.options();
    { auto j = h.open(o); }
    write_file(o.dir + "/epoch.tmp", "half");
    auto j = h.open(o);
    CHECK_FALSE(j->recovery().new_epoch);
    CHECK_FALSE(std::filesystem::exists(o.dir + "/epoch.tmp"));
}

TEST_CASE("an unusable folder is the only failure to open") {
    TempDir tmp;
    write_file(tmp.sub("file"), "x");
    JournalOptions o;
    o.dir = tmp.sub("file");
    o.log = [](const std::string&) {};
    std::string err;
    CHECK(Journal::open(o, &err) == nullptr);
    CHECK_FALSE(err.empty());
}
