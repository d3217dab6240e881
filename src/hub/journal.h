// The hub's crash-safe journal of samples frames: append-only segment files in one folder,
// records framed with length + CRC32 + seq + t, recovered on open (a torn tail is cut, never
// fatal), rotated and retained by size, count and age, read back by seq for replay.
//
// Implemented features:
//  [X] append(seq, t_ms, payload): written with pwrite at once (a process crash loses nothing
//      appended); fsync every sync_interval_ms (default 1 s) or every sync_every_records
//  [X] recovery: torn/corrupt tail cut; corruption inside an older segment drops the rest of it
//  [X] epoch file (atomic tmp + fsync + rename); missing or unreadable -> rebuilt from the
//      segment headers (each names its epoch); an empty folder -> new epoch
//  [X] nothing readable is ever deleted: foreign, unreadable or newer-format segments, an
//      unreadable epoch file and bytes cut after a damaged record go to <dir>/quarantine/
//  [X] seq reservation: after a crash, seqs that might have reached a page are never reissued
//  [X] boot id in the epoch file: after a crash in the same boot (the process's, not the
//      machine's) the recovered records are authoritative: no skip, no gap
//  [X] rotation into journal-<first seq>.log; retention by bytes, records and age (whole segments)
//  [X] read_range() / seq_at_or_after() through a sparse in-memory index
//  [ ] compression, checksummed index files (the index is rebuilt by scanning on open)
//
// Thread-safety: none. One thread (or one strand) owns a Journal and makes every call.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/frame_journal.h"
#include "hub/journal_files.h"
#include "hub/latency_histogram.h"
#include "protocol/messages.h"
#include "protocol/replay_plan.h"

namespace vigil::hub {

struct JournalOptions {
    std::string dir;                              // created when missing
    std::uint64_t segment_bytes = 16u << 20;      // rotate when the next record would pass this
    std::uint64_t max_bytes = 256u << 20;         // all segments; 0: no limit
    std::uint64_t max_records = 0;                // keep at least this many, drop older; 0: no limit
    std::int64_t max_age_ms = 0;                  // drop segments older than newest t - this; 0: no limit
    std::int64_t sync_interval_ms = 1000;         // fsync at most this long after an append
    std::uint64_t sync_every_records = 0;         // also fsync every N records; 0: by time only
    Seq reserve_block = 1024;                     // seqs reserved per write of the epoch file
    // This machine's boot. nullopt: read it (Linux /proc/sys/kernel/random/boot_id); "" (or
    // anything that is not a boot id): unknown, so every crash is treated as a machine crash.
    // A reopen that finds the epoch file written in this same boot trusts the recovered records
    // (the page cache outlives the process) instead of skipping the reservation.
    std::optional<std::string> boot_id;
    std::uint32_t max_record_bytes = 16u << 20;   // larger payloads are refused (and, on disk, corrupt)
    std::uint32_t index_stride = 64;              // one index entry per this many records
    std::function<std::int64_t()> clock;          // monotonic ms for the sync interval; default steady_clock
    std::function<void(const std::string&)> log;  // recovery and retention notes; default stderr
};

// What open() found and did.
struct JournalRecovery {
    bool new_epoch = false;
    std::string new_epoch_reason;       // "no journal", "incompatible segment ...", ...
    std::size_t segments = 0;           // kept
    std::uint64_t records = 0;          // kept
    bool torn_tail = false;             // the newest segment ended in a partial or corrupt record
    std::uint64_t bytes_cut = 0;        // truncated away, all segments
    std::size_t corrupt_segments = 0;   // older segments cut short or moved aside
    // The epoch file was missing or unreadable: epoch and head were rebuilt from the segments
    // (one reservation block past the records is skipped: it may have been handed out).
    bool state_rebuilt = false;
    // Files (or cut tails) moved into <dir>/quarantine, each "name: why". Never deleted.
    std::vector<std::string> quarantined;
    // The epoch file was written during this boot: a crash since then was the process's, and
    // every record it wrote is still there unless recovery found corruption.
    bool same_boot = false;
    // Seqs above the newest retained record that are never issued: after a machine crash (or an
    // unknown boot) those reserved before it; after a process crash only those an earlier
    // recovery had already declared lost. Pages resuming across them get a `gap`.
    std::optional<protocol::Gap> skipped;
};

class Journal final : public FrameJournal {
public:
    // Opens (and recovers) the journal in options.dir. Returns nullptr only when the folder
    // cannot be used at all (cannot be created, read or written); *error says why.
    static std::unique_ptr<Journal> open(JournalOptions options, std::string* error);

    ~Journal() override;  // close()
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    const std::string& epoch() const override { return epoch_; }
    // Newest seq issued in this epoch: the last appended, or after a machine crash the last one
    // that may have been sent (reserved). 0: none yet. The next append must use a larger seq.
    Seq head_seq() const override { return head_; }
    Seq next_seq() const override { return head_ + 1; }
    // Oldest retained record (0: none retained) and its time.
    Seq oldest_seq() const override;
    std::int64_t oldest_t_ms() const override;
    std::uint64_t record_count() const override;
    std::uint64_t byte_size() const override;
    std::size_t segment_count() const { return segments_.size(); }
    const JournalRecovery& recovery() const { return recovery_; }

    // Appends one record; `seq` must be > head_seq() (normally head_seq() + 1: a larger jump
    // leaves a hole that replays as a gap). Returns false, with *error, when nothing was
    // stored; the hub must then not broadcast the frame.
    bool append(Seq seq, std::int64_t t_ms, std::string_view payload, std::string* error = nullptr) override;

    // fsync now (no-op when nothing is pending). A failure also stops trusting this boot's
    // page cache: the next open skips the reservation as after a machine crash.
    bool sync(std::string* error = nullptr);
    // fsync when the interval has passed since the oldest unsynced append: call it from a timer
    // so the bound holds even when appends stop.
    bool sync_if_due(std::string* error = nullptr) override;
    // Records written but not yet fsynced (lost only if the machine, not the process, dies).
    std::uint64_t pending_sync_records() const { return unsynced_; }
    // Records appended since open, and how long each fsync took (for /metrics).
    std::uint64_t appends() const override { return appends_; }
    const LatencyHistogram& fsync_latency() const override { return fsync_seconds_; }
    const std::vector<std::string>& quarantined() const override { return recovery_.quarantined; }

    // Up to max_count retained records with seq >= from, ascending. Consecutive unless records
    // were lost (crash, corruption, retention): callers turn holes into `gap`s.
    std::vector<JournalRecord> read_range(Seq from, std::size_t max_count) const override;

    // The first retained record with t >= t_ms (assumes t rises with seq, as the hub writes it).
    std::optional<Seq> seq_at_or_after(std::int64_t t_ms) const override;

    // Syncs and records a clean shutdown (the reservation shrinks to the head, so the next
    // open continues at head + 1 with no gap). Further calls are refused. Idempotent.
    void close() override;

private:
    struct IndexEntry {
        Seq seq;
        std::int64_t t_ms;
        std::uint64_t offset;
    };
    struct Segment {
        std::string path;
        Seq name_seq = 0;
        Seq first_seq = 0, last_seq = 0;  // 0 when no records
        std::int64_t first_t = 0, last_t = 0;
        std::uint64_t size = 0;  // bytes, header included
        std::uint64_t records = 0;
        std::vector<IndexEntry> index;
    };

    explicit Journal(JournalOptions options);
    bool recover(std::string* error);
    bool quarantine(const std::string& path, const std::string& why, std::string* error);
    bool quarantine_tail(const Segment& seg, std::uint64_t file_size, const std::string& why);
    bool start_new_epoch(const std::string& reason, std::string* error);
    bool scan_segment(Segment& seg, bool newest, Seq after_seq);
    void distrust_page_cache(const std::string& why);
    bool write_state(Seq reserved, std::string* error);
    bool open_segment(Seq first_seq, std::string* error);
    void note_record(Segment& seg, Seq seq, std::int64_t t_ms, std::uint64_t offset, std::uint64_t bytes);
    void apply_retention();
    void drop_oldest_segment(const char* why);
    std::int64_t now_ms() const;
    void log(const std::string& line) const;

    JournalOptions opt_;
    std::string epoch_;
    Seq head_ = 0;
    Seq reserved_ = 0;
    Seq floor_ = 0;          // head_ when this process opened the journal (see JournalState::floor)
    std::string boot_id_;    // this boot, empty: unknown (written to the epoch file)
    bool records_lost_ = false;  // recovery cut or removed whole records (not just a partial last one)
    bool state_rebuilt_ = false;
    std::vector<Segment> segments_;  // ascending by seq; the last one is written to
    journal_files::File active_;     // the last segment, open for writing
    std::uint64_t unsynced_ = 0;
    std::int64_t first_unsynced_ms_ = 0;
    bool closed_ = false;
    std::uint64_t appends_ = 0;
    LatencyHistogram fsync_seconds_;
    JournalRecovery recovery_;
};

}  // namespace vigil::hub
