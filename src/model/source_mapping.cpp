// A backend's own JSON mapped to per-host samples (see the header).
#include "model/source_mapping.h"

#include "model/source_time.h"
#include "protocol/decode_limits.h"
#include "protocol/nesting_scan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vigil::model {

namespace {
constexpr std::size_t kMaxDepth = protocol::DecodeLimits{}.max_depth;
}

using nlohmann::json;

namespace {

std::string shown_value(const json& v) {
    std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
    return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

struct Errors {
    std::vector<ConfigError>& out;
    bool ok = true;  // no error that makes the source unusable
    void add(std::string key, std::string message, bool fatal) {
        out.push_back({std::move(key), std::move(message)});
        if (fatal) ok = false;
    }
};

std::optional<JsonPath> read_path(Errors& e, const json& v, const std::string& key, bool wildcard_ok, bool fatal) {
    if (!v.is_string()) {
        e.add(key, "expected a path string such as \"/servers/*\", got " + shown_value(v), fatal);
        return std::nullopt;
    }
    std::string why;
    auto p = parse_json_path(v.get_ref<const std::string&>(), why);
    if (!p) {
        e.add(key, why + ", got " + shown_value(v), fatal);
        return std::nullopt;
    }
    if (!wildcard_ok && p->has_wildcard()) {
        e.add(key, "a '*' wildcard is only for source.hosts, got " + shown_value(v), fatal);
        return std::nullopt;
    }
    return p;
}

bool read_number(Errors& e, const json& v, const std::string& key, double lo, double hi, double& out) {
    if (v.is_number() && v.get<double>() >= lo && v.get<double>() <= hi) {
        out = v.get<double>();
        return true;
    }
    char buf[96];
    std::snprintf(buf, sizeof buf, "expected a number between %g and %g, got ", lo, hi);
    e.add(key, buf + shown_value(v), false);
    return false;
}

void read_heartbeat(Errors& e, const json& v, SourceConfig& c) {
    if (!v.is_object()) return e.add("source.heartbeat", "expected an object, got " + shown_value(v), false);
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string key = "source.heartbeat." + it.key();
        if (it.key() == "send") {
            if (it->is_string() && it->get_ref<const std::string&>().size() <= 1024) c.heartbeat_send = it->get<std::string>();
            else e.add(key, "expected a text of at most 1024 bytes, got " + shown_value(*it), false);
        } else if (it.key() == "every_ms") read_number(e, *it, key, 500, 600000, c.heartbeat_every_ms);
        else if (it.key() == "dead_after_ms") read_number(e, *it, key, 1000, 3600000, c.dead_after_ms);
        else e.add(key, "unknown key (ignored)", false);
    }
    if (c.dead_after_ms > 0 && !c.heartbeat_send.empty() && c.dead_after_ms <= c.heartbeat_every_ms) {
        e.add("source.heartbeat", "expected dead_after_ms greater than every_ms; using 3 x every_ms", false);
        c.dead_after_ms = 0;
    }
}

void read_alive(Errors& e, const json& v, SourceConfig& c) {
    const std::string expected = "expected {\"text\": \"pong\"}, {\"field\": \"/type\", \"equals\": \"pong\"} or {\"any\": true}";
    if (!v.is_object()) return e.add("source.alive", expected + ", got " + shown_value(v), false);
    const bool text = v.contains("text"), field = v.contains("field"), any = v.contains("any");
    if (text + field + any != 1) return e.add("source.alive", expected + ", got " + shown_value(v), false);
    for (auto it = v.begin(); it != v.end(); ++it)
        if (it.key() != "text" && it.key() != "field" && it.key() != "equals" && it.key() != "any")
            e.add("source.alive." + it.key(), "unknown key (ignored)", false);
    if (text) {
        const json& t = v["text"];
        if (!t.is_string() || t.get_ref<const std::string&>().empty())
            return e.add("source.alive.text", "expected a non-empty text, got " + shown_value(t), false);
        c.alive = AliveRule::text;
        c.alive_text = t.get<std::string>();
    } else if (field) {
        if (!v.contains("equals")) return e.add("source.alive.equals", "missing: the value the field must have", false);
        auto p = read_path(e, v["field"], "source.alive.field", false, false);
        if (!p) return;
        c.alive = AliveRule::field;
        c.alive_field = std::move(*p);
        c.alive_equals = v["equals"];
    } else if (v["any"] != json(true)) {
        e.add("source.alive.any", "expected true, got " + shown_value(v["any"]), false);
    }
    if (!field && v.contains("equals")) e.add("source.alive.equals", "only with \"field\" (ignored)", false);
}

}  // namespace

double SourceConfig::dead_after() const {
    if (dead_after_ms > 0) return dead_after_ms;
    // Without a heartbeat nothing asks a quiet backend: wait long enough that STALE (3 intervals)
    // is what the screen says first, and reconnect only after a long silence.
    if (heartbeat_send.empty()) return std::max(30000.0, 10 * interval_ms);
    return 3 * heartbeat_every_ms;
}

SourceConfig parse_source_config(const json& v, std::vector<ConfigError>& errors) {
    SourceConfig c;
    c.present = true;
    Errors e{errors};
    if (!v.is_object()) {
        e.add("source", "expected an object with url, hosts, id and values, got " + shown_value(v), true);
        return c;
    }
    bool has_hosts = false, has_id = false, has_values = false, has_url = false;
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string& k = it.key();
        const std::string key = "source." + k;
        const json& x = *it;
        if (k == "url") {
            const bool ok = x.is_string() && x.get_ref<const std::string&>().size() <= 2048 &&
                            (x.get_ref<const std::string&>().rfind("ws://", 0) == 0 ||
                             x.get_ref<const std::string&>().rfind("wss://", 0) == 0);
            if (ok) {
                c.url = x.get<std::string>();
                has_url = true;
            } else e.add(key, "expected a ws:// or wss:// URL, got " + shown_value(x), true);
        } else if (k == "hosts") {
            if (auto p = read_path(e, x, key, true, true)) {
                c.hosts = std::move(*p);
                has_hosts = true;
            }
        } else if (k == "id") {
            if (x == json("@key")) {
                c.id_is_key = true;
                has_id = true;
            } else if (auto p = read_path(e, x, key, false, true)) {
                c.id = std::move(*p);
                has_id = true;
            }
        } else if (k == "values") {
            if (!x.is_object() || x.empty() || x.size() > SourceConfig::kMaxValuesPerHost) {
                e.add(key, "expected an object of 1 to " + std::to_string(SourceConfig::kMaxValuesPerHost) +
                               " metric keys, each a path, got " + shown_value(x), true);
                continue;
            }
            for (auto m = x.begin(); m != x.end(); ++m) {
                if (m.key().empty() || m.key().size() > 64) {
                    e.add(key + "." + m.key(), "expected a metric key of 1 to 64 bytes", false);
                    continue;
                }
                if (auto p = read_path(e, *m, key + "." + m.key(), false, false)) c.values.emplace_back(m.key(), std::move(*p));
            }
            has_values = !c.values.empty();
            if (!has_values) e.add(key, "no usable value path", true);
        } else if (k == "time") {
            c.time = read_path(e, x, key, false, false);
        } else if (k == "time_unit") {
            static const std::pair<const char*, double> units[] = {{"s", 1000}, {"ms", 1}, {"us", 1e-3}, {"ns", 1e-6}};
            bool ok = false;
            for (const auto& [name, scale] : units)
                if (x == json(name)) {
                    c.time_to_ms = scale;
                    ok = true;
                }
            if (!ok) e.add(key, "expected \"s\", \"ms\", \"us\" or \"ns\", got " + shown_value(x), false);
        } else if (k == "heartbeat") read_heartbeat(e, x, c);
        else if (k == "alive") read_alive(e, x, c);
        else if (k == "interval_ms") read_number(e, x, key, 100, 600000, c.interval_ms);
        else e.add(key, "unknown key (ignored)", false);
    }
    if (!has_url && !v.contains("url")) e.add("source.url", "missing: the backend's ws:// or wss:// URL", true);
    if (!has_hosts && !v.contains("hosts")) e.add("source.hosts", "missing: the path of the hosts (\"\" when each message is one host)", true);
    if (!has_id && !v.contains("id")) e.add("source.id", "missing: the path of each host's id, or \"@key\"", true);
    if (!has_values && !v.contains("values")) e.add("source.values", "missing: {\"cpu\": \"/cpu\", ...}", true);
    if (c.id_is_key && has_hosts && !c.hosts.has_wildcard())
        e.add("source.id", "\"@key\" needs a '*' in source.hosts (the member name it matched is the id)", true);
    if (c.alive != AliveRule::any && c.heartbeat_send.empty())
        e.add("source.alive", "a reply rule needs source.heartbeat.send (nothing would be answered)", false);
    c.usable = e.ok && has_url && has_hosts && has_id && has_values;
    return c;
}

SourceMessage map_source_message(const SourceConfig& c, std::string_view text) {
    SourceMessage m;
    const auto unmatched = [&](std::string why) {
        m.unmatched = true;
        m.problem = std::move(why);
        return m;
    };
    if (text.size() > SourceConfig::kMaxMessageBytes)
        return unmatched("message of " + std::to_string(text.size()) + " bytes, over the limit of " +
                         std::to_string(SourceConfig::kMaxMessageBytes));
    if (c.alive == AliveRule::text && text == c.alive_text) {
        m.alive = true;
        return m;
    }
    m.alive = c.alive == AliveRule::any;
    // Bounded before parsing, as the hub's own messages are (DecodeLimits::max_depth): nlohmann's
    // parser and dump() recurse, and 1 MiB of '[' would overflow the wasm stack.
    if (protocol::json_nesting_depth(text, kMaxDepth) > kMaxDepth)
        return unmatched("nested deeper than " + std::to_string(kMaxDepth) + " arrays/objects");
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) return unmatched("not JSON");
    if (c.alive == AliveRule::field) {
        const json* f = resolve(doc, c.alive_field);
        if (f && *f == c.alive_equals) {
            m.alive = true;
            return m;
        }
    }
    const auto note = [&](std::string why) {
        if (m.problem.empty()) m.problem = std::move(why);
    };
    if (c.time) {
        if (const json* t = resolve(doc, *c.time)) {
            // A number in time_unit, or RFC 3339 text; anything else is refused (counted, named) and
            // the message's hosts are read at arrival time, as without a time.
            std::string why;
            if (t->is_number()) m.time_ms = t->get<double>() * c.time_to_ms;
            else if (!t->is_string()) why = "not a number or an RFC 3339 text";
            else if (auto ms = parse_rfc3339_ms(t->get_ref<const std::string&>(), why)) m.time_ms = *ms;
            if (!why.empty()) {
                m.bad_time = true;
                note("time at " + c.time->text + " " + shown_value(*t) + ": " + why);
            }
        }
    }
    const std::size_t found = expand(doc, c.hosts, SourceConfig::kMaxHostsPerMessage, [&](const json& h, const std::string* member) {
        if (!h.is_object()) {
            ++m.skipped_hosts;
            return note("a host at " + c.hosts.text + " is not an object: " + shown_value(h));
        }
        protocol::HostSamples s;
        if (c.id_is_key) {
            if (!member) {
                ++m.skipped_hosts;
                return note("id \"@key\": a host in an array has no member name");
            }
            s.host = *member;
        } else if (const json* id = resolve(h, c.id); id && id->is_string()) {
            s.host = id->get<std::string>();
        } else if (id && id->is_number_integer()) {
            s.host = id->dump();
        } else {
            ++m.skipped_hosts;
            return note("id at " + c.id.text + (id ? " is not a text: " + shown_value(*id) : " missing"));
        }
        if (s.host.empty() || s.host.size() > SourceConfig::kMaxIdBytes) {
            ++m.skipped_hosts;
            return note("id of " + std::to_string(s.host.size()) + " bytes: expected 1 to " +
                        std::to_string(SourceConfig::kMaxIdBytes));
        }
        for (const auto& [key, path] : c.values) {
            const json* v = resolve(h, path);
            if (!v) continue;  // no reading: that metric goes stale on its own
            if (v->is_number()) s.values.emplace_back(key, v->get<double>());
            else {
                ++m.skipped_values;
                note(s.host + ": " + key + " at " + path.text + " is not a number: " + shown_value(*v));
            }
        }
        if (s.values.empty()) {
            ++m.skipped_hosts;
            return note(s.host + ": no number at any value path");
        }
        m.hosts.push_back(std::move(s));
    });
    if (found > SourceConfig::kMaxHostsPerMessage) {
        m.skipped_hosts += found - SourceConfig::kMaxHostsPerMessage;
        note(std::to_string(found) + " hosts in one message, over the limit of " +
             std::to_string(SourceConfig::kMaxHostsPerMessage));
    }
    if (m.hosts.empty()) {
        m.unmatched = true;
        if (found == 0) m.problem = "nothing at " + (c.hosts.text.empty() ? std::string("\"\"") : c.hosts.text);
    }
    return m;
}

}  // namespace vigil::model
