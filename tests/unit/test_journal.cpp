// Journal: append, reopen, rotate, retain, epoch and the seq reservation.
#include <doctest/doctest.h>

#include "hub/journal_crc32.h"
#include "hub/journal_format.h"
#include "hub/journal_state.h"
#include "test_journal_support.h"

using namespace vigil::hub;
using namespace journal_test;

TEST_CASE("crc32 matches the IEEE check value and continues across chunks") {
    CHECK(crc32("123456789", 9) == 0xCBF43926u);
    CHECK(crc32("", 0) == 0u);
    CHECK(crc32_update(crc32("1234", 4), "56789", 5) == 0xCBF43926u);
}

TEST_CASE("segment names sort numerically and parse back") {
    CHECK(journal_format::segment_name(1234) == "journal-00000000000000001234.log");
    CHECK(journal_format::parse_segment_name("journal-00000000000000001234.log") == std::uint64_t{1234});
    CHECK_FALSE(journal_format::parse_segment_name("journal-1234.log").has_value());
    CHECK_FALSE(journal_format::parse_segment_name("journal-0000000000000000123x.log").has_value());
}

TEST_CASE("the state file round-trips and refuses another version") {
    auto s = decode_journal_state(encode_journal_state({"e-0123456789ab", 2048, "501897c3-df9d-4a3c-81e6-915622b3e5f3", 70}));
    REQUIRE(s.has_value());
    CHECK(s->epoch == "e-0123456789ab");
    CHECK(s->reserved == 2048);
    CHECK(s->boot_id == "501897c3-df9d-4a3c-81e6-915622b3e5f3");
    CHECK(s->floor == 70);
    CHECK_FALSE(decode_journal_state("vigil-journal 2\nepoch e-1\nreserved 0\n").has_value());
    CHECK_FALSE(decode_journal_state("").has_value());
}

TEST_CASE("a state file without a boot line (an older hub's) reads as an unknown boot, floor 0") {
    auto s = decode_journal_state("vigil-journal 1\nepoch e-0123456789ab\nreserved 1024\n");
    REQUIRE(s.has_value());
    CHECK(s->reserved == 1024);
    CHECK(s->boot_id.empty());
    CHECK(s->floor == 0);
    // A garbled boot or floor line costs only that field, never the epoch.
    s = decode_journal_state("vigil-journal 1\nepoch e-1\nreserved 5\nboot a b\nfloor x\n");
    REQUIRE(s.has_value());
    CHECK(s->boot_id.empty());
    CHECK(s->floor == 0);
    // An unknown boot is left out of the file rather than written empty.
    CHECK(encode_journal_state({"e-1", 5, "", 0}).find("boot") == std::string::npos);
}

TEST_CASE("the boot id is read from the machine and looks like one, or is empty") {
    const std::string id = current_boot_id();
    if (!id.empty()) CHECK(is_valid_boot_id(id));
    CHECK(is_valid_boot_id("501897c3-df9d-4a3c-81e6-915622b3e5f3"));
    CHECK_FALSE(is_valid_boot_id(""));
    CHECK_FALSE(is_valid_boot_id("has space"));
    CHECK_FALSE(is_valid_boot_id(std::string(65, 'a')));
}

TEST_CASE("a new epoch id is e- and 12 hex digits, and differs each time") {
    const std::string a = new_epoch_id(), b = new_epoch_id();
    CHECK(a.size() == 14);
    CHECK(a.rfind("e-", 0) == 0);
    CHECK(a.find_first_not_of("0123456789abcdef", 2) == std::string::npos);
    CHECK(a != b);
}

TEST_CASE("a fresh folder gets a new epoch and an empty journal") {
    Harness h;
    auto j = h.open();
    CHECK(j->recovery().new_epoch);
    CHECK(j->recovery().new_epoch_reason == "no journal");
    CHECK(j->epoch().rfind("e-", 0) == 0);
    CHECK(j->head_seq() == 0);
    CHECK(j->oldest_seq() == 0);
    CHECK(j->read_range(1, 10).empty());
    CHECK_FALSE(j->seq_at_or_after(0).has_value());
}

TEST_CASE("appended records read back in order, from any seq") {
    Harness h;
    auto j = h.open();
    append_range(*j, 1, 500);
    CHECK(j->head_seq() == 500);
    CHECK(j->oldest_seq() == 1);
    check_records(*j, 1, 500);
    check_records(*j, 137, 500);
    auto few = j->read_range(250, 3);
    REQUIRE(few.size() == 3);
    CHECK(few[0].seq == 250);
    CHECK(j->read_range(501, 10).empty());
}

TEST_CASE("append refuses a seq that is not after the head, and oversize payloads") {
    Harness h;
    auto o = h.options();
    o.max_record_bytes = 100;
    auto j = h.open(o);
    append_range(*j, 1, 3);
    std::string err;
    CHECK_FALSE(j->append(3, 0, "x", &err));
    CHECK_FALSE(err.empty());
    CHECK_FALSE(j->append(2, 0, "x"));
    CHECK_FALSE(j->append(4, 0, std::string(101, 'x')));
    CHECK(j->head_seq() == 3);
}

TEST_CASE("a clean close and reopen keeps epoch, records and head, and continues at head + 1 with no gap") {
    Harness h;
    std::string epoch;
    {
        auto j = h.open();
        epoch = j->epoch();
        append_range(*j, 1, 100);
    }
    auto j = h.open();
    CHECK_FALSE(j->recovery().new_epoch);
    CHECK(j->epoch() == epoch);
    CHECK(j->head_seq() == 100);
    CHECK(j->next_seq() == 101);
    CHECK_FALSE(j->recovery().skipped.has_value());
    CHECK(j->recovery().records == 100);
    append_range(*j, 101, 120);
    check_records(*j, 1, 120);
}

TEST_CASE("after a machine crash (another boot), seqs reserved before it are skipped, never reissued") {
    Harness h;
    auto o = h.options();
    o.reserve_block = 64;
    o.boot_id = "boot-a";
    std::string epoch;
    {
        auto j = h.open(o);
        epoch = j->epoch();
        append_range(*j, 1, 70);  // reserved 1..64, then 65..128
        // Simulate a crash: copy the folder as it is before close() shrinks the reservation.
        std::filesystem::copy(o.dir, h.tmp.sub("crashed"), std::filesystem::copy_options::recursive);
    }
    o.dir = h.tmp.sub("crashed");
    o.boot_id = "boot-b";
    auto j = h.open(o);
    CHECK(j->epoch() == epoch);
    CHECK_FALSE(j->recovery().same_boot);
    CHECK(j->head_seq() == 128);
    REQUIRE(j->recovery().skipped.has_value());
    CHECK(*j->recovery().skipped == vigil::protocol::Gap{71, 128});
    std::string err;
    CHECK_FALSE(j->append(100, 0, "x", &err));
    append_range(*j, 129, 131);
    auto recs = j->read_range(69, 10);
    REQUIRE(recs.size() == 5);
    CHECK(recs[1].seq == 70);
    CHECK(recs[2].seq == 129);
}

TEST_CASE("after a process crash in the same boot, nothing is skipped: the next seq is the recovered head + 1") {
    Harness h;
    auto o = h.options();
    o.reserve_block = 64;
    o.boot_id = "boot-a";
    auto j = h.open(o);
    const std::string epoch = j->epoch();
    append_range(*j, 1, 70);  // reserved up to 128
    // kill -9: no close(), the reservation stays in the epoch file; the records stay written.
    auto again = h.open(o);
    CHECK(again->epoch() == epoch);
    CHECK_FALSE(again->recovery().new_epoch);
    CHECK(again->recovery().same_boot);
    CHECK_FALSE(again->recovery().skipped.has_value());
    CHECK(again->recovery().records == 70);
    CHECK(again->head_seq() == 70);
    CHECK(again->next_seq() == 71);
    append_range(*again, 71, 200);  // past the old reservation: a new one is written
    check_records(*again, 1, 200);
    // And a second crash in the same boot, past a reservation written by the reopened journal.
    auto third = h.open(o);
    CHECK_FALSE(third->recovery().skipped.has_value());
    CHECK(third->head_seq() == 200);
    check_records(*third, 1, 200);
    j.reset();
    again.reset();
}

TEST_CASE("an unknown boot, now or in the epoch file, keeps the conservative skip") {
    for (auto [before, after] : {std::pair<std::string, std::string>{"", ""}, {"boot-a", ""}, {"", "boot-a"}}) {
        CAPTURE(before);
        CAPTURE(after);
        Harness h;
        auto o = h.options();
        o.reserve_block = 64;
        o.boot_id = before;
        auto j = h.open(o);
        append_range(*j, 1, 70);
        o.boot_id = after;
        auto again = h.open(o);  // no close(): a crash
        CHECK_FALSE(again->recovery().same_boot);
        REQUIRE(again->recovery().skipped.has_value());
        CHECK(*again->recovery().skipped == vigil::protocol::Gap{71, 128});
        CHECK(again->head_seq() == 128);
    }
}

TEST_CASE("an epoch file of an older hub (no boot line) after a crash skips the reservation") {
    Harness h;
    auto o = h.options();
    o.reserve_block = 64;
    o.boot_id = "boot-a";
    std::string epoch;
    {
        auto j = h.open(o);
        epoch = j->epoch();
        append_range(*j, 1, 70);
    }  // close() shrank the reservation: put back the file an older hub left at its crash
    write_file(o.dir + "/epoch", "vigil-journal 1\nepoch " + epoch + "\nreserved 128\n");
    auto j = h.open(o);
    CHECK(j->epoch() == epoch);
    CHECK_FALSE(j->recovery().same_boot);
    REQUIRE(j->recovery().skipped.has_value());
    CHECK(*j->recovery().skipped == vigil::protocol::Gap{71, 128});
}

TEST_CASE("seqs skipped after a machine crash stay skipped through a later process crash in the new boot") {
    Harness h;
    auto o = h.options();
    o.reserve_block = 64;
    o.boot_id = "boot-a";
    auto j = h.open(o);
    append_range(*j, 1, 70);  // reserved up to 128
    o.boot_id = "boot-b";     // the machine crashed
    auto second = h.open(o);
    REQUIRE(second->head_seq() == 128);  // 71..128 are declared lost to pages
    // The first append writes a new reservation (with boot-b) before its record; the process
    // dies right after that, before the record is written.
    REQUIRE(second->append(129, 129000, payload_for(129)));
    const auto seg = segment_files(o.dir).back();
    const auto bytes = read_file(seg);
    write_file(seg, bytes.substr(0, bytes.size() - (journal_format::kRecordHeaderBytes + payload_for(129).size())));
    auto third = h.open(o);  // same boot now: the records are trusted, but never below 128
    CHECK(third->recovery().same_boot);
    CHECK(third->head_seq() == 128);
    REQUIRE(third->recovery().skipped.has_value());
    CHECK(*third->recovery().skipped == vigil::protocol::Gap{71, 128});
    j.reset();
    second.reset();
}

TEST_CASE("the epoch survives reopening; wiping the folder makes a new one") {
    Harness h;
    std::string first;
    {
        auto j = h.open();
        first = j->epoch();
        append_range(*j, 1, 5);
    }
    CHECK(h.open()->epoch() == first);
    std::filesystem::remove_all(h.tmp.sub("j"));
    auto j = h.open();
    CHECK(j->recovery().new_epoch);
    CHECK(j->epoch() != first);
    CHECK(j->head_seq() == 0);
}

TEST_CASE("a segment of another format version is moved to quarantine, not deleted; the epoch stays") {
    Harness h;
    std::string first;
    {
        auto j = h.open();
        first = j->epoch();
        append_range(*j, 1, 5);
    }
    auto segs = segment_files(h.tmp.sub("j"));
    REQUIRE(segs.size() == 1);
    std::string bytes = read_file(segs[0]);
    bytes[journal_format::kVersionOffset] = 2;
    write_file(segs[0], bytes);
    auto j = h.open();
    CHECK_FALSE(j->recovery().new_epoch);
    CHECK(j->epoch() == first);
    CHECK(j->head_seq() == 5);  // its seqs were issued: never reissued
    REQUIRE(j->recovery().quarantined.size() == 1);
    CHECK(j->recovery().quarantined[0].find("format version (2)") != std::string::npos);
    CHECK(segment_files(h.tmp.sub("j")).empty());
    REQUIRE(segment_files(h.tmp.sub("j/quarantine")).size() == 1);
    CHECK(read_file(segment_files(h.tmp.sub("j/quarantine"))[0]) == bytes);  // byte for byte
}

TEST_CASE("segments rotate at segment_bytes, named by their first seq") {
    Harness h;
    auto o = h.options();
    o.segment_bytes = 4096;
    o.max_bytes = 0;
    auto j = h.open(o);
    append_range(*j, 1, 300);
    const auto segs = segment_files(o.dir);
    CHECK(segs.size() > 5);
    CHECK(segs.size() == j->segment_count());
    CHECK(segs[0].find("journal-00000000000000000001.log") != std::string::npos);
    for (const auto& s : segs) CHECK(std::filesystem::file_size(s) <= 4096);
    check_records(*j, 1, 300);
    j.reset();
    auto again = h.open(o);
    CHECK(again->recovery().segments == segs.size());
    check_records(*again, 1, 300);
}

TEST_CASE("retention by bytes drops the oldest whole segments and keeps the newest") {
    Harness h;
    auto o = h.options();
    o.segment_bytes = 4096;
    o.max_bytes = 16384;
    auto j = h.open(o);
    append_range(*j, 1, 1000);
    CHECK(j->byte_size() <= 16384 + 4096);
    CHECK(j->oldest_seq() > 1);
    CHECK(j->head_seq() == 1000);
    check_records(*j, j->oldest_seq(), 1000);
    CHECK(j->read_range(1, 1).at(0).seq == j->oldest_seq());
}

TEST_CASE("retention by count keeps at least max_records") {
    Harness h;
    auto o = h.options();
    o.segment_bytes = 4096;
    o.max_bytes = 0;
    o.max_records = 200;
    auto j = h.open(o);
    append_range(*j, 1, 1000);
    CHECK(j->record_count() >= 200);
    CHECK(j->record_count() < 300);
    CHECK(j->oldest_seq() == 1000 - j->record_count() + 1);
}

TEST_CASE("retention by age drops segments older than the newest record minus max_age") {
    Harness h;
    auto o = h.options();
    o.segment_bytes = 4096;
    o.max_bytes = 0;
    o.max_age_ms = 100'000;  // records are 1 s apart: keep about 100 of them
    auto j = h.open(o);
    append_range(*j, 1, 1000);
    // Whole segments go: at least the last 100 s stay, and less than one more segment.
    CHECK(j->oldest_t_ms() <= 1000 * 1000 - 100'000);
    CHECK(j->record_count() >= 100);
    CHECK(j->record_count() < 100 + 4096 / 60);
}

TEST_CASE("seq_at_or_after finds the first record at or after a time") {
    Harness h;
    auto o = h.options();
    o.segment_bytes = 4096;
    o.index_stride = 8;
    auto j = h.open(o);
    append_range(*j, 1, 300);  // t = 1000 * seq
    CHECK(j->seq_at_or_after(0) == std::uint64_t{1});
    CHECK(j->seq_at_or_after(150'000) == std::uint64_t{150});
    CHECK(j->seq_at_or_after(150'001) == std::uint64_t{151});
    CHECK_FALSE(j->seq_at_or_after(300'001).has_value());
}

TEST_CASE("fsync happens once the oldest unsynced record is sync_interval_ms old, or every N records") {
    Harness h;
    auto o = h.options();
    o.sync_interval_ms = 1000;
    auto j = h.open(o);
    append_range(*j, 1, 3);
    CHECK(j->pending_sync_records() == 3);
    h.now = 999;
    CHECK(j->sync_if_due());
    CHECK(j->pending_sync_records() == 3);
    h.now = 1000;
    CHECK(j->sync_if_due());
    CHECK(j->pending_sync_records() == 0);
    append_range(*j, 4, 4);  // the oldest unsynced is now 1000
    h.now = 2000;
    append_range(*j, 5, 5);  // 1 s after the oldest: this append syncs both
    CHECK(j->pending_sync_records() == 0);
    j.reset();

    auto o2 = h.options();
    o2.sync_interval_ms = 1'000'000;
    o2.sync_every_records = 3;
    auto k = h.open(o2);
    append_range(*k, 6, 7);
    CHECK(k->pending_sync_records() == 2);
    append_range(*k, 8, 8);
    CHECK(k->pending_sync_records() == 0);
}

TEST_CASE("the view carries what replay planning needs") {
    Harness h;
    auto j = h.open();
    append_range(*j, 1, 10);
    auto v = j->view();
    CHECK(v.epoch == j->epoch());
    CHECK(v.head == 10);
    CHECK(v.oldest == 1);
    CHECK(v.oldest_t_ms == 1000);
}

TEST_CASE("a 100 MB journal reopens and serves a range quickly through its index") {
    Harness h;
    auto o = h.options();
    o.sync_interval_ms = 1'000'000;  // no fsync per record: this is about scanning, not the disk
    o.max_bytes = 0;
    auto j = h.open(o);
    const std::string big(1000, 'x');
    std::string err;
    const std::uint64_t n = 100'000;  // ~100 MB
    for (std::uint64_t s = 1; s <= n; ++s) REQUIRE(j->append(s, static_cast<std::int64_t>(s), big, &err));
    j.reset();
    auto again = h.open(o);
    CHECK(again->recovery().records == n);
    auto recs = again->read_range(77'777, 100);
    REQUIRE(recs.size() == 100);
    CHECK(recs.front().seq == 77'777);
    CHECK(recs.back().seq == 77'876);
    CHECK(again->seq_at_or_after(99'999) == std::uint64_t{99'999});
}
