// The journal's small state file `epoch`: which epoch the segments belong to, and the highest
// seq the hub may already have handed out (a reservation written ahead of appends, so a crash
// never lets a seq be issued twice with different data).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::hub {

struct JournalState {
    std::string epoch;
    std::uint64_t reserved = 0;  // every seq <= reserved may have been sent to a page
};

inline constexpr const char* kJournalStateFile = "epoch";

// Text form, three lines: "vigil-journal 1", "epoch e-0123456789ab", "reserved 1024".
std::string encode_journal_state(const JournalState& s);
// nullopt for a missing field, another format version, or garbage.
std::optional<JournalState> decode_journal_state(std::string_view text);

// "e-" + 12 random hex digits.
std::string new_epoch_id();

}  // namespace vigil::hub
