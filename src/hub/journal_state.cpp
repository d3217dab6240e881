// Encoding of the journal state file and fresh epoch ids.
#include "hub/journal_state.h"

#include <random>

#include "hub/journal_files.h"
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
    std::string text = std::string(kFirstLine) + "\nepoch " + s.epoch + "\nreserved " + std::to_string(s.reserved) + "\n";
    if (is_valid_boot_id(s.boot_id)) text += "boot " + s.boot_id + "\n";
    text += "floor " + std::to_string(s.floor) + "\n";
    return text;
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
        } else if (line.substr(0, 5) == "boot ") {
            const std::string_view id = line.substr(5);
            s.boot_id = is_valid_boot_id(id) ? std::string(id) : std::string();
        } else if (line.substr(0, 6) == "floor ") {
            if (!parse_u64(line.substr(6), s.floor)) s.floor = 0;
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

bool is_valid_boot_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::string current_boot_id() {
    std::string text;
    if (!journal_files::read_small_file("/proc/sys/kernel/random/boot_id", &text)) return {};
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
    return is_valid_boot_id(text) ? text : std::string();
}

}  // namespace vigil::hub
