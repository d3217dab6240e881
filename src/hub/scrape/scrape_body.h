// One response body of a target read into the screen's values: the exposition parsed, the node
// profile and the mappings fed, bad lines counted with the first kept. Pure (the time comes in).
#pragma once

#include "hub/sources/exposition_parser.h"
#include "hub/sources/host_values.h"
#include "hub/sources/node_profile.h"
#include "hub/sources/series_mapping.h"

#include <string>
#include <string_view>
#include <vector>

namespace vigil::hub::scrape {

struct BodyReading {
    // false: the scrape failed and the host is DOWN with `reason` ("unreadable body: ..."): a fatal
    // parse error (the body is incomplete), or bad lines and not one good series (not exposition text).
    bool readable = true;
    std::string reason;
    std::size_t series = 0;     // good series read (histograms and summaries not counted)
    std::size_t samples = 0;    // sample lines in the body: `series`, histograms/summaries, skipped
    std::size_t bad_lines = 0;  // lines rejected by the parser
    std::string first_error;    // "line 3: invalid_value near \"12x\"" ("" when none)
    sources::HostValues values; // profile's keys, a mapping's key replacing the profile's of that name
};

// `profile` may be null (profile "none": mappings only). The response completed at `now_s`.
// `read_only` (may be null: every line read in full): the names the profile and the mappings
// read, from read_names(); the parser passes over the other lines cheaply.
BodyReading read_exposition(sources::ExpositionParser& parser, sources::NodeProfile* profile,
                            sources::SeriesMappings& mappings, std::string_view body, double now_s,
                            const sources::MetricNameSet* read_only = nullptr);

// The cpuN keys a node profile may send beside `mappings` mappings: what is left of the page's
// max_metrics keys per host after the profile's fixed keys and the mappings' (the targets config
// refuses more mappings than fit: targets_config.cpp check_target).
std::size_t core_key_room(std::size_t mappings);

// Every metric name the profile (may be null) and the mappings read.
sources::MetricNameSet read_names(const sources::NodeProfile* profile, const sources::SeriesMappings& mappings);

// The catalog entries of a target: the profile's (what its last scrape had) with the mappings'
// before its cpuN keys (a mapping's key replaces the profile's entry of that key).
std::vector<protocol::MetricInfo> target_metrics(const sources::NodeProfile* profile,
                                                 const sources::SeriesMappings& mappings);

}  // namespace vigil::hub::scrape
