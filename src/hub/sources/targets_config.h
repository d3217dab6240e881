// The hub's scrape targets: its own JSON config and Prometheus file_sd files, parsed and validated
// into one list, with errors that name the entry and the field. No I/O: the caller reads files.
// Implemented features:
//  [X] targets: address, metrics_path, host, name, labels, profile (node|windows|none), interval_s, mappings
//  [X] config-wide interval_s and mappings (a target's mapping replaces a config one of its key)
//  [X] file_sd entries ({"targets": [...], "labels": {...}}) with the file's profile and interval
//  [X] host ids: "host", else the `instance` label, else the address without its port when no
//      other target shares that host name, else the whole address; duplicates and "local" refused
//  [ ] https, basic auth, relabelling
#pragma once

#include "hub/sources/series_mapping.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hub::sources {

// node: node_exporter's names; windows: windows_exporter's; none: the mappings only.
enum class TargetProfile { node, windows, none };

struct ScrapeTarget {
    std::string address;                 // host:port ([v6]:port)
    std::string metrics_path = "/metrics";
    std::string host_id;                 // as the screen knows the host
    std::string name;                    // display name; defaults to host_id
    std::map<std::string, std::string> labels;  // site, rack, role, ... (label names as Prometheus's)
    TargetProfile profile = TargetProfile::node;
    double interval_s = 0;               // the config's when not overridden
    std::vector<SeriesMapping> mappings; // config-wide ones first, then the target's
    std::string origin;                  // "targets[2]", "nodes.json[0].targets[1]": for logs and errors
};

// A file_sd file named by the config; the caller reads `path` and calls parse_file_sd.
struct FileSdSource {
    std::string path;
    TargetProfile profile = TargetProfile::node;
    double interval_s = 0;
    std::vector<SeriesMapping> mappings;
};

struct TargetsConfig {
    double interval_s = 5;  // default scrape interval
    std::vector<ScrapeTarget> targets;
    std::vector<FileSdSource> file_sd;
};

struct ConfigErrors {
    std::vector<std::string> messages;  // each names the entry and field; at most max_messages
    std::size_t count = 0;
    static constexpr std::size_t max_messages = 20;
    void add(std::string m);
    bool empty() const { return count == 0; }
};

constexpr double min_interval_s = 0.5, max_interval_s = 3600;

// The hub's targets config:
// {"interval_s": 5, "mappings": [...], "targets": [{"address": "db-01:9100", ...}],
//  "file_sd": [{"path": "sd/nodes.json", "profile": "node", "interval_s": 10, "mappings": [...]}]}
// Host ids are not resolved here (file_sd targets join first): call resolve_host_ids().
// `default_interval_s` is the interval when the config names none (the hub passes its frame interval).
std::optional<TargetsConfig> parse_targets_config(std::string_view json_text, ConfigErrors* errors,
                                                  double default_interval_s = 5);

// A Prometheus file_sd file: [{"targets": ["db-01:9100"], "labels": {"site": "A"}}]. Labels
// "__metrics_path__" and "instance" are used as Prometheus does; other "__" labels are dropped.
// Appends to `out`; `source.path` names the file in errors.
bool parse_file_sd(std::string_view json_text, const FileSdSource& source,
                   std::vector<ScrapeTarget>* out, ConfigErrors* errors);

// Fills the host ids left empty (rule above), then names, and refuses duplicate ids, duplicate
// address+path pairs and the id "local" (the hub's own host).
bool resolve_host_ids(std::vector<ScrapeTarget>* targets, ConfigErrors* errors);

// "host:port" or "[v6]:port" with a port 1-65535; the host part (without brackets) in `host`.
bool valid_address(std::string_view address, std::string* host);

}  // namespace vigil::hub::sources
