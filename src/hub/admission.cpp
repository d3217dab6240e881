// Token, Host, Origin and connection-cap decisions for an upgrade; the Host rule for every request.
#include "hub/admission.h"

#include "hub/static_path.h"

#include <arpa/inet.h>

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

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "host:port", "[v6]:port", "host" -> host (lowercase, brackets kept) and port ("" when absent).
std::pair<std::string, std::string> split_host_port(std::string_view hp) {
    std::string_view host = hp, port;
    if (!hp.empty() && hp.front() == '[') {
        auto close = hp.find(']');
        if (close == std::string_view::npos) return {lower(hp), ""};
        host = hp.substr(0, close + 1);
        if (close + 1 < hp.size() && hp[close + 1] == ':') port = hp.substr(close + 2);
    } else if (auto colon = hp.rfind(':'); colon != std::string_view::npos) {
        host = hp.substr(0, colon);
        port = hp.substr(colon + 1);
    }
    return {lower(host), std::string(port)};
}

bool ip_literal(const std::string& host) {
    unsigned char buf[16];
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), buf) == 1;
    return inet_pton(AF_INET, host.c_str(), buf) == 1;
}

}  // namespace

bool host_allowed(const std::vector<std::string>& allow_hosts, std::string_view host_header) {
    if (allow_hosts.empty() || host_header.empty()) return true;
    std::string host = split_host_port(trim(host_header)).first;
    if (!host.empty() && host.back() == '.') host.pop_back();
    if (host.empty()) return false;
    if (host == "localhost" || ip_literal(host)) return true;
    for (const auto& entry : allow_hosts) {
        std::string name = split_host_port(trim(entry)).first;  // a port given with it is ignored
        if (!name.empty() && name.back() == '.') name.pop_back();
        if (name == "*" || name == host) return true;
        // ".example.com": example.com and every name under it.
        if (name.size() > 1 && name.front() == '.' &&
            (host == name.substr(1) ||
             (host.size() > name.size() && host.compare(host.size() - name.size(), name.size(), name) == 0)))
            return true;
    }
    return false;
}

bool same_secret(std::string_view presented, std::string_view secret) {
    unsigned diff = presented.size() == secret.size() ? 0u : 1u;
    for (std::size_t i = 0; i < secret.size(); ++i) {
        const unsigned char p = presented.empty() ? 0 : static_cast<unsigned char>(presented[i % presented.size()]);
        diff |= static_cast<unsigned>(p ^ static_cast<unsigned char>(secret[i]));
    }
    return diff == 0 && !secret.empty();
}

bool same_origin(std::string_view origin, std::string_view host) {
    auto sep = origin.find("://");
    if (sep == std::string_view::npos || host.empty()) return false;
    const std::string scheme = lower(origin.substr(0, sep));
    std::string default_port;
    if (scheme == "http" || scheme == "ws") default_port = "80";
    else if (scheme == "https" || scheme == "wss") default_port = "443";
    else return false;
    auto rest = origin.substr(sep + 3);
    if (rest.find('/') != std::string_view::npos) return false;  // an Origin has no path
    auto [o_host, o_port] = split_host_port(rest);
    auto [h_host, h_port] = split_host_port(host);
    if (o_port.empty()) o_port = default_port;
    if (h_port.empty()) h_port = default_port;
    return !o_host.empty() && o_host == h_host && o_port == h_port;
}

bool stats_authorized(std::string_view token, std::string_view stats_token, std::string_view target,
                      std::string_view authorization) {
    if (token.empty()) return true;
    std::string presented;
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() > kBearer.size() && lower(authorization.substr(0, kBearer.size())) == "bearer ")
        presented = std::string(trim(authorization.substr(kBearer.size())));
    else if (auto q = query_param(target, "token"))
        presented = *q;
    // Both compared, always: which one matched must not show in the time taken either.
    const bool by_token = same_secret(presented, token);
    const bool by_stats_token = !stats_token.empty() && same_secret(presented, stats_token);
    return by_token || by_stats_token;
}

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
    if (!host_allowed(policy.allow_hosts, request.host)) {
        a.close_code = 4403;
        a.close_reason = "host not allowed";
        a.outcome = "bad_host";
        return a;
    }
    const auto& allowed = policy.allow_origins;
    const bool origin_ok =
        allowed.empty() ? (request.origin.empty() || same_origin(request.origin, request.host))
                        : std::find(allowed.begin(), allowed.end(), "*") != allowed.end() ||
                              std::find(allowed.begin(), allowed.end(), request.origin) != allowed.end();
    if (!origin_ok) {
        a.close_code = 4403;
        a.close_reason = "origin not allowed";
        a.outcome = "bad_origin";
        return a;
    }
    if (request.clients_now >= policy.max_clients || request.address_clients_now >= policy.max_clients_per_address) {
        a.close_code = 1013;
        a.close_reason = "retry_ms=" + std::to_string(policy.retry_hint_ms);
        a.outcome = request.clients_now >= policy.max_clients ? "full" : "address_full";
        return a;
    }
    a.outcome = "accepted";
    return a;
}

}  // namespace vigil::hub
