// Journal: recovery, append with rotation and retention, indexed reads.
#include "hub/journal.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "hub/journal_format.h"
#include "hub/journal_state.h"

namespace vigil::hub {

namespace fmt = journal_format;
namespace files = journal_files;

namespace {

// Sequential reader of the records of one segment, through a buffer so a 100 MB recovery
// costs a few hundred reads, not two per record.
class RecordReader {
public:
    enum class Step { record, end, torn, corrupt };

    RecordReader(const files::File& file, std::uint64_t start, std::uint64_t end, std::uint32_t max_record)
        : file_(file), pos_(start), end_(end), max_record_(max_record) {}

    std::uint64_t offset() const { return pos_; }

    // On `record`, *out holds it and offset() moves past it; otherwise offset() stays at the
    // first byte that is not a whole valid record.
    Step next(JournalRecord* out) {
        if (pos_ >= end_) return Step::end;
        if (end_ - pos_ < fmt::kRecordHeaderBytes) return Step::torn;
        if (!ensure(pos_, fmt::kRecordHeaderBytes)) return Step::torn;
        const char* head = at(pos_);
        const fmt::RecordHeader h = fmt::decode_record_header(head);
        if (h.length > max_record_) return Step::corrupt;
        const std::uint64_t total = fmt::kRecordHeaderBytes + std::uint64_t{h.length};
        if (end_ - pos_ < total) return Step::torn;
        if (!ensure(pos_, static_cast<std::size_t>(total))) return Step::torn;
        head = at(pos_);
        std::string_view payload(head + fmt::kRecordHeaderBytes, h.length);
        if (!fmt::check_record_crc(head, payload)) return Step::corrupt;
        out->seq = h.seq;
        out->t_ms = h.t_ms;
        out->payload.assign(payload.data(), payload.size());
        pos_ += total;
        return Step::record;
    }

private:
    static constexpr std::size_t kChunk = 256 * 1024;

    const char* at(std::uint64_t pos) const { return buf_.data() + (pos - buf_off_); }

    bool ensure(std::uint64_t pos, std::size_t n) {
        if (pos >= buf_off_ && pos + n <= buf_off_ + buf_.size()) return true;
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(std::max(n, kChunk), end_ - pos));
        buf_.resize(want);
        const long long got = file_.read_at(pos, buf_.data(), want);
        if (got < 0) {
            buf_.clear();
            return false;
        }
        buf_.resize(static_cast<std::size_t>(got));
        buf_off_ = pos;
        return buf_.size() >= n;
    }

    const files::File& file_;
    std::uint64_t pos_;
    std::uint64_t end_;
    std::uint32_t max_record_;
    std::vector<char> buf_;
    std::uint64_t buf_off_ = 0;
};

// Wall-clock ms, to give quarantined files distinct names across restarts.
std::int64_t unix_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::unique_ptr<Journal> Journal::open(JournalOptions options, std::string* error) {
    std::unique_ptr<Journal> j(new Journal(std::move(options)));
    if (!j->recover(error)) return nullptr;
    return j;
}

Journal::Journal(JournalOptions options) : opt_(std::move(options)) {
    if (opt_.index_stride == 0) opt_.index_stride = 1;
    if (opt_.reserve_block == 0) opt_.reserve_block = 1;
    boot_id_ = opt_.boot_id ? *opt_.boot_id : current_boot_id();
    if (!is_valid_boot_id(boot_id_)) boot_id_.clear();
}

Journal::~Journal() { close(); }

std::int64_t Journal::now_ms() const {
    if (opt_.clock) return opt_.clock();
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void Journal::log(const std::string& line) const {
    if (opt_.log) {
        opt_.log(line);
    } else {
        std::fprintf(stderr, "journal %s: %s\n", opt_.dir.c_str(), line.c_str());
    }
}

bool Journal::write_state(Seq reserved, std::string* error) {
    std::string err;
    if (!files::write_file_atomically(opt_.dir, kJournalStateFile, encode_journal_state({epoch_, reserved, boot_id_, floor_}), &err)) {
        if (error) *error = "cannot write the epoch file: " + err;
        return false;
    }
    reserved_ = reserved;
    return true;
}

bool Journal::start_new_epoch(const std::string& reason, std::string* error) {
    std::vector<std::string> names;
    if (!files::list_dir(opt_.dir, &names, error)) return false;
    for (const auto& name : names) {
        if (!fmt::parse_segment_name(name)) continue;
        if (!quarantine(files::join(opt_.dir, name), "left over when a new epoch began", error)) return false;
    }
    // Old segments are moved aside before the new epoch is named: never a new epoch file next
    // to segments of the old one, and never a deleted record.
    if (!files::sync_dir(opt_.dir, error)) return false;
    segments_.clear();
    epoch_ = new_epoch_id();
    head_ = 0;
    floor_ = 0;
    if (!write_state(0, error)) return false;
    recovery_.new_epoch = true;
    recovery_.new_epoch_reason = reason;
    log("new epoch " + epoch_ + " (" + reason + ")");
    return true;
}

bool Journal::quarantine(const std::string& path, const std::string& why, std::string* error) {
    const std::string qdir = files::join(opt_.dir, kQuarantineDir);
    const std::string base = path.substr(path.find_last_of('/') + 1);
    const std::string target = files::join(qdir, base + "." + std::to_string(unix_now_ms()));
    if (!files::make_dirs(qdir, error) || !files::rename_file(path, target, error) || !files::sync_dir(qdir, error) ||
        !files::sync_dir(opt_.dir, error)) {
        return false;
    }
    recovery_.quarantined.push_back(base + ": " + why);
    log("moved " + path + " to " + target + " (" + why + "): it is kept there, not read");
    return true;
}

bool Journal::quarantine_tail(const Segment& seg, std::uint64_t file_size, const std::string& why) {
    // The bytes a cut would destroy are copied aside first: what follows a damaged record may
    // still be readable by hand, and only an operator may throw it away.
    files::File f = files::File::open_read(seg.path, nullptr);
    std::string bytes(static_cast<std::size_t>(file_size - seg.size), '\0');
    const long long got = f.is_open() ? f.read_at(seg.size, bytes.data(), bytes.size()) : -1;
    if (got < 0) return false;
    bytes.resize(static_cast<std::size_t>(got));
    const std::string base = seg.path.substr(seg.path.find_last_of('/') + 1);
    const std::string name = base + ".tail-" + std::to_string(seg.size) + "." + std::to_string(unix_now_ms());
    const std::string qdir = files::join(opt_.dir, kQuarantineDir);
    std::string err;
    if (!files::make_dirs(qdir, &err) || !files::write_file_atomically(qdir, name, bytes, &err)) {
        log("cannot keep the cut bytes of " + seg.path + ": " + err);
        return false;
    }
    recovery_.quarantined.push_back(name + ": " + why);
    log("copied " + std::to_string(bytes.size()) + " bytes cut from " + seg.path + " to " + files::join(qdir, name));
    return true;
}

bool Journal::recover(std::string* error) {
    if (!files::make_dirs(opt_.dir, error)) return false;
    std::vector<std::string> names;
    if (!files::list_dir(opt_.dir, &names, error)) return false;

    std::vector<std::pair<Seq, std::string>> found;
    for (const auto& name : names) {
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) {
            files::remove_file(files::join(opt_.dir, name), nullptr);  // an interrupted atomic write
        } else if (auto seq = fmt::parse_segment_name(name)) {
            found.emplace_back(*seq, name);
        }
    }
    std::sort(found.begin(), found.end());

    // Every segment header names its epoch, so the epoch file is a convenience, never the only
    // copy: when it is missing or unreadable the state is rebuilt from the segments.
    const std::string state_path = files::join(opt_.dir, kJournalStateFile);
    std::string text;
    std::optional<JournalState> state;
    const bool state_present = files::read_small_file(state_path, &text);
    if (state_present) state = decode_journal_state(text);

    struct Candidate {
        Seq name_seq;
        std::string path;
        fmt::Header header;
        std::uint64_t size;
    };
    std::vector<Candidate> candidates;
    for (const auto& [seq, name] : found) {
        Candidate c{seq, files::join(opt_.dir, name), {}, 0};
        files::File f = files::File::open_read(c.path, error);
        if (!f.is_open() || !f.size(&c.size, error)) return false;
        std::string bytes(fmt::kHeaderBytes, '\0');
        const long long n = f.read_at(0, bytes.data(), bytes.size());
        bytes.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        c.header = fmt::decode_header(bytes);
        candidates.push_back(std::move(c));
    }

    // The epoch the segments hold most bytes of (the newest one on a tie): the history to keep
    // serving when the epoch file cannot say, or names an epoch no segment has.
    std::map<std::string, std::uint64_t> epoch_bytes;
    std::string segments_epoch;
    for (const auto& c : candidates) {
        if (c.header.status != fmt::HeaderStatus::ok) continue;
        const auto bytes = epoch_bytes[c.header.epoch] += c.size;
        if (segments_epoch.empty() || bytes >= epoch_bytes[segments_epoch]) segments_epoch = c.header.epoch;
    }
    std::string state_problem;
    if (!state) {
        state_problem = state_present ? "unreadable epoch file" : "missing epoch file";
    } else if (!segments_epoch.empty() && !epoch_bytes.count(state->epoch)) {
        state_problem = "epoch file names " + state->epoch + ", which no segment has";
        state.reset();
    }
    if (!state) {
        if (state_present && !quarantine(state_path, state_problem, error)) return false;
        if (segments_epoch.empty()) {
            for (const auto& c : candidates) {
                if (c.size > fmt::kHeaderBytes && !quarantine(c.path, "segment without a readable header", error))
                    return false;
            }
            return start_new_epoch(found.empty() ? "no journal" : "no readable segment", error);
        }
        state = JournalState{segments_epoch, 0, "", 0};
        state_rebuilt_ = true;
        recovery_.state_rebuilt = true;
        log(state_problem + ": rebuilt from the segments (epoch " + segments_epoch + ")");
    }
    epoch_ = state->epoch;
    reserved_ = state->reserved;
    // Every segment is named by the seq appended first to it, so every seq below the highest
    // name was issued, even when retention or a crash left none of them on disk.
    Seq below_names = 0;

    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const Candidate& c = candidates[i];
        if (c.header.status == fmt::HeaderStatus::ok && c.header.epoch == epoch_) {
            below_names = std::max(below_names, c.name_seq > 0 ? c.name_seq - 1 : 0);
            Segment seg;
            seg.path = c.path;
            seg.name_seq = c.name_seq;
            seg.size = c.size;
            segments_.push_back(std::move(seg));
            continue;
        }
        const bool newest = i + 1 == candidates.size();
        if (c.header.status != fmt::HeaderStatus::ok && newest && c.size <= fmt::kHeaderBytes) {
            // Not even a whole header: a creation that was interrupted, no record in it.
            log("removed " + c.path + ": its creation was interrupted");
            if (!files::remove_file(c.path, error)) return false;
            continue;
        }
        std::string why;
        if (c.header.status == fmt::HeaderStatus::ok) {
            why = "segment of another epoch (" + c.header.epoch + ")";  // its seqs are not this epoch's
        } else {
            why = c.header.status == fmt::HeaderStatus::bad_version
                      ? "segment of another format version (" + std::to_string(c.header.version) + ")"
                      : "unreadable segment header";
            // Most likely this epoch's: its seqs were issued, and what it held is not served.
            below_names = std::max(below_names, c.name_seq > 0 ? c.name_seq - 1 : 0);
            records_lost_ = true;
            ++recovery_.corrupt_segments;
        }
        if (!quarantine(c.path, why, error)) return false;
    }

    Seq last = 0;
    for (std::size_t i = 0; i < segments_.size();) {
        const bool newest = i + 1 == segments_.size();
        if (!scan_segment(segments_[i], newest, last)) {
            if (error) *error = "cannot read or repair " + segments_[i].path;
            return false;
        }
        if (segments_[i].records == 0 && !newest) {
            // An empty older segment serves nothing; leaving it would only confuse ordering.
            files::remove_file(segments_[i].path, nullptr);
            segments_.erase(segments_.begin() + static_cast<std::ptrdiff_t>(i));
            continue;
        }
        if (segments_[i].records) last = segments_[i].last_seq;
        ++i;
    }
    files::sync_dir(opt_.dir, nullptr);

    // reserved_ > last: not a clean shutdown. Which seqs may a page hold beyond `last`?
    //  - Same boot, nothing lost but a partial last record: the process died, the kernel did
    //    not. Every record was written before its frame was sent and the page cache kept it, so
    //    the records are the truth, plus what an earlier open had already declared lost (floor;
    //    the file carries this boot only once this process wrote it, and then the floor too).
    //    A partial last record was never appended, so its frame was never sent.
    //  - Another or unknown boot, or corruption: records written but not fsynced may be gone
    //    while pages saw them. Every seq up to the reservation may have reached a page.
    // Either way those seqs are never reissued; a page resuming across them is told they are lost.
    if (state_rebuilt_) {
        // The reservation went with the epoch file: up to one block past the records may have
        // been handed out. Skipped (a documented gap), never reissued.
        reserved_ = std::max(last, below_names) + opt_.reserve_block;
    }
    recovery_.same_boot = !boot_id_.empty() && state->boot_id == boot_id_;
    const bool records_authoritative = recovery_.same_boot && !records_lost_;
    head_ = records_authoritative ? std::max({last, static_cast<Seq>(state->floor), below_names})
                                  : std::max(last, reserved_);
    floor_ = head_;
    if (head_ > last) {
        recovery_.skipped = protocol::Gap{last + 1, head_};
        log("unclean shutdown" +
            std::string(records_authoritative ? " in this boot" : recovery_.same_boot ? " with lost records"
                                                                                       : " in an earlier or unknown boot") +
            ": seqs " + std::to_string(last + 1) + ".." + std::to_string(head_) + " are skipped");
    } else if (reserved_ > last) {
        log("unclean shutdown in this boot (the process, not the machine): every written record is kept, "
            "continuing at seq " + std::to_string(head_ + 1) + ", nothing skipped");
    }
    if (state_rebuilt_ && !write_state(head_, error)) return false;
    apply_retention();
    if (!segments_.empty()) {
        active_ = files::File::open_write(segments_.back().path, error);
        if (!active_.is_open()) return false;
    }
    recovery_.segments = segments_.size();
    recovery_.records = record_count();
    return true;
}

bool Journal::scan_segment(Segment& seg, bool newest, Seq after_seq) {
    files::File f = files::File::open_read(seg.path, nullptr);
    if (!f.is_open()) return false;
    RecordReader reader(f, fmt::kHeaderBytes, seg.size, opt_.max_record_bytes);
    JournalRecord rec;
    RecordReader::Step step;
    Seq prev = after_seq;
    seg.records = 0;
    seg.index.clear();
    while (true) {
        const std::uint64_t offset = reader.offset();
        step = reader.next(&rec);
        if (step != RecordReader::Step::record) break;
        if (rec.seq <= prev || rec.seq > protocol::kMaxSeq) {
            step = RecordReader::Step::corrupt;  // a valid crc but out of order: not ours to trust
            break;
        }
        note_record(seg, rec.seq, rec.t_ms, offset, reader.offset() - offset);
        prev = rec.seq;
    }
    seg.size = reader.offset();
    if (step == RecordReader::Step::end) return true;

    std::uint64_t file_size = 0;
    if (!f.size(&file_size, nullptr)) return false;
    const std::uint64_t cut = file_size - seg.size;
    // A partial last record of the newest segment is an append that never finished: nothing in
    // it was ever readable. Anything else cut (a record that fails its crc, and what follows it)
    // was whole once and is kept aside.
    if ((step == RecordReader::Step::corrupt || !newest) && !quarantine_tail(seg, file_size, "cut by recovery"))
        return false;
    files::File w = files::File::open_write(seg.path, nullptr);
    if (!w.is_open() || !w.truncate(seg.size, nullptr) || !w.sync(nullptr)) return false;
    recovery_.bytes_cut += cut;
    // A partial last record is an append the process never finished (its frame was never sent);
    // a record that fails its crc, or anything cut from an older segment, was whole once.
    if (step == RecordReader::Step::corrupt || !newest) records_lost_ = true;
    if (newest) {
        recovery_.torn_tail = true;
        log("cut " + std::to_string(cut) + " bytes of torn or corrupt tail from " + seg.path + " after seq " +
            std::to_string(prev));
    } else {
        ++recovery_.corrupt_segments;
        log("corruption inside " + seg.path + " at offset " + std::to_string(seg.size) + ": kept records up to seq " +
            std::to_string(prev) + ", dropped the remaining " + std::to_string(cut) + " bytes of the segment");
    }
    return true;
}

void Journal::note_record(Segment& seg, Seq seq, std::int64_t t_ms, std::uint64_t offset, std::uint64_t bytes) {
    if (seg.records % opt_.index_stride == 0) seg.index.push_back({seq, t_ms, offset});
    if (seg.records == 0) {
        seg.first_seq = seq;
        seg.first_t = t_ms;
    }
    seg.last_seq = seq;
    seg.last_t = t_ms;
    ++seg.records;
    seg.size = offset + bytes;
}

bool Journal::open_segment(Seq first_seq, std::string* error) {
    Segment seg;
    seg.name_seq = first_seq;
    seg.path = files::join(opt_.dir, fmt::segment_name(first_seq));
    files::File f = files::File::open_write(seg.path, error);
    if (!f.is_open()) return false;
    const std::string header = fmt::encode_header(epoch_);
    if (!f.truncate(0, error) || !f.write_at(0, header, error) || !f.sync(error) ||
        !files::sync_dir(opt_.dir, error)) {
        return false;
    }
    seg.size = header.size();
    segments_.push_back(std::move(seg));
    active_ = std::move(f);
    return true;
}

bool Journal::append(Seq seq, std::int64_t t_ms, std::string_view payload, std::string* error) {
    auto refuse = [error](std::string why) {
        if (error) *error = std::move(why);
        return false;
    };
    if (closed_) return refuse("journal is closed");
    if (seq <= head_) return refuse("seq " + std::to_string(seq) + " is not after head " + std::to_string(head_));
    if (seq > protocol::kMaxSeq) return refuse("seq beyond 2^53 - 1");
    if (payload.size() > opt_.max_record_bytes) return refuse("record larger than max_record_bytes");

    if (seq > reserved_) {
        const Seq upto = std::min(protocol::kMaxSeq, seq + (opt_.reserve_block - 1));
        if (!write_state(upto, error)) return false;
    }
    const std::string rec = fmt::encode_record(seq, t_ms, payload);
    const bool full = !segments_.empty() && segments_.back().records > 0 &&
                      segments_.back().size + rec.size() > opt_.segment_bytes;
    if (segments_.empty() || !active_.is_open() || full) {
        if (active_.is_open()) {
            std::string err;
            if (unsynced_ && !active_.sync(&err)) {
                log("fsync before rotation failed: " + err);
                distrust_page_cache("fsync before rotation failed");
            }
            unsynced_ = 0;
            active_.close();
        }
        if (!open_segment(seq, error)) return false;
        apply_retention();
    }
    Segment& seg = segments_.back();
    if (!active_.write_at(seg.size, rec, error)) {
        // Never leave half a record in front of the next one: cut back to the last whole record.
        active_.truncate(seg.size, nullptr);
        return false;
    }
    note_record(seg, seq, t_ms, seg.size, rec.size());
    head_ = seq;
    ++appends_;
    const std::int64_t now = now_ms();
    if (unsynced_++ == 0) first_unsynced_ms_ = now;
    if ((opt_.sync_every_records && unsynced_ >= opt_.sync_every_records) ||
        now - first_unsynced_ms_ >= opt_.sync_interval_ms) {
        std::string err;
        if (!sync(&err)) log("fsync failed: " + err);  // the record is written; durability is late
    }
    return true;
}

bool Journal::sync(std::string* error) {
    if (!unsynced_ || !active_.is_open()) return true;
    const auto t0 = std::chrono::steady_clock::now();
    const bool ok = active_.sync(error);
    fsync_seconds_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (!ok) {
        distrust_page_cache("fsync failed");
        return false;
    }
    unsynced_ = 0;
    return true;
}

void Journal::distrust_page_cache(const std::string& why) {
    // After a failed fsync the kernel may have dropped the dirty pages: written records can be
    // gone without a reboot. Forget the boot in the epoch file so the next open skips the
    // reservation, as after a machine crash.
    if (boot_id_.empty()) return;
    boot_id_.clear();
    std::string err;
    if (!write_state(reserved_, &err)) {
        log(why + "; " + err + " (a crash in this boot would continue at the recovered records)");
    } else {
        log(why + ": the next open will skip the reservation, as after a machine crash");
    }
}

bool Journal::sync_if_due(std::string* error) {
    if (!unsynced_ || now_ms() - first_unsynced_ms_ < opt_.sync_interval_ms) return true;
    return sync(error);
}

void Journal::close() {
    if (closed_) return;
    closed_ = true;
    std::string err;
    if (!sync(&err)) {
        log("fsync on close failed: " + err);
        return;  // keep the reservation: the next open treats this like a crash
    }
    if (reserved_ != head_ && !write_state(head_, &err)) log("recording the clean shutdown failed: " + err);
    active_.close();
}

void Journal::drop_oldest_segment(const char* why) {
    const Segment& seg = segments_.front();
    log("retention (" + std::string(why) + "): removed " + seg.path + " with seqs " + std::to_string(seg.first_seq) +
        ".." + std::to_string(seg.last_seq));
    std::string err;
    if (!files::remove_file(seg.path, &err)) log(err);
    segments_.erase(segments_.begin());
    files::sync_dir(opt_.dir, nullptr);
}

void Journal::apply_retention() {
    // Whole segments only, oldest first, never the one being written.
    while (segments_.size() > 1) {
        const Segment& front = segments_.front();
        std::int64_t newest_t = 0;
        for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
            if (it->records) {
                newest_t = it->last_t;
                break;
            }
        }
        if (front.records == 0) {
            drop_oldest_segment("empty");
        } else if (opt_.max_bytes && byte_size() > opt_.max_bytes) {
            drop_oldest_segment("size");
        } else if (opt_.max_records && record_count() - front.records >= opt_.max_records) {
            drop_oldest_segment("count");
        } else if (opt_.max_age_ms && front.last_t < newest_t - opt_.max_age_ms) {
            drop_oldest_segment("age");
        } else {
            break;
        }
    }
}

Seq Journal::oldest_seq() const {
    for (const auto& seg : segments_) {
        if (seg.records) return seg.first_seq;
    }
    return 0;
}

std::int64_t Journal::oldest_t_ms() const {
    for (const auto& seg : segments_) {
        if (seg.records) return seg.first_t;
    }
    return 0;
}

std::uint64_t Journal::record_count() const {
    std::uint64_t n = 0;
    for (const auto& seg : segments_) n += seg.records;
    return n;
}

std::uint64_t Journal::byte_size() const {
    std::uint64_t n = 0;
    for (const auto& seg : segments_) n += seg.size;
    return n;
}

std::vector<JournalRecord> Journal::read_range(Seq from, std::size_t max_count) const {
    std::vector<JournalRecord> out;
    for (const auto& seg : segments_) {
        if (out.size() >= max_count) break;
        if (seg.records == 0 || seg.last_seq < from) continue;
        std::uint64_t start = fmt::kHeaderBytes;
        // The last index entry at or before `from`: at most index_stride records to skip.
        auto it = std::upper_bound(seg.index.begin(), seg.index.end(), from,
                                   [](Seq s, const IndexEntry& e) { return s < e.seq; });
        if (it != seg.index.begin()) start = std::prev(it)->offset;
        files::File f = files::File::open_read(seg.path, nullptr);
        if (!f.is_open()) {
            log("cannot read " + seg.path);
            continue;
        }
        RecordReader reader(f, start, seg.size, opt_.max_record_bytes);
        JournalRecord rec;
        while (out.size() < max_count) {
            const auto step = reader.next(&rec);
            if (step == RecordReader::Step::end) break;
            if (step != RecordReader::Step::record) {
                log("unreadable record in " + seg.path + " at offset " + std::to_string(reader.offset()));
                break;
            }
            if (rec.seq >= from) out.push_back(std::move(rec));
        }
    }
    return out;
}

std::optional<Seq> Journal::seq_at_or_after(std::int64_t t_ms) const {
    for (const auto& seg : segments_) {
        if (seg.records == 0 || seg.last_t < t_ms) continue;
        std::uint64_t start = fmt::kHeaderBytes;
        for (const auto& e : seg.index) {
            if (e.t_ms >= t_ms) break;
            start = e.offset;
        }
        files::File f = files::File::open_read(seg.path, nullptr);
        if (!f.is_open()) continue;
        RecordReader reader(f, start, seg.size, opt_.max_record_bytes);
        JournalRecord rec;
        while (reader.next(&rec) == RecordReader::Step::record) {
            if (rec.t_ms >= t_ms) return rec.seq;
        }
    }
    return std::nullopt;
}

}  // namespace vigil::hub
