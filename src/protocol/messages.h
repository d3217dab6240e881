// The messages of the Vigil wire protocol (PROTOCOL.md), as plain C++ values.
// No JSON here: encode.h turns them into text, decode.h turns text into them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::protocol {

inline constexpr int kProtocolVersion = 1;

// Frame sequence numbers. JSON numbers travel through JavaScript-like peers as doubles,
// so a seq above 2^53 - 1 could not round-trip exactly: the decoder refuses it.
using Seq = std::uint64_t;
inline constexpr Seq kMaxSeq = (Seq{1} << 53) - 1;

// Where a page stands in a hub's journal: seqs are only comparable within one epoch.
struct ResumeCursor {
    std::string epoch;
    Seq seq = 0;
    bool operator==(const ResumeCursor& o) const { return epoch == o.epoch && seq == o.seq; }
};

// ---- page -> hub -------------------------------------------------------------------------

struct Hello {
    int v = kProtocolVersion;
    std::string build;                   // optional on the wire ("" when absent)
    std::string client;                  // optional on the wire ("" when absent)
    std::optional<ResumeCursor> resume;  // "I have everything up to seq of epoch"
    std::optional<double> history_s;     // "backfill this many seconds" (also the fallback
                                         // when resume cannot be honoured)
    bool previews = false;               // "send me previews" (`"previews":true`; absent = false)
    bool operator==(const Hello& o) const {
        return v == o.v && build == o.build && client == o.client && resume == o.resume &&
               history_s == o.history_s && previews == o.previews;
    }
};

struct Ping {
    double t = 0;  // the page's monotonic clock, ms
    bool operator==(const Ping& o) const { return t == o.t; }
};

// ---- hub -> page -------------------------------------------------------------------------

struct Welcome {
    int v = kProtocolVersion;
    std::string epoch;
    Seq head = 0;    // newest seq issued in this epoch (0: none yet)
    Seq oldest = 0;  // oldest seq still retained (0: nothing retained)
    std::string hub;  // hub build, optional on the wire
    std::int64_t interval_ms = 1000;
    bool operator==(const Welcome& o) const {
        return v == o.v && epoch == o.epoch && head == o.head && oldest == o.oldest &&
               hub == o.hub && interval_ms == o.interval_ms;
    }
};

struct MetricInfo {
    std::string key;
    std::string label;  // defaults to key when absent
    std::string unit;   // "" when absent
    std::optional<double> warn;  // thresholds are optional (a byte counter has none)
    std::optional<double> crit;
    bool operator==(const MetricInfo& o) const {
        return key == o.key && label == o.label && unit == o.unit && warn == o.warn &&
               crit == o.crit;
    }
};

struct HostInfo {
    std::string id;
    std::string name;  // defaults to id when absent
    std::vector<MetricInfo> metrics;
    // Grouping labels (site, rack, role...), in wire order; optional on the wire ({} when absent).
    std::vector<std::pair<std::string, std::string>> labels = {};
    bool operator==(const HostInfo& o) const {
        return id == o.id && name == o.name && metrics == o.metrics && labels == o.labels;
    }
};

struct Catalog {
    std::vector<HostInfo> hosts;
    bool operator==(const Catalog& o) const { return hosts == o.hosts; }
};

// One host's values in one frame, in wire order.
struct HostSamples {
    std::string host;
    std::vector<std::pair<std::string, double>> values;  // metric key -> value
    bool operator==(const HostSamples& o) const { return host == o.host && values == o.values; }
};

// A host the hub cannot collect from in this frame (refused, timeout, HTTP error, bad body, no
// push for too long): DOWN, which is not the same as stale (PROTOCOL.md, `samples.down`).
struct HostDown {
    std::string host;
    std::string reason;      // "connection refused", "timeout after 800 ms", "HTTP 503"...
    std::int64_t since = 0;  // Unix ms of the first failure of this outage
    bool operator==(const HostDown& o) const { return host == o.host && reason == o.reason && since == o.since; }
};

struct Samples {
    Seq seq = 0;
    std::int64_t t = 0;  // Unix time, ms
    std::vector<HostSamples> hosts;
    std::vector<HostDown> down = {};  // optional on the wire: hosts that are DOWN in this frame
    bool operator==(const Samples& o) const {
        return seq == o.seq && t == o.t && hosts == o.hosts && down == o.down;
    }
};

// A frame the hub sampled but could not store yet (the JetStream stream has no leader): the
// values to show as latest, never history. No seq on the wire (frame.seq stays 0): it is not
// part of the journal, a resume or a backfill; the stored frame of the same tick fills history.
struct Preview {
    Samples frame;
    bool operator==(const Preview& o) const { return frame == o.frame; }
};

// Frames from..to (inclusive) are lost for good.
struct Gap {
    Seq from = 0;
    Seq to = 0;
    bool operator==(const Gap& o) const { return from == o.from && to == o.to; }
};

// The replay is complete; frames after this one are live and start at head + 1.
struct Live {
    Seq head = 0;
    bool operator==(const Live& o) const { return head == o.head; }
};

enum class AlarmLevel { ok, warn, crit };

struct Alarm {
    std::string host;
    std::string metric;
    AlarmLevel level = AlarmLevel::ok;
    double value = 0;
    std::int64_t t = 0;
    bool operator==(const Alarm& o) const {
        return host == o.host && metric == o.metric && level == o.level && value == o.value &&
               t == o.t;
    }
};

struct Pong {
    double t = 0;            // the page's ping t, echoed
    std::int64_t hub_t = 0;  // hub wall clock, Unix ms (optional on the wire: 0 when absent)
    bool operator==(const Pong& o) const { return t == o.t && hub_t == o.hub_t; }
};

struct Error {
    std::string code;  // a rejection kind name (rejection.h) or a hub policy code
    std::string message;
    bool operator==(const Error& o) const { return code == o.code && message == o.message; }
};

struct Shutdown {
    std::string reason;
    std::int64_t retry_ms = 0;
    // > 0: make before break. The hub keeps this connection live for up to handover_ms more
    // (frames keep coming) while the page opens a second one to the same address, which reaches
    // another hub of the same stream; then it closes 1012 as without it. 0: absent on the wire.
    std::int64_t handover_ms = 0;
    bool operator==(const Shutdown& o) const {
        return reason == o.reason && retry_ms == o.retry_ms && handover_ms == o.handover_ms;
    }
};

// A JSON object without `type` from a backend that speaks no protocol: its top-level numeric
// fields, in wire order, shown as raw values.
struct Legacy {
    std::vector<std::pair<std::string, double>> values;
    bool operator==(const Legacy& o) const { return values == o.values; }
};

const char* alarm_level_name(AlarmLevel level);
std::optional<AlarmLevel> alarm_level_from_name(std::string_view name);

}  // namespace vigil::protocol
