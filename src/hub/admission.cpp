// Token, Origin and connection-cap decisions for an upgrade.
#include "hub/admission.h"

#include "hub/static_path.h"

#include <algorithm>
#include <cctype>

namespace vigil::hub {
namespace {

constexpr std::string_view kTokenPrefix = "vigil.token.";

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> offered(std::string_view header) {
    std::vector<std::string_view> out;
    while (!header.empty()) {
        auto comma = header.find(',');
        auto item = trim(header.substr(0, comma));
        if (!item.empty()) out.push_back(item);
        if (comma == std::string_view::npos) break;
        header.remove_prefix(comma + 1);
    }
    return out;
}

// Compares without an early exit, so the time taken does not tell how much of a guess was right
// (the length may leak; tokens are long and random).
bool same_secret(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace

std::string chosen_subprotocol(std::string_view header) {
    auto list = offered(header);
    for (auto p : list)
        if (p.substr(0, kTokenPrefix.size()) == kTokenPrefix) return std::string(p);
    return list.empty() ? std::string() : std::string(list.front());
}

Admission admit(const AdmissionPolicy& policy, const UpgradeRequest& request) {
    Admission a;
    a.subprotocol = chosen_subprotocol(request.subprotocols);
    if (!policy.token.empty()) {
        std::string presented;
        if (auto q = query_param(request.target, "token")) presented = *q;
        else if (a.subprotocol.rfind(std::string(kTokenPrefix), 0) == 0) presented = a.subprotocol.substr(kTokenPrefix.size());
        if (!same_secret(presented, policy.token)) {
            a.close_code = 4401;
            a.close_reason = "bad token";
            a.outcome = "bad_token";
            return a;
        }
    }
    if (!policy.allow_origins.empty() &&
        std::find(policy.allow_origins.begin(), policy.allow_origins.end(), request.origin) == policy.allow_origins.end()) {
        a.close_code = 4403;
        a.close_reason = "origin not allowed";
        a.outcome = "bad_origin";
        return a;
    }
    if (request.clients_now >= policy.max_clients) {
        a.close_code = 1013;
        a.close_reason = "retry_ms=" + std::to_string(policy.retry_hint_ms);
        a.outcome = "full";
        return a;
    }
    a.outcome = "accepted";
    return a;
}

}  // namespace vigil::hub
