// Close-code policy: classification, retry-hint parsing and the maintenance spread.
#include "core/close_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace vigil::core {

namespace {
const char* close_code_name(int code) {
    switch (code) {
        case 1000: return "normal close";
        case 1001: return "going away";
        case 1006: return "connection lost";
        case 1008: return "policy violation";
        case 1009: return "message too big";
        case 1011: return "hub error";
        case 1012: return "service restart";
        case 1013: return "try again later";
        case 4000: return "dead peer";
        case 4001: return "connect timeout";
        case 4008: return "too slow, dropped by hub";
        case 4401: return "bad token";
        case 4403: return "forbidden";  // the reason says which: origin or host not allowed
        default: return "closed";
    }
}
}  // namespace

CloseAction classify_close(int code) {
    switch (code) {
        case close_code::service_restart:
        case close_code::try_again_later: return CloseAction::Maintenance;
        case close_code::policy_violation:
        case close_code::bad_token:
        case close_code::origin_not_allowed: return CloseAction::Unauthorized;
        default: return CloseAction::Backoff;
    }
}

std::optional<double> parse_retry_hint(std::string_view reason) {
    constexpr std::string_view key = "retry_ms=";
    const auto at = reason.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    const std::string digits(reason.substr(at + key.size(), 32));
    if (digits.empty() || !(digits[0] >= '0' && digits[0] <= '9')) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(digits.c_str(), &end);
    if (end == digits.c_str() || !std::isfinite(value)) return std::nullopt;
    return std::clamp(value, 0.0, kMaxRetryHintMs);
}

double maintenance_delay_ms(double hint_ms, double u01) {
    const double hint = std::isfinite(hint_ms) ? std::clamp(hint_ms, 0.0, kMaxRetryHintMs) : 0.0;
    const double u = std::isfinite(u01) ? std::clamp(u01, 0.0, 1.0) : 0.5;
    return hint + u * std::max(1000.0, hint / 2);
}

bool asks_reconnect_now(std::string_view reason) { return reason.find("reconnect=now") != std::string_view::npos; }

std::string describe_close(int code, std::string_view reason) {
    std::string text = std::to_string(code) + " " + close_code_name(code);
    if (!reason.empty()) {
        text += ": ";
        text += reason;
    }
    return text;
}

}  // namespace vigil::core
