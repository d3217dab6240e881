// Encoding of the journal state file and fresh epoch ids.
#include "hub/journal_state.h"

#include <random>

#include "hub/journal_format.h"

namespace vigil::hub {

namespace {
constexpr std::string_view kFirstLine = "vigil-journal 1";

bool parse_u64(std::string_view s, std::uint64_t& out) {
    if (s.empty() || s.size() > 19) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    out = v;
    return true;
}
}  // namespace

std::string encode_journal_state(const JournalState& s) {
    return std::string(kFirstLine) + "\nepoch " + s.epoch + "\nreserved " + std::to_string(s.reserved) + "\n";
}

std::optional<JournalState> decode_journal_state(std::string_view text) {
    JournalState s;
    bool have_version = false, have_epoch = false, have_reserved = false;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (line == kFirstLine) {
            have_version = true;
        } else if (line.substr(0, 6) == "epoch ") {
            s.epoch = std::string(line.substr(6));
            have_epoch = !s.epoch.empty() && s.epoch.size() <= journal_format::kMaxEpochBytes;
        } else if (line.substr(0, 9) == "reserved ") {
            have_reserved = parse_u64(line.substr(9), s.reserved);
        }
    }
    if (!have_version || !have_epoch || !have_reserved) return std::nullopt;
    return s;
}

std::string new_epoch_id() {
    std::random_device rd;
    const std::uint64_t bits = (std::uint64_t{rd()} << 32) ^ rd();
    static const char* hex = "0123456789abcdef";
    std::string id = "e-";
    for (int i = 11; i >= 0; --i) id += hex[(bits >> (4 * i)) & 0xF];
    return id;
}

}  // namespace vigil::hub
