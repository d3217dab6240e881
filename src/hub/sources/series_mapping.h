// User mappings: a key of ours from any series of a scrape, chosen by metric name and label
// matchers (= and !=), read as a gauge or as a rate, several matching series aggregated (sum, max,
// min, avg), with the catalog's label, unit and thresholds. Parsed from JSON (README.md here).
// Implemented features:
//  [X] "key", "metric", "match": ["label=value", "label!=value"], "kind": gauge|rate,
//      "aggregate": sum|max|min|avg, "scale", "label", "unit", "warn", "crit"
//  [X] errors name the mapping's key and the field; unknown fields are errors (typos)
//  [ ] regex matchers (=~, !~): refused with a clear error for now
#pragma once

#include "hub/sources/counter_rates.h"
#include "hub/sources/exposition_parser.h"
#include "hub/sources/host_values.h"

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace vigil::hub::sources {

struct LabelMatcher {
    std::string name;
    bool equal = true;  // = (true) or != (false); an absent label matches as "" (as in PromQL)
    std::string value;
    bool matches(const SeriesView& s) const;
};

enum class MappingKind { gauge, rate };
enum class Aggregation { sum, max, min, avg };

struct SeriesMapping {
    MetricInfo info;  // key, label (default: the key), unit, warn, crit
    std::string metric;
    std::vector<LabelMatcher> match;
    MappingKind kind = MappingKind::gauge;
    Aggregation aggregate = Aggregation::sum;
    double scale = 1;  // applied after aggregation (0..1 ratios -> %: 100)
};

// A metric key of ours: 1-64 bytes of [A-Za-z0-9_.-].
bool valid_metric_key(std::string_view key);

// One mapping from its JSON object; on failure `error` says which key and field.
std::optional<SeriesMapping> parse_series_mapping(const nlohmann::json& j, std::string* error);
// An array of mappings; `where` names it in errors ("mappings", "targets[2].mappings"). A key
// twice in one array is an error.
std::optional<std::vector<SeriesMapping>> parse_series_mappings(const nlohmann::json& j, const std::string& where,
                                                                std::string* error);

// The mappings of one target, evaluated scrape by scrape like NodeProfile.
class SeriesMappings {
public:
    explicit SeriesMappings(std::vector<SeriesMapping> mappings);

    void begin(double now_s);
    void add(const SeriesView& s);
    HostValues finish();  // one value per mapping that matched (a rate: from the second scrape)

    const std::vector<SeriesMapping>& mappings() const { return mappings_; }
    std::vector<MetricInfo> metrics() const;

private:
    struct Acc {
        std::size_t n = 0;
        double sum = 0, max = 0, min = 0;
        void add(double v);
    };
    std::vector<SeriesMapping> mappings_;
    std::map<std::string, std::vector<std::size_t>, std::less<>> by_metric_;
    std::vector<Acc> acc_;
    double now_s_ = 0;
    std::string key_;                   // reused: the rate key of one series
    std::vector<const Label*> sorted_;  // reused: its labels in name order
    CounterRates rates_;
};

}  // namespace vigil::hub::sources
