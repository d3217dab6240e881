// Page config parsing (see the header).
#include "model/page_config.h"
#include "model/config_value.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace vigil::model {

namespace {

using nlohmann::json;

// The offending value as the error shows it: JSON text, cut short.
std::string shown(const json& v) { return shown_config_value(v); }

std::string quote_text(std::string_view s) {
    std::string out = "\"";
    out += s.size() > 40 ? std::string(s.substr(0, 37)) + "..." : std::string(s);
    return out + "\"";
}

std::string number_text(double d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", d);
    return buf;
}

class Reader {
public:
    explicit Reader(std::vector<ConfigError>& errors) : errors_(errors) {}

    void error(std::string key, std::string message) {
        if (errors_.size() < PageConfig::kMaxErrors) errors_.push_back({std::move(key), std::move(message)});
    }

    // A number in [lo, hi]; `zero_ok`: 0 is also accepted (a switch-off value).
    void number(const json& v, const std::string& key, double lo, double hi, double& out, bool zero_ok = false) {
        const bool ok = v.is_number() && std::isfinite(v.get<double>()) &&
                        ((v.get<double>() >= lo && v.get<double>() <= hi) || (zero_ok && v.get<double>() == 0));
        if (ok) {
            out = v.get<double>();
            return;
        }
        std::string expected = "expected a number between " + number_text(lo) + " and " + number_text(hi);
        if (zero_ok) expected = "expected 0 (off) or a number between " + number_text(lo) + " and " + number_text(hi);
        error(key, expected + ", got " + shown(v));
    }

    void boolean(const json& v, const std::string& key, bool& out) {
        if (v.is_boolean()) out = v.get<bool>();
        else error(key, "expected true or false, got " + shown(v));
    }

    void text(const json& v, const std::string& key, std::size_t max_bytes, std::string& out) {
        if (!v.is_string()) return error(key, "expected a string, got " + shown(v));
        const auto& s = v.get_ref<const std::string&>();
        if (s.size() > max_bytes) return error(key, "expected at most " + std::to_string(max_bytes) + " bytes, got " + std::to_string(s.size()));
        out = s;
    }

    bool object(const json& v, const std::string& key) {
        if (v.is_object()) return true;
        error(key, "expected an object, got " + shown(v));
        return false;
    }

    void unknown(const std::string& key) { error(key, "unknown key (ignored)"); }

private:
    std::vector<ConfigError>& errors_;
};

void read_heartbeat(Reader& r, const json& v, HeartbeatSettings& out) {
    if (!r.object(v, "heartbeat")) return;
    HeartbeatSettings h = out;
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (it.key() == "ping_after_ms") r.number(*it, "heartbeat.ping_after_ms", 500, 600000, h.ping_after_ms);
        else if (it.key() == "dead_after_ms") r.number(*it, "heartbeat.dead_after_ms", 1000, 3600000, h.dead_after_ms);
        else r.unknown("heartbeat." + it.key());
    }
    // Declaring a peer dead before it was even asked would drop healthy links.
    if (h.dead_after_ms <= h.ping_after_ms)
        return r.error("heartbeat", "expected dead_after_ms (" + number_text(h.dead_after_ms) +
                                        ") greater than ping_after_ms (" + number_text(h.ping_after_ms) + ")");
    out = h;
}

void read_backoff(Reader& r, const json& v, BackoffSettings& out) {
    if (!r.object(v, "backoff")) return;
    BackoffSettings b = out;
    for (auto it = v.begin(); it != v.end(); ++it) {
        // 10 ms minimum: the 2,000-reconnect leak test (browser socket_table) needs a fast loop;
        // a real deployment keeps the defaults (backoff.h says why).
        if (it.key() == "base_ms") r.number(*it, "backoff.base_ms", 10, 600000, b.base_ms);
        else if (it.key() == "cap_ms") r.number(*it, "backoff.cap_ms", 10, 3600000, b.cap_ms);
        else r.unknown("backoff." + it.key());
    }
    if (b.cap_ms < b.base_ms)
        return r.error("backoff", "expected cap_ms (" + number_text(b.cap_ms) + ") at least base_ms (" +
                                      number_text(b.base_ms) + ")");
    out = b;
}

void read_thresholds(Reader& r, const json& v, std::map<std::string, Thresholds>& out) {
    if (!r.object(v, "thresholds")) return;
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string key = "thresholds." + it.key();
        if (it.key().empty() || it.key().size() > 64) {
            r.error(key, "expected a metric key of 1 to 64 bytes");
            continue;
        }
        if (!r.object(*it, key)) continue;
        Thresholds t;  // the good fields apply even when a sibling is bad
        for (auto f = it->begin(); f != it->end(); ++f) {
            const bool known = f.key() == "warn" || f.key() == "crit";
            if (!known) {
                r.unknown(key + "." + f.key());
                continue;
            }
            if (!f->is_number() || !std::isfinite(f->get<double>())) {
                r.error(key + "." + f.key(), "expected a number, got " + shown(*f));
                continue;
            }
            (f.key() == "warn" ? t.warn : t.crit) = f->get<double>();
        }
        if (t.warn || t.crit) out[it.key()] = t;
    }
}

// Issue 13's keys in their own block: time zone, burn-in, new-build checks. False: not one of them.
bool read_wall_care(Reader& r, const std::string& k, const json& v, PageConfig& c) {
    if (k == "time_zone") r.text(v, k, 64, c.time_zone);
    else if (k == "update_check_s") r.number(v, k, 10, 86400, c.update_check_s, true);
    // The loader's (web/vigil_loader.js reads them when the module failed or stalled): checked here
    // with the same ranges, so a bad one is named on screen.
    else if (k == "abort_reload_s") r.number(v, k, 1, 86400, c.abort_reload_s);
    else if (k == "abort_reload_max_s") r.number(v, k, 1, 86400, c.abort_reload_max_s);
    else if (k == "burn_in") {
        if (v.is_boolean()) {  // false: off; true: the defaults
            if (!v.get<bool>()) c.burn_in.period_s = 0;
        } else if (v.is_object()) {
            for (auto it = v.begin(); it != v.end(); ++it) {
                if (it.key() == "period_s") r.number(*it, "burn_in.period_s", 1, 3600, c.burn_in.period_s, true);
                else if (it.key() == "amplitude_px") r.number(*it, "burn_in.amplitude_px", 0, 16, c.burn_in.amplitude_px);
                else r.unknown("burn_in." + it.key());
            }
        } else r.error(k, "expected false, true or an object, got " + shown(v));
    } else return false;
    return true;
}

void read_document(Reader& r, const json& doc, PageConfig& c) {
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        const std::string& k = it.key();
        const json& v = *it;
        if (k == "hub") r.text(v, k, 2048, c.hub);
        else if (k == "title") r.text(v, k, PageConfig::kMaxTitleBytes, c.title);
        else if (k == "lang") {
            const auto lang = v.is_string() ? lang_from_code(v.get_ref<const std::string&>()) : std::nullopt;
            if (lang) c.lang = *lang;
            else r.error(k, "expected \"en\" or \"zh-CN\", got " + shown(v));
        } else if (k == "history_s") r.number(v, k, 60, 86400, c.history_s);
        else if (k == "stale_after_intervals") r.number(v, k, 1, 100, c.stale_after_intervals);
        else if (k == "rotate_s") r.number(v, k, 2, 3600, c.rotate_s);
        else if (k == "focus_host") r.text(v, k, PageConfig::kMaxHostIdBytes, c.focus_host);
        else if (k == "kiosk") r.boolean(v, k, c.kiosk);
        else if (k == "debug") r.boolean(v, k, c.debug);
        else if (k == "watchdog_reload_s") r.number(v, k, 10, 86400, c.watchdog_reload_s, true);
        else if (k == "hysteresis_pct") r.number(v, k, 0, 50, c.hysteresis_pct);
        else if (k == "heartbeat") read_heartbeat(r, v, c.heartbeat);
        else if (k == "backoff") read_backoff(r, v, c.backoff);
        else if (k == "thresholds") read_thresholds(r, v, c.thresholds);
        else if (k == "source") {
            std::vector<ConfigError> source_errors;
            c.source = parse_source_config(v, source_errors);
            for (auto& e : source_errors) r.error(std::move(e.key), std::move(e.message));
        } else if (k == "walls") {
            c.walls = parse_walls(v, c.errors, PageConfig::kMaxErrors);
        } else if (read_wall_care(r, k, v, c)) {
        } else r.unknown(k);
    }
}

// ?kiosk=1 / ?kiosk / ?kiosk=true switch on; ?kiosk=0 / false switch off.
void query_flag(Reader& r, const std::map<std::string, std::string>& query, const char* name, bool& out) {
    auto it = query.find(name);
    if (it == query.end()) return;
    const std::string& v = it->second;
    if (v.empty() || v == "1" || v == "true") out = true;
    else if (v == "0" || v == "false") out = false;
    else r.error(std::string("?") + name, "expected 1 or 0, got " + quote_text(v));
}

}  // namespace

PageConfig parse_page_config(std::string_view json_text, const std::map<std::string, std::string>& query) {
    PageConfig c;
    Reader r(c.errors);
    const bool blank = json_text.find_first_not_of(" \t\r\n") == std::string_view::npos;
    if (!blank) {
        const json doc = json::parse(json_text.begin(), json_text.end(), nullptr, false);
        if (doc.is_discarded()) r.error("config.json", "not valid JSON; using the defaults");
        else if (!doc.is_object()) r.error("config.json", "expected a JSON object, got " + shown(doc));
        else read_document(r, doc, c);
    }

    if (auto it = query.find("ws"); it != query.end()) c.hub = it->second;  // checked by the link, which shows why
    if (auto it = query.find("title"); it != query.end()) {
        if (it->second.size() <= PageConfig::kMaxTitleBytes) c.title = it->second;
        else r.error("?title", "expected at most " + std::to_string(PageConfig::kMaxTitleBytes) + " bytes, got " +
                                   std::to_string(it->second.size()));
    }
    if (auto it = query.find("lang"); it != query.end()) {
        if (auto lang = lang_from_code(it->second)) c.lang = *lang;
        else r.error("?lang", "expected \"en\" or \"zh-CN\", got " + quote_text(it->second));
    }
    // ?focus=<host id> pins the focus panel; ?focus= (empty) makes it rotate whatever the config says.
    if (auto it = query.find("focus"); it != query.end()) {
        if (it->second.size() <= PageConfig::kMaxHostIdBytes) c.focus_host = it->second;
        else r.error("?focus", "expected a host id of at most " + std::to_string(PageConfig::kMaxHostIdBytes) +
                                   " bytes, got " + std::to_string(it->second.size()));
    }
    // ?wall=NAME: one of config.json's walls; its title replaces `title` unless ?title= is given.
    if (auto it = query.find("wall"); it != query.end() && !it->second.empty()) {
        if (auto w = c.walls.find(it->second); w != c.walls.end()) {
            c.wall = w->second;
            if (!c.wall.title.empty() && !query.count("title")) c.title = c.wall.title;
        } else {
            std::string known;
            for (const auto& [name, profile] : c.walls) known += (known.empty() ? "" : ", ") + name;
            r.error("?wall", "no wall named " + quote_text(it->second) + " in config.json walls" +
                                 (known.empty() ? std::string(" (it has none)") : " (known: " + known + ")") +
                                 "; showing every host");
        }
    }
    query_flag(r, query, "kiosk", c.kiosk);
    query_flag(r, query, "debug", c.debug);
    return c;
}

}  // namespace vigil::model
