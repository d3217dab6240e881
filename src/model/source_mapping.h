// A page fed by a backend of its own (no Vigil hub): config.json's `source` section says where each
// pushed JSON message keeps the hosts, their ids, the metric values and the time, which heartbeat
// text to send and which reply proves the backend alive. This file reads that section (every bad
// key named, like the rest of config.json) and maps one message to per-host samples. Portable, no I/O.
//
// Implemented features:
//  [X] JSON-Pointer paths with a "*" wildcard (model/json_path.h); "@key": the member name as id
//  [X] the three shapes: an array of hosts, an object keyed by host, one message per host
//  [X] time in s, ms, us or ns, or RFC 3339 text (model/source_time.h); absent or bad: arrival time
//  [X] alive reply: exact text, a JSON field equal to a value, or any message
//  [X] bounds: message bytes, hosts per message, values per host; bad entries counted, good kept
//  [ ] seq and resume: a backend of one's own has none (README says what that means)
#pragma once

#include "model/config_error.h"
#include "model/json_path.h"
#include "protocol/messages.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::model {

enum class AliveRule { any, text, field };

struct SourceConfig {
    bool present = false;  // config.json has a `source` section: the page reads it, not a hub
    bool usable = false;   // url, hosts, id and at least one value are good: the page connects
    std::string url;       // ws:// or wss://
    JsonPath hosts;        // each value it names is one host's object ("": the message is one host)
    bool id_is_key = false;  // "@key": the member name the last "*" of `hosts` matched
    JsonPath id;           // in the host's object
    std::vector<std::pair<std::string, JsonPath>> values;  // metric key -> path in the host's object
    std::optional<JsonPath> time;  // in the message; absent: arrival time
    double time_to_ms = 1;         // numbers: time_unit "s" 1000, "ms" 1, "us" 0.001, "ns" 1e-6 (text: RFC 3339)
    std::string heartbeat_send;    // "" = send nothing
    double heartbeat_every_ms = 20000;
    double dead_after_ms = 0;      // 0: derived (3 x every_ms, or 3 x interval_ms without a heartbeat)
    AliveRule alive = AliveRule::any;
    std::string alive_text;        // AliveRule::text: the whole message equals this
    JsonPath alive_field;          // AliveRule::field: this value equals alive_equals
    nlohmann::json alive_equals;
    double interval_ms = 1000;     // how often the backend pushes: freshness and staleness

    // The heartbeat's deadline as the link uses it.
    double dead_after() const;

    static constexpr std::size_t kMaxMessageBytes = 1 << 20;
    static constexpr std::size_t kMaxHostsPerMessage = 512;   // the fleet's own host limit
    static constexpr std::size_t kMaxValuesPerHost = 32;      // the fleet's own metric limit
    static constexpr std::size_t kMaxIdBytes = 256;           // the protocol's limit on ids
};

// The `source` value of config.json. Errors are keyed "source", "source.hosts", "source.values.cpu"...
SourceConfig parse_source_config(const nlohmann::json& v, std::vector<ConfigError>& errors);

struct SourceMessage {
    bool alive = false;    // the reply that proves liveness (a text or field reply is nothing else)
    bool unmatched = false;  // not the reply, and no host could be taken from it
    std::vector<protocol::HostSamples> hosts;
    std::optional<double> time_ms;  // Unix ms from `time`
    bool bad_time = false;           // `time` named a value that is neither a number nor RFC 3339 text
    std::size_t skipped_hosts = 0;   // host entries left out (no id, not an object, no value, over the limit)
    std::size_t skipped_values = 0;  // values that are not numbers
    std::string problem;  // why unmatched, else why the first entry or value was left out ("" none)
};

// One pushed text message through the mapping. Never throws; bad input is described in `problem`.
SourceMessage map_source_message(const SourceConfig& config, std::string_view text);

}  // namespace vigil::model
