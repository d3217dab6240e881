// Strict decoding with nlohmann/json. Every accessor is guarded by a type check first:
// under Emscripten exceptions abort, so "catch it later" is not an option.
// Samples frames take a fast path first (samples_scan.h); the DOM decoder here is the
// reference for everything, and decides whatever the fast path gives up on.
#include "protocol/decode.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/decode_reference.h"
#include "protocol/nesting_scan.h"
#include "protocol/samples_scan.h"

namespace vigil::protocol {

namespace {

// ordered_json keeps wire order, so hosts and metrics come out as the hub sent them.
using Json = nlohmann::ordered_json;

Rejection reject(RejectionKind kind, std::string message) { return Rejection{kind, std::move(message)}; }

// Frames decoded by the samples fast path (decode_reference.h). Relaxed: a statistic, and the
// hub may decode on several threads.
std::atomic<std::uint64_t> g_samples_fast_path_hits{0};

// Field access over one object; the first problem is kept and the rest become no-ops,
// so decoders read straight through and check `failed()` once.
class FieldReader {
public:
    FieldReader(const Json& obj, const DecodeLimits& limits, std::string_view where)
        : obj_(obj), limits_(limits), where_(where) {}

    bool failed() const { return error_.has_value(); }
    Rejection take_error() { return std::move(*error_); }

    const Json* find(const char* key) const {
        auto it = obj_.find(key);
        return it == obj_.end() ? nullptr : &*it;
    }

    // A required or optional string; `name_limit` applies max_name_bytes (ids, keys).
    void string(const char* key, std::string& out, bool required, bool name_limit = false) {
        if (failed()) return;
        const Json* j = find(key);
        if (!j) {
            if (required) fail(RejectionKind::bad_field, std::string("missing ") + key);
            return;
        }
        if (!j->is_string()) return fail(RejectionKind::bad_field, std::string(key) + " must be a string");
        const auto& s = j->get_ref<const std::string&>();
        if (name_limit && s.size() > limits_.max_name_bytes) {
            return fail(RejectionKind::too_big, std::string(key) + " is longer than the name limit");
        }
        out = s;
    }

    // A seq: an integer in [0, kMaxSeq]. Floats are refused even when whole: seqs are counted.
    void seq(const char* key, Seq& out, bool required = true) {
        if (failed()) return;
        const Json* j = find(key);
        if (!j) {
            if (required) fail(RejectionKind::bad_field, std::string("missing ") + key);
            return;
        }
        if (!read_seq(*j, out)) fail(RejectionKind::bad_field, std::string(key) + " must be an integer in [0, 2^53)");
    }

    // Any finite number.
    void number(const char* key, double& out) {
        if (failed()) return;
        const Json* j = find(key);
        if (!j) return fail(RejectionKind::bad_field, std::string("missing ") + key);
        if (!read_finite(*j, out)) fail(RejectionKind::bad_field, std::string(key) + " must be a finite number");
    }

    // An optional finite number; null counts as absent.
    void optional_number(const char* key, std::optional<double>& out) {
        if (failed()) return;
        const Json* j = find(key);
        if (!j || j->is_null()) return;
        double d = 0;
        if (!read_finite(*j, d)) return fail(RejectionKind::bad_field, std::string(key) + " must be a finite number");
        out = d;
    }

    // An optional boolean; null counts as absent (false).
    void optional_bool(const char* key, bool& out) {
        if (failed()) return;
        const Json* j = find(key);
        if (!j || j->is_null()) return;
        if (!j->is_boolean()) return fail(RejectionKind::bad_field, std::string(key) + " must be true or false");
        out = j->get<bool>();
    }

    // Milliseconds (times, intervals): any finite number within +-2^53, rounded.
    void whole_ms(const char* key, std::int64_t& out, bool required = true, double min = -kMaxWholeMs) {
        if (failed()) return;
        const Json* j = find(key);
        if (!j) {
            if (required) fail(RejectionKind::bad_field, std::string("missing ") + key);
            return;
        }
        double d = 0;
        if (!read_finite(*j, d) || d < min || d > kMaxWholeMs) {
            return fail(RejectionKind::bad_field, std::string(key) + " must be a finite number of ms in range");
        }
        out = static_cast<std::int64_t>(std::llround(d));
    }

    void small_int(const char* key, int& out, int min, int max) {
        if (failed()) return;
        const Json* j = find(key);
        if (!j) return fail(RejectionKind::bad_field, std::string("missing ") + key);
        if (!j->is_number_integer()) return fail(RejectionKind::bad_field, std::string(key) + " must be an integer");
        // is_number_integer() covers signed and unsigned; compare without narrowing first.
        if (j->is_number_unsigned()) {
            const auto u = j->get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(max)) return fail(RejectionKind::bad_field, std::string(key) + " out of range");
            out = static_cast<int>(u);
            if (out < min) fail(RejectionKind::bad_field, std::string(key) + " out of range");
            return;
        }
        const auto i = j->get<std::int64_t>();
        if (i < min || i > max) return fail(RejectionKind::bad_field, std::string(key) + " out of range");
        out = static_cast<int>(i);
    }

    void fail(RejectionKind kind, std::string message) {
        if (!error_) error_ = reject(kind, std::string(where_) + ": " + message);
    }

    static bool read_finite(const Json& j, double& out) {
        if (!j.is_number()) return false;  // booleans are not numbers in nlohmann either
        const double d = j.get<double>();
        if (!std::isfinite(d)) return false;
        out = d;
        return true;
    }

    static bool read_seq(const Json& j, Seq& out) {
        if (j.is_number_unsigned()) {
            const auto u = j.get<std::uint64_t>();
            if (u > kMaxSeq) return false;
            out = u;
            return true;
        }
        if (j.is_number_integer()) {  // a signed integer: only a non-negative one will do
            const auto i = j.get<std::int64_t>();
            if (i < 0 || static_cast<std::uint64_t>(i) > kMaxSeq) return false;
            out = static_cast<Seq>(i);
            return true;
        }
        return false;
    }

private:
    const Json& obj_;
    const DecodeLimits& limits_;
    std::string_view where_;
    std::optional<Rejection> error_;
};

// Size and depth, checked before any parser sees the text (both directions, both paths).
std::optional<Rejection> check_size_and_depth(std::string_view text, const DecodeLimits& limits) {
    if (text.size() > limits.max_bytes) {
        return reject(RejectionKind::too_big, "message of " + std::to_string(text.size()) +
                                                  " bytes exceeds " + std::to_string(limits.max_bytes));
    }
    if (json_nesting_depth(text, limits.max_depth) > limits.max_depth) {
        return reject(RejectionKind::too_deep, "nesting deeper than " + std::to_string(limits.max_depth));
    }
    return std::nullopt;
}

// JSON, object: after check_size_and_depth(). On success `out` holds the object.
std::optional<Rejection> parse_checked_object(std::string_view text, Json& out) {
    out = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (out.is_discarded()) return reject(RejectionKind::bad_json, "not valid JSON");
    if (!out.is_object()) return reject(RejectionKind::not_object, "expected a JSON object");
    return std::nullopt;
}

// Size, depth, JSON, object: the checks shared by both directions. On success `out` holds the object.
std::optional<Rejection> parse_object(std::string_view text, const DecodeLimits& limits, Json& out) {
    if (auto e = check_size_and_depth(text, limits)) return e;
    return parse_checked_object(text, out);
}

// ---- hub -> page ----

DecodeResult decode_welcome(const Json& j, const DecodeLimits& limits) {
    FieldReader r(j, limits, "welcome");
    Welcome m;
    r.small_int("v", m.v, 1, 1 << 20);
    r.string("epoch", m.epoch, true, true);
    r.seq("head", m.head);
    r.seq("oldest", m.oldest);
    r.string("hub", m.hub, false);
    r.whole_ms("interval_ms", m.interval_ms, true, 0);
    if (r.failed()) return r.take_error();
    if (m.epoch.empty()) return reject(RejectionKind::bad_field, "welcome: epoch is empty");
    return m;
}

std::optional<MetricInfo> decode_metric_info(const Json& j, FieldReader& outer, const DecodeLimits& limits) {
    if (!j.is_object()) {
        outer.fail(RejectionKind::bad_field, "a metric must be an object");
        return std::nullopt;
    }
    FieldReader r(j, limits, "catalog metric");
    MetricInfo m;
    r.string("key", m.key, true, true);
    r.string("label", m.label, false);
    r.string("unit", m.unit, false);
    r.optional_number("warn", m.warn);
    r.optional_number("crit", m.crit);
    if (r.failed()) {
        Rejection e = r.take_error();
        outer.fail(e.kind, e.message);
        return std::nullopt;
    }
    if (m.label.empty()) m.label = m.key;
    return m;
}

// `labels`: optional object of strings (null counts as absent), names and values within the
// name limit, at most max_labels of them.
void decode_labels(FieldReader& hr, const DecodeLimits& limits, std::vector<std::pair<std::string, std::string>>& out) {
    const Json* labels = hr.find("labels");
    if (!labels || labels->is_null()) return;
    if (!labels->is_object()) return hr.fail(RejectionKind::bad_field, "labels must be an object");
    if (labels->size() > limits.max_labels) return hr.fail(RejectionKind::too_big, "too many labels");
    out.reserve(labels->size());
    for (const auto& [k, v] : labels->items()) {
        if (!v.is_string()) return hr.fail(RejectionKind::bad_field, "label '" + k + "' must be a string");
        const auto& text = v.get_ref<const std::string&>();
        if (k.size() > limits.max_name_bytes || text.size() > limits.max_name_bytes)
            return hr.fail(RejectionKind::too_big, "label '" + k + "' is longer than the name limit");
        out.emplace_back(k, text);
    }
}

DecodeResult decode_catalog(const Json& j, const DecodeLimits& limits) {
    FieldReader r(j, limits, "catalog");
    const Json* hosts = r.find("hosts");
    if (!hosts) return reject(RejectionKind::bad_field, "catalog: missing hosts");
    if (!hosts->is_array()) return reject(RejectionKind::bad_field, "catalog: hosts must be an array");
    if (hosts->size() > limits.max_hosts) return reject(RejectionKind::too_big, "catalog: too many hosts");
    Catalog m;
    m.hosts.reserve(hosts->size());
    for (const Json& h : *hosts) {
        if (!h.is_object()) return reject(RejectionKind::bad_field, "catalog: a host must be an object");
        FieldReader hr(h, limits, "catalog host");
        HostInfo host;
        hr.string("id", host.id, true, true);
        hr.string("name", host.name, false);
        const Json* metrics = hr.find("metrics");
        if (!hr.failed() && !metrics) hr.fail(RejectionKind::bad_field, "missing metrics");
        if (!hr.failed() && !metrics->is_array()) hr.fail(RejectionKind::bad_field, "metrics must be an array");
        if (!hr.failed() && metrics->size() > limits.max_metrics) hr.fail(RejectionKind::too_big, "too many metrics");
        if (!hr.failed()) {
            host.metrics.reserve(metrics->size());
            for (const Json& mj : *metrics) {
                auto mi = decode_metric_info(mj, hr, limits);
                if (!mi) break;
                host.metrics.push_back(std::move(*mi));
            }
        }
        if (!hr.failed()) decode_labels(hr, limits, host.labels);
        if (hr.failed()) return hr.take_error();
        if (host.name.empty()) host.name = host.id;
        m.hosts.push_back(std::move(host));
    }
    return m;
}

// The body of a samples frame (t, hosts, down), shared by samples and preview; `where` names
// the message in rejections. nullopt: `m` holds the frame.
std::optional<Rejection> decode_frame(const Json& j, const DecodeLimits& limits, const std::string& where, Samples& m) {
    FieldReader r(j, limits, where);
    r.whole_ms("t", m.t);
    if (r.failed()) return r.take_error();
    const Json* hosts = r.find("hosts");
    if (!hosts) return reject(RejectionKind::bad_field, where + ": missing hosts");
    if (!hosts->is_object()) return reject(RejectionKind::bad_field, where + ": hosts must be an object");
    if (hosts->size() > limits.max_hosts) return reject(RejectionKind::too_big, where + ": too many hosts");
    m.hosts.reserve(hosts->size());
    for (const auto& [host_id, values] : hosts->items()) {
        if (host_id.size() > limits.max_name_bytes) return reject(RejectionKind::too_big, where + ": host id is longer than the name limit");
        if (!values.is_object()) return reject(RejectionKind::bad_field, where + ": values of host '" + host_id + "' must be an object");
        if (values.size() > limits.max_metrics) return reject(RejectionKind::too_big, where + ": too many metrics for host '" + host_id + "'");
        HostSamples hs;
        hs.host = host_id;
        hs.values.reserve(values.size());
        for (const auto& [key, value] : values.items()) {
            if (key.size() > limits.max_name_bytes) return reject(RejectionKind::too_big, where + ": metric key is longer than the name limit");
            double d = 0;
            if (!FieldReader::read_finite(value, d)) {
                return reject(RejectionKind::bad_field, where + ": " + host_id + "." + key + " must be a finite number");
            }
            hs.values.emplace_back(key, d);
        }
        m.hosts.push_back(std::move(hs));
    }
    const Json* down = r.find("down");
    if (down && !down->is_null()) {
        if (!down->is_object()) return reject(RejectionKind::bad_field, where + ": down must be an object");
        if (down->size() > limits.max_hosts) return reject(RejectionKind::too_big, where + ": too many down hosts");
        m.down.reserve(down->size());
        const std::string down_where = where + " down";
        for (const auto& [host_id, d] : down->items()) {
            if (host_id.size() > limits.max_name_bytes) return reject(RejectionKind::too_big, where + ": host id is longer than the name limit");
            if (!d.is_object()) return reject(RejectionKind::bad_field, where + ": down." + host_id + " must be an object");
            FieldReader dr(d, limits, down_where);
            HostDown hd;
            hd.host = host_id;
            dr.string("reason", hd.reason, true);
            dr.whole_ms("since", hd.since);
            if (dr.failed()) return dr.take_error();
            if (hd.reason.size() > limits.max_reason_bytes) hd.reason.resize(limits.max_reason_bytes);
            m.down.push_back(std::move(hd));
        }
    }
    return std::nullopt;
}

DecodeResult decode_samples(const Json& j, const DecodeLimits& limits) {
    static const std::string where = "samples";
    FieldReader r(j, limits, where);
    Samples m;
    r.seq("seq", m.seq);
    if (r.failed()) return r.take_error();
    if (auto e = decode_frame(j, limits, where, m)) return std::move(*e);
    return m;
}

// A preview is a samples frame without seq: a `seq` on the wire is ignored, not checked (the
// preview is not in the journal, so no seq of it could mean anything to the page).
DecodeResult decode_preview(const Json& j, const DecodeLimits& limits) {
    static const std::string where = "preview";
    Preview m;
    if (auto e = decode_frame(j, limits, where, m.frame)) return std::move(*e);
    return m;
}

DecodeResult decode_gap(const Json& j, const DecodeLimits& limits) {
    FieldReader r(j, limits, "gap");
    Gap m;
    r.seq("from", m.from);
    r.seq("to", m.to);
    if (r.failed()) return r.take_error();
    if (m.from > m.to) return reject(RejectionKind::bad_field, "gap: from is after to");
    return m;
}

DecodeResult decode_live(const Json& j, const DecodeLimits& limits) {
    FieldReader r(j, limits, "live");
    Live m;
    r.seq("head", m.head);
    if (r.failed()) return r.take_error();
    return m;
}

DecodeResult decode_alarm(const Json& j, const DecodeLimits& limits) {
    FieldReader r(j, limits, "alarm");
    Alarm m;
    std::string level;
    r.string("host", m.host, true, true);
    r.string("metric", m.metric, true, true);
    r.string("level", level, true);
    r.number("value", m.value);
    r.whole_ms("t", m.t);
    if (r.failed()) return r.take_error();
    auto parsed = alarm_level_from_name(level);
    if (!parsed) return reject(RejectionKind::bad_field, "alarm: level must be ok, warn or crit");
    m.level = *parsed;
    return m;
}

DecodeResult decode_pong(const Json& j, const DecodeLimits& limits) {
    FieldReader r(j, limits, "pong");
    Pong m;
    r.number("t", m.t);
    r.whole_ms("hub_t", m.hub_t, false);  // optional: a backend may echo only `t`
    if (r.failed()) return r.take_error();
    return m;
}

DecodeResult decode_error(const Json& j, const DecodeLimits& limits) {
    FieldReader r(j, limits, "error");
    Error m;
    r.string("code", m.code, true, true);
    r.string("message", m.message, false);
    if (r.failed()) return r.take_error();
    return m;
}

DecodeResult decode_shutdown(const Json& j, const DecodeLimits& limits) {
    FieldReader r(j, limits, "shutdown");
    Shutdown m;
    r.string("reason", m.reason, false);
    r.whole_ms("retry_ms", m.retry_ms, false, 0);
    r.whole_ms("handover_ms", m.handover_ms, false, 0);
    if (r.failed()) return r.take_error();
    return m;
}

DecodeResult decode_legacy(const Json& j, const DecodeLimits& limits) {
    Legacy m;
    for (const auto& [key, value] : j.items()) {
        double d = 0;
        if (!FieldReader::read_finite(value, d)) continue;  // strings, nesting: not shown
        if (m.values.size() >= limits.max_legacy_fields) return reject(RejectionKind::too_big, "legacy: too many numeric fields");
        if (key.size() > limits.max_name_bytes) continue;
        m.values.emplace_back(key, d);
    }
    if (m.values.empty()) return reject(RejectionKind::bad_type, "missing type (and no numeric field for legacy mode)");
    return m;
}

// ---- page -> hub ----

ClientDecodeResult decode_hello(const Json& j, const DecodeLimits& limits) {
    FieldReader r(j, limits, "hello");
    Hello m;
    r.small_int("v", m.v, 1, 1 << 20);
    r.string("build", m.build, false);
    r.string("client", m.client, false, true);
    if (r.failed()) return r.take_error();
    if (const Json* resume = r.find("resume"); resume && !resume->is_null()) {
        if (!resume->is_object()) return reject(RejectionKind::bad_field, "hello: resume must be an object");
        FieldReader rr(*resume, limits, "hello.resume");
        ResumeCursor c;
        rr.string("epoch", c.epoch, true, true);
        rr.seq("seq", c.seq);
        if (rr.failed()) return rr.take_error();
        if (c.epoch.empty()) return reject(RejectionKind::bad_field, "hello.resume: epoch is empty");
        m.resume = std::move(c);
    }
    r.optional_number("history_s", m.history_s);
    r.optional_bool("previews", m.previews);
    if (r.failed()) return r.take_error();
    if (m.history_s && *m.history_s < 0) return reject(RejectionKind::bad_field, "hello: history_s is negative");
    return m;
}

ClientDecodeResult decode_ping(const Json& j, const DecodeLimits& limits) {
    FieldReader r(j, limits, "ping");
    Ping m;
    r.number("t", m.t);
    if (r.failed()) return r.take_error();
    return m;
}

// The `type` of a parsed object: the string, "" when absent, or a rejection when not a string.
std::optional<Rejection> read_type(const Json& j, std::string& type) {
    auto it = j.find("type");
    if (it == j.end()) return std::nullopt;
    if (!it->is_string()) return reject(RejectionKind::bad_type, "type must be a string");
    type = it->get_ref<const std::string&>();
    if (type.empty()) return reject(RejectionKind::bad_type, "type is empty");
    return std::nullopt;
}

}  // namespace

Rejection reject_binary() { return reject(RejectionKind::binary, "binary frames are not part of the protocol"); }

namespace {

// The DOM decode of a hub message whose size and depth were checked.
DecodeResult decode_checked_hub_message(std::string_view text, const DecodeLimits& limits) {
    Json j;
    if (auto e = parse_checked_object(text, j)) return std::move(*e);
    std::string type;
    if (auto e = read_type(j, type)) return std::move(*e);
    if (type.empty()) return decode_legacy(j, limits);
    if (type == "samples") return decode_samples(j, limits);  // the hot one first
    if (type == "preview") return decode_preview(j, limits);  // as hot as samples while it lasts
    if (type == "welcome") return decode_welcome(j, limits);
    if (type == "catalog") return decode_catalog(j, limits);
    if (type == "gap") return decode_gap(j, limits);
    if (type == "live") return decode_live(j, limits);
    if (type == "alarm") return decode_alarm(j, limits);
    if (type == "pong") return decode_pong(j, limits);
    if (type == "error") return decode_error(j, limits);
    if (type == "shutdown") return decode_shutdown(j, limits);
    return reject(RejectionKind::bad_type, "unknown type '" + type.substr(0, 64) + "'");
}

}  // namespace

DecodeResult decode_hub_message(std::string_view text, const DecodeLimits& limits) {
    if (auto e = check_size_and_depth(text, limits)) return std::move(*e);
    DecodeResult result{std::in_place_type<Samples>};
    if (decode_samples_fast(text, limits, std::get<Samples>(result))) {
        g_samples_fast_path_hits.fetch_add(1, std::memory_order_relaxed);
        return result;
    }
    return decode_checked_hub_message(text, limits);
}

DecodeResult decode_hub_message_dom(std::string_view text, const DecodeLimits& limits) {
    if (auto e = check_size_and_depth(text, limits)) return std::move(*e);
    return decode_checked_hub_message(text, limits);
}

std::uint64_t samples_fast_path_hits() { return g_samples_fast_path_hits.load(std::memory_order_relaxed); }

ClientDecodeResult decode_client_message(std::string_view text, const DecodeLimits& limits) {
    Json j;
    if (auto e = parse_object(text, limits, j)) return std::move(*e);
    std::string type;
    if (auto e = read_type(j, type)) return std::move(*e);
    if (type.empty()) return reject(RejectionKind::bad_type, "missing type");
    if (type == "ping") return decode_ping(j, limits);
    if (type == "hello") return decode_hello(j, limits);
    return reject(RejectionKind::bad_type, "unknown type '" + type.substr(0, 64) + "'");
}

}  // namespace vigil::protocol
