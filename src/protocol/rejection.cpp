// Rejection kind names and counters.
#include "protocol/rejection.h"

namespace vigil::protocol {

namespace {
constexpr std::array<const char*, kRejectionKindCount> kNames = {
    "bad_json", "not_object", "bad_type", "bad_field",     "too_big",
    "too_deep", "binary",     "seq_backwards", "seq_duplicate",
};
}  // namespace

const char* rejection_name(RejectionKind kind) {
    const auto i = static_cast<std::size_t>(kind);
    return i < kNames.size() ? kNames[i] : "unknown";
}

std::optional<RejectionKind> rejection_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (name == kNames[i]) return static_cast<RejectionKind>(i);
    }
    return std::nullopt;
}

std::uint64_t RejectionCounters::total() const {
    std::uint64_t sum = 0;
    for (auto c : counts_) sum += c;
    return sum;
}

std::array<std::pair<std::string_view, std::uint64_t>, kRejectionKindCount>
RejectionCounters::by_name() const {
    std::array<std::pair<std::string_view, std::uint64_t>, kRejectionKindCount> out{};
    for (std::size_t i = 0; i < kRejectionKindCount; ++i) out[i] = {kNames[i], counts_[i]};
    return out;
}

}  // namespace vigil::protocol
