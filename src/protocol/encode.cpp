// Encoding with nlohmann::ordered_json: fields come out in the order PROTOCOL.md shows them.
#include "protocol/encode.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace vigil::protocol {

namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& j) {
    // replace: invalid UTF-8 becomes U+FFFD instead of a type_error exception.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool finite(double d) { return std::isfinite(d); }

Json object_of(const char* type) {
    Json j = Json::object();
    j["type"] = type;
    return j;
}

}  // namespace

std::string encode(const Hello& m) {
    if (m.history_s && (!finite(*m.history_s) || *m.history_s < 0)) return {};
    if (m.resume && m.resume->seq > kMaxSeq) return {};
    Json j = object_of("hello");
    j["v"] = m.v;
    if (!m.build.empty()) j["build"] = m.build;
    if (!m.client.empty()) j["client"] = m.client;
    if (m.resume) j["resume"] = Json{{"epoch", m.resume->epoch}, {"seq", m.resume->seq}};
    if (m.history_s) j["history_s"] = *m.history_s;
    if (m.previews) j["previews"] = true;  // only when asked: an old hub's view of hello is unchanged
    return dump(j);
}

std::string encode(const Ping& m) {
    if (!finite(m.t)) return {};
    Json j = object_of("ping");
    j["t"] = m.t;
    return dump(j);
}

std::string encode(const Welcome& m) {
    if (m.head > kMaxSeq || m.oldest > kMaxSeq) return {};
    Json j = object_of("welcome");
    j["v"] = m.v;
    j["epoch"] = m.epoch;
    j["head"] = m.head;
    j["oldest"] = m.oldest;
    if (!m.hub.empty()) j["hub"] = m.hub;
    j["interval_ms"] = m.interval_ms;
    return dump(j);
}

std::string encode(const Catalog& m) {
    Json j = object_of("catalog");
    Json hosts = Json::array();
    for (const auto& h : m.hosts) {
        Json metrics = Json::array();
        for (const auto& mi : h.metrics) {
            Json mj = Json::object();
            mj["key"] = mi.key;
            mj["label"] = mi.label.empty() ? mi.key : mi.label;
            mj["unit"] = mi.unit;
            if (mi.warn && finite(*mi.warn)) mj["warn"] = *mi.warn;
            if (mi.crit && finite(*mi.crit)) mj["crit"] = *mi.crit;
            metrics.push_back(std::move(mj));
        }
        Json hj = Json::object();
        hj["id"] = h.id;
        hj["name"] = h.name.empty() ? h.id : h.name;
        hj["metrics"] = std::move(metrics);
        if (!h.labels.empty()) {
            Json labels = Json::object();
            for (const auto& [k, v] : h.labels) labels[k] = v;
            hj["labels"] = std::move(labels);
        }
        hosts.push_back(std::move(hj));
    }
    j["hosts"] = std::move(hosts);
    return dump(j);
}

namespace {

// A samples frame's fields after type and seq: shared by samples and preview.
void put_frame(Json& j, const Samples& m) {
    j["t"] = m.t;
    Json hosts = Json::object();
    for (const auto& h : m.hosts) {
        Json values = Json::object();
        for (const auto& [key, value] : h.values) {
            if (finite(value)) values[key] = value;
        }
        hosts[h.host] = std::move(values);
    }
    j["hosts"] = std::move(hosts);
    if (!m.down.empty()) {
        Json down = Json::object();
        for (const auto& d : m.down) down[d.host] = Json{{"reason", d.reason}, {"since", d.since}};
        j["down"] = std::move(down);
    }
}

}  // namespace

std::string encode(const Samples& m) {
    if (m.seq > kMaxSeq) return {};
    Json j = object_of("samples");
    j["seq"] = m.seq;
    put_frame(j, m);
    return dump(j);
}

std::string encode_preview(const Samples& s) {
    Json j = object_of("preview");
    put_frame(j, s);
    return dump(j);
}

std::string encode(const Gap& m) {
    if (m.from > m.to || m.to > kMaxSeq) return {};
    Json j = object_of("gap");
    j["from"] = m.from;
    j["to"] = m.to;
    return dump(j);
}

std::string encode(const Live& m) {
    if (m.head > kMaxSeq) return {};
    Json j = object_of("live");
    j["head"] = m.head;
    return dump(j);
}

std::string encode(const Alarm& m) {
    if (!finite(m.value)) return {};
    Json j = object_of("alarm");
    j["host"] = m.host;
    j["metric"] = m.metric;
    j["level"] = alarm_level_name(m.level);
    j["value"] = m.value;
    j["t"] = m.t;
    return dump(j);
}

std::string encode(const Pong& m) {
    if (!finite(m.t)) return {};
    Json j = object_of("pong");
    j["t"] = m.t;
    j["hub_t"] = m.hub_t;
    return dump(j);
}

std::string encode(const Error& m) {
    Json j = object_of("error");
    j["code"] = m.code;
    j["message"] = m.message;
    return dump(j);
}

std::string encode(const Shutdown& m) {
    Json j = object_of("shutdown");
    j["reason"] = m.reason;
    j["retry_ms"] = m.retry_ms;
    if (m.handover_ms > 0) j["handover_ms"] = m.handover_ms;  // a single hub's shutdown is as before
    return dump(j);
}

std::string encode(const Legacy& m) {
    Json j = Json::object();
    for (const auto& [key, value] : m.values) {
        if (finite(value)) j[key] = value;
    }
    return dump(j);
}

}  // namespace vigil::protocol
