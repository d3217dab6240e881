// Targets config and file_sd parsing, validation, host ids.
#include "hub/sources/targets_config.h"

#include "hub/sources/node_profile.h"
#include "protocol/decode_limits.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

namespace vigil::hub::sources {
namespace {

using nlohmann::json;

// What the page decodes with its default limits (protocol/decode_limits.h): a catalog host of
// more labels or keys, or a longer id or label, would be refused whole.
constexpr protocol::DecodeLimits page_limits{};

bool is_label_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_label_char(char c) { return is_label_start(c) || (c >= '0' && c <= '9'); }

bool valid_label_name(std::string_view s) {
    return !s.empty() && s.size() <= 128 && is_label_start(s[0]) && std::all_of(s.begin(), s.end(), is_label_char);
}

// What the protocol carries as a host id: 1-256 bytes, no control characters.
bool valid_host_id(std::string_view s) {
    return !s.empty() && s.size() <= page_limits.max_name_bytes &&
           std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::optional<json> parse_json(std::string_view text, const std::string& what, ConfigErrors* errors) {
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        errors->add(what + ": not JSON: " + e.what());
        return std::nullopt;
    }
}

bool read_interval(const json& v, const std::string& where, double* out, ConfigErrors* errors) {
    if (!v.is_number() || !(v.get<double>() >= min_interval_s && v.get<double>() <= max_interval_s)) {
        errors->add(where + ": \"interval_s\" must be a number of seconds from 0.5 to 3600");
        return false;
    }
    *out = v.get<double>();
    return true;
}

bool read_profile(const json& v, const std::string& where, TargetProfile* out, ConfigErrors* errors) {
    if (v == "node") *out = TargetProfile::node;
    else if (v == "windows") *out = TargetProfile::windows;
    else if (v == "none") *out = TargetProfile::none;
    else {
        errors->add(where + ": \"profile\" must be \"node\", \"windows\" or \"none\"");
        return false;
    }
    return true;
}

bool read_labels(const json& v, const std::string& where, std::map<std::string, std::string>* out,
                 ConfigErrors* errors, bool allow_reserved) {
    if (!v.is_object()) {
        errors->add(where + ": \"labels\" must be an object of strings");
        return false;
    }
    bool ok = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!valid_label_name(it.key()) || (!allow_reserved && it.key().rfind("__", 0) == 0)) {
            errors->add(where + ": label \"" + it.key() + "\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not __*)");
            ok = false;
        } else if (!it.value().is_string() || it.value().get<std::string>().size() > page_limits.max_name_bytes) {
            errors->add(where + ": label \"" + it.key() + "\" must be a string of at most " +
                        std::to_string(page_limits.max_name_bytes) + " bytes");
            ok = false;
        } else {
            (*out)[it.key()] = it.value().get<std::string>();
        }
    }
    // The catalog carries the labels without the "__" ones (file_sd's __metrics_path__ and such).
    const auto shown = std::count_if(out->begin(), out->end(), [](const auto& kv) { return kv.first.rfind("__", 0) != 0; });
    if (std::size_t(shown) > page_limits.max_labels) {
        errors->add(where + ": " + std::to_string(shown) + " labels; the wall takes at most " +
                    std::to_string(page_limits.max_labels) + " per host");
        ok = false;
    }
    return ok;
}

bool valid_metrics_path(std::string_view p) {
    return !p.empty() && p[0] == '/' && p.size() <= 1024 &&
           std::none_of(p.begin(), p.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '#'; });
}

// A string field that `valid` accepts; `rule` completes "\"field\" must be ...".
bool read_string(const json& v, const std::string& where, const std::string& field, bool (*valid)(std::string_view),
                 const char* rule, std::string* out, ConfigErrors* errors) {
    if (!v.is_string() || !valid(v.get<std::string>())) {
        errors->add(where + ": \"" + field + "\" must be " + rule);
        return false;
    }
    *out = v.get<std::string>();
    return true;
}

// Config-wide mappings first; a target's mapping replaces the config's one of the same key.
std::vector<SeriesMapping> merge_mappings(const std::vector<SeriesMapping>& base, std::vector<SeriesMapping> own) {
    std::vector<SeriesMapping> out;
    for (const auto& m : base)
        if (std::none_of(own.begin(), own.end(), [&](const SeriesMapping& o) { return o.info.key == m.info.key; }))
            out.push_back(m);
    for (auto& m : own) out.push_back(std::move(m));
    return out;
}

bool check_target(const ScrapeTarget& t, ConfigErrors* errors) {
    if (t.profile == TargetProfile::none && t.mappings.empty()) {
        errors->add(t.origin + ": profile \"none\" and no mappings: the target would show nothing");
        return false;
    }
    // The profile's keys and the mappings' keys together within what the page takes of one host
    // (the profile's cpuN keys fill what is left: scrape_body.h core_key_room).
    const bool profiled = t.profile != TargetProfile::none;
    const std::size_t room = page_limits.max_metrics - (profiled ? NodeProfile::fixed_keys : 0);
    if (t.mappings.size() > room) {
        errors->add(t.origin + ": " + std::to_string(t.mappings.size()) + " mappings; the wall takes at most " +
                    std::to_string(page_limits.max_metrics) + " keys per host, so at most " + std::to_string(room) +
                    (profiled ? " beside the profile's" : ""));
        return false;
    }
    return true;
}

std::optional<ScrapeTarget> parse_target(const json& j, const std::string& where, const TargetsConfig& config,
                                         const std::vector<SeriesMapping>& config_mappings, ConfigErrors* errors) {
    if (!j.is_object()) {
        errors->add(where + ": a target must be an object");
        return std::nullopt;
    }
    ScrapeTarget t;
    t.origin = where;
    t.interval_s = config.interval_s;
    bool ok = true;
    std::vector<SeriesMapping> own;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& f = it.key();
        const json& v = it.value();
        if (f == "address") {
            ok = read_string(v, where, f, [](std::string_view a) { return valid_address(a, nullptr); },
                             "host:port (or [v6]:port), port 1-65535", &t.address, errors) && ok;
        } else if (f == "metrics_path") {
            ok = read_string(v, where, f, valid_metrics_path, "a path starting with / (no spaces or #)",
                             &t.metrics_path, errors) && ok;
        } else if (f == "host" || f == "name") {
            ok = read_string(v, where, f, valid_host_id, "1-256 bytes without control characters",
                             f == "host" ? &t.host_id : &t.name, errors) && ok;
        } else if (f == "labels") {
            ok = read_labels(v, where, &t.labels, errors, false) && ok;
        } else if (f == "profile") {
            ok = read_profile(v, where, &t.profile, errors) && ok;
        } else if (f == "interval_s") {
            ok = read_interval(v, where, &t.interval_s, errors) && ok;
        } else if (f == "mappings") {
            std::string why;
            auto m = parse_series_mappings(v, where + ".mappings", &why);
            if (!m) {
                errors->add(why);
                ok = false;
            } else {
                own = std::move(*m);
            }
        } else {
            errors->add(where + ": unknown field \"" + f + "\"");
            ok = false;
        }
    }
    if (t.address.empty() && j.find("address") == j.end()) {
        errors->add(where + ": needs \"address\" (host:port)");
        ok = false;
    }
    t.mappings = merge_mappings(config_mappings, std::move(own));
    if (!ok || !check_target(t, errors)) return std::nullopt;
    return t;
}

}  // namespace

void ConfigErrors::add(std::string m) {
    ++count;
    if (messages.size() < max_messages) messages.push_back(std::move(m));
}

bool valid_address(std::string_view a, std::string* host) {
    std::string_view h, port;
    if (!a.empty() && a[0] == '[') {
        const auto close = a.find(']');
        if (close == std::string_view::npos || close + 1 >= a.size() || a[close + 1] != ':') return false;
        h = a.substr(1, close - 1);
        port = a.substr(close + 2);
        if (h.empty() || !std::all_of(h.begin(), h.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '%';
            }))
            return false;
    } else {
        const auto colon = a.rfind(':');
        if (colon == std::string_view::npos) return false;
        h = a.substr(0, colon);
        port = a.substr(colon + 1);
        if (h.empty() || h.size() > 253 || !std::all_of(h.begin(), h.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
            }))
            return false;
    }
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p == 0 || p > 65535) return false;
    if (host) *host = std::string(h);
    return true;
}

std::optional<TargetsConfig> parse_targets_config(std::string_view text, ConfigErrors* errors,
                                                  double default_interval_s) {
    auto doc = parse_json(text, "targets config", errors);
    if (!doc) return std::nullopt;
    const json& j = *doc;
    if (!j.is_object()) {
        errors->add("targets config: must be an object with \"targets\" and/or \"file_sd\"");
        return std::nullopt;
    }
    TargetsConfig c;
    c.interval_s = default_interval_s;
    const std::size_t before = errors->count;
    for (auto it = j.begin(); it != j.end(); ++it)
        if (it.key() != "interval_s" && it.key() != "mappings" && it.key() != "targets" && it.key() != "file_sd")
            errors->add("targets config: unknown field \"" + it.key() + "\"");
    if (auto it = j.find("interval_s"); it != j.end()) read_interval(*it, "targets config", &c.interval_s, errors);
    std::vector<SeriesMapping> mappings;
    if (auto it = j.find("mappings"); it != j.end()) {
        std::string why;
        if (auto m = parse_series_mappings(*it, "mappings", &why)) mappings = std::move(*m);
        else errors->add(why);
    }
    if (auto it = j.find("targets"); it != j.end()) {
        if (!it->is_array()) {
            errors->add("targets: must be an array of targets");
        } else {
            for (std::size_t i = 0; i < it->size(); ++i)
                if (auto t = parse_target((*it)[i], "targets[" + std::to_string(i) + "]", c, mappings, errors))
                    c.targets.push_back(std::move(*t));
        }
    }
    if (auto it = j.find("file_sd"); it != j.end()) {
        if (!it->is_array()) {
            errors->add("file_sd: must be an array of {\"path\": ...}");
        } else {
            for (std::size_t i = 0; i < it->size(); ++i) {
                const json& e = (*it)[i];
                const std::string where = "file_sd[" + std::to_string(i) + "]";
                if (!e.is_object()) {
                    errors->add(where + ": must be an object with \"path\"");
                    continue;
                }
                FileSdSource s;
                s.interval_s = c.interval_s;
                std::vector<SeriesMapping> own;
                bool ok = true;
                for (auto f = e.begin(); f != e.end(); ++f) {
                    if (f.key() == "path") {
                        if (!f->is_string() || f->get<std::string>().empty()) {
                            errors->add(where + ": \"path\" must be a file name");
                            ok = false;
                        } else {
                            s.path = f->get<std::string>();
                        }
                    } else if (f.key() == "profile") {
                        ok = read_profile(*f, where, &s.profile, errors) && ok;
                    } else if (f.key() == "interval_s") {
                        ok = read_interval(*f, where, &s.interval_s, errors) && ok;
                    } else if (f.key() == "mappings") {
                        std::string why;
                        if (auto m = parse_series_mappings(*f, where + ".mappings", &why)) own = std::move(*m);
                        else { errors->add(why); ok = false; }
                    } else {
                        errors->add(where + ": unknown field \"" + f.key() + "\"");
                        ok = false;
                    }
                }
                if (s.path.empty() && e.find("path") == e.end()) {
                    errors->add(where + ": needs \"path\"");
                    ok = false;
                }
                s.mappings = merge_mappings(mappings, std::move(own));
                if (ok) c.file_sd.push_back(std::move(s));
            }
        }
    }
    if (j.find("targets") == j.end() && j.find("file_sd") == j.end())
        errors->add("targets config: needs \"targets\" or \"file_sd\"");
    if (errors->count != before) return std::nullopt;
    return c;
}

bool parse_file_sd(std::string_view text, const FileSdSource& source, std::vector<ScrapeTarget>* out,
                   ConfigErrors* errors) {
    auto doc = parse_json(text, source.path, errors);
    if (!doc) return false;
    if (!doc->is_array()) {
        errors->add(source.path + ": a file_sd file is an array of {\"targets\": [...], \"labels\": {...}}");
        return false;
    }
    const std::size_t before = errors->count;
    std::vector<ScrapeTarget> found;
    for (std::size_t i = 0; i < doc->size(); ++i) {
        const json& g = (*doc)[i];
        const std::string where = source.path + "[" + std::to_string(i) + "]";
        if (!g.is_object()) {
            errors->add(where + ": must be an object with \"targets\"");
            continue;
        }
        for (auto f = g.begin(); f != g.end(); ++f)
            if (f.key() != "targets" && f.key() != "labels") errors->add(where + ": unknown field \"" + f.key() + "\"");
        std::map<std::string, std::string> labels;
        if (auto l = g.find("labels"); l != g.end()) read_labels(*l, where, &labels, errors, true);
        std::string path = "/metrics";
        if (auto p = labels.find("__metrics_path__"); p != labels.end()) {
            if (!valid_metrics_path(p->second)) errors->add(where + ": \"__metrics_path__\" must be a path starting with /");
            path = p->second;
        }
        for (auto it = labels.begin(); it != labels.end();)  // Prometheus drops "__" labels after discovery
            it = it->first.rfind("__", 0) == 0 ? labels.erase(it) : std::next(it);
        auto ts = g.find("targets");
        if (ts == g.end() || !ts->is_array()) {
            errors->add(where + ": needs \"targets\", an array of \"host:port\"");
            continue;
        }
        for (std::size_t k = 0; k < ts->size(); ++k) {
            const std::string at = where + ".targets[" + std::to_string(k) + "]";
            const json& a = (*ts)[k];
            if (!a.is_string() || !valid_address(a.get<std::string>(), nullptr)) {
                errors->add(at + ": must be host:port (or [v6]:port), port 1-65535");
                continue;
            }
            ScrapeTarget t;
            t.address = a.get<std::string>();
            t.metrics_path = path;
            t.labels = labels;
            t.profile = source.profile;
            t.interval_s = source.interval_s;
            t.mappings = source.mappings;
            t.origin = at;
            if (check_target(t, errors)) found.push_back(std::move(t));
        }
    }
    if (errors->count != before) return false;
    for (auto& t : found) out->push_back(std::move(t));
    return true;
}

bool resolve_host_ids(std::vector<ScrapeTarget>* targets, ConfigErrors* errors) {
    const std::size_t before = errors->count;
    std::map<std::string, int> host_uses;
    for (const auto& t : *targets) {
        std::string host;
        if (valid_address(t.address, &host)) ++host_uses[host];
    }
    std::map<std::string, std::string> ids, endpoints;  // -> origin
    for (auto& t : *targets) {
        if (t.host_id.empty()) {
            std::string host;
            valid_address(t.address, &host);
            if (auto inst = t.labels.find("instance"); inst != t.labels.end() && valid_host_id(inst->second))
                t.host_id = inst->second;
            else if (host_uses[host] == 1)
                t.host_id = host;   // "db-01:9100" shows as "db-01"
            else
                t.host_id = t.address;  // two exporters on one host stay apart
        }
        if (t.name.empty()) t.name = t.host_id;
        if (!valid_host_id(t.host_id)) {  // an address of a 253-byte name and its port, a long [v6] one
            errors->add(t.origin + ": host id \"" + t.host_id + "\" (from the address) is over " +
                        std::to_string(page_limits.max_name_bytes) + " bytes: give \"host\"");
            continue;
        }
        if (t.host_id == "local") {
            errors->add(t.origin + ": host id \"local\" is the hub's own host");
            continue;
        }
        if (auto [it, fresh] = ids.emplace(t.host_id, t.origin); !fresh)
            errors->add(t.origin + ": host id \"" + t.host_id + "\" is also " + it->second + "'s");
        if (auto [it, fresh] = endpoints.emplace(t.address + t.metrics_path, t.origin); !fresh)
            errors->add(t.origin + ": " + t.address + t.metrics_path + " is scraped by " + it->second + " already");
    }
    return errors->count == before;
}

}  // namespace vigil::hub::sources
