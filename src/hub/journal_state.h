// The journal's small state file `epoch`: which epoch the segments belong to, the highest seq
// the hub may already have handed out (a reservation written ahead of appends, so a crash never
// lets a seq be issued twice with different data), and the boot it was written in (a crash in
// the same boot was the process's: the page cache kept every record written, nothing to skip).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::hub {

struct JournalState {
    std::string epoch;
    std::uint64_t reserved = 0;  // every seq <= reserved may have been sent to a page
    // The machine boot during which this file was written; empty: unknown (files written
    // before this field existed, or no readable boot id), which never matches any boot.
    std::string boot_id;
    // The head when the writing process opened the journal: every seq issued (or declared lost)
    // before that process is <= floor. With the records it journaled, it bounds every seq a
    // page may hold, which is what a same-boot recovery trusts instead of the reservation.
    std::uint64_t floor = 0;
};

inline constexpr const char* kJournalStateFile = "epoch";
// Sub-folder of the journal where recovery moves what it cannot read (never deleted).
inline constexpr const char* kQuarantineDir = "quarantine";

// Text form, one field a line: "vigil-journal 1", "epoch e-0123456789ab", "reserved 1024",
// then "boot <id>" (left out when unknown) and "floor 70". Readers ignore lines they do not know,
// so older hubs read newer files; a file without "boot" or "floor" reads as unknown / 0.
std::string encode_journal_state(const JournalState& s);
// nullopt for a missing required field (version, epoch, reserved), another format version, or
// garbage. A malformed boot line reads as unknown, a malformed floor line as 0.
std::optional<JournalState> decode_journal_state(std::string_view text);

// "e-" + 12 random hex digits.
std::string new_epoch_id();

// 1..64 characters from [0-9A-Za-z-] (a Linux boot id is a 36-character UUID).
bool is_valid_boot_id(std::string_view id);
// This machine's boot id (Linux: /proc/sys/kernel/random/boot_id, trimmed); empty when it
// cannot be read or does not look like one: the journal then treats every crash as a machine
// crash.
std::string current_boot_id();

}  // namespace vigil::hub
