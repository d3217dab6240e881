// Why an incoming message was refused, and how many of each kind a connection has seen.
// The kind names are stable: they appear in `error.code`, counters and test hooks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace vigil::protocol {

enum class RejectionKind {
    bad_json,       // not parseable JSON (or invalid UTF-8)
    not_object,     // JSON, but not an object
    bad_type,       // missing, non-string or unknown `type`
    bad_field,      // a field missing, of the wrong type, out of range, NaN/Inf
    too_big,        // over the byte limit, or too many hosts/metrics/values
    too_deep,       // nested deeper than the limit
    binary,         // a binary frame: the protocol is text only
    seq_backwards,  // a samples frame older than what was applied, never applied itself
    seq_duplicate,  // a samples frame already applied (replayed twice -> applied once)
};
inline constexpr std::size_t kRejectionKindCount = 9;

// Stable snake_case name ("bad_json", ...).
const char* rejection_name(RejectionKind kind);
std::optional<RejectionKind> rejection_from_name(std::string_view name);

struct Rejection {
    RejectionKind kind = RejectionKind::bad_json;
    std::string message;  // for humans and logs; never parsed
};

// Per-kind counts. Plain value type: copy it to take a snapshot.
class RejectionCounters {
public:
    void add(RejectionKind kind) { ++counts_[static_cast<std::size_t>(kind)]; }
    void add(const Rejection& r) { add(r.kind); }
    std::uint64_t count(RejectionKind kind) const { return counts_[static_cast<std::size_t>(kind)]; }
    std::uint64_t total() const;
    void reset() { counts_ = {}; }

    // Every kind in declaration order, zeros included: {"bad_json", 3}, ...
    std::array<std::pair<std::string_view, std::uint64_t>, kRejectionKindCount> by_name() const;

private:
    std::array<std::uint64_t, kRejectionKindCount> counts_{};
};

}  // namespace vigil::protocol
