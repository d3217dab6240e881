// Reading one exposition body into values.
#include "hub/scrape/scrape_body.h"

#include "protocol/decode_limits.h"

#include <algorithm>

namespace vigil::hub::scrape {

using namespace sources;

BodyReading read_exposition(ExpositionParser& parser, NodeProfile* profile, SeriesMappings& mappings,
                            std::string_view body, double now_s, const MetricNameSet* read_only) {
    BodyReading out;
    parser.reset(body, read_only);
    if (profile) profile->begin(now_s);
    mappings.begin(now_s);
    bool fatal = false;
    for (ExpositionEntry e; (e = parser.next()) != ExpositionEntry::end;) {
        if (e == ExpositionEntry::series) {
            const SeriesView s = parser.series();
            ++out.samples;
            // A mapping names its series exactly, so it may read a histogram's or summary's too
            // (`x_count` as a rate is the request rate, `x{quantile="0.99"}` a p99); the profile
            // reads none, and they are not counted in `series`.
            mappings.add(s);
            if (s.kind == MetricKind::histogram || s.kind == MetricKind::summary) continue;
            ++out.series;
            if (profile) profile->add(s);
        } else if (e == ExpositionEntry::error) {
            ++out.bad_lines;
            if (out.first_error.empty()) out.first_error = parser.error().describe();
            fatal = fatal || parser.error().fatal();
        }
    }
    // finish() even when the body is refused: the profile's counters then hold this scrape's
    // readings, and the next good body gives a rate over the real elapsed time.
    HostValues values = profile ? profile->finish() : HostValues{};
    HostValues mapped = mappings.finish();
    out.samples += parser.stats().skipped_samples;
    if (read_only && out.samples > 0 && out.samples == parser.stats().skipped_samples && !fatal) {
        // Not one line read: every sample line was passed over with only its name, the start of
        // its value and its end checked, so whether this is exposition text at all ("Error 500
        // from upstream" passes those checks) is the full parse's verdict. Only bodies that give
        // the profile and the mappings nothing cost this second parse.
        parser.reset(body);
        out.samples = out.bad_lines = 0;
        out.first_error.clear();
        for (ExpositionEntry e; (e = parser.next()) != ExpositionEntry::end;) {
            if (e == ExpositionEntry::series) {
                ++out.samples;
            } else if (e == ExpositionEntry::error) {
                ++out.bad_lines;
                if (out.first_error.empty()) out.first_error = parser.error().describe();
                fatal = fatal || parser.error().fatal();
            }
        }
    }
    if (fatal || (out.bad_lines > 0 && out.samples == 0)) {
        out.readable = false;
        out.reason = "unreadable body: " + out.first_error;
        return out;
    }
    for (auto& kv : mapped) {
        auto same = [&](const auto& v) { return v.first == kv.first; };
        values.erase(std::remove_if(values.begin(), values.end(), same), values.end());
        values.push_back(std::move(kv));
    }
    out.values = std::move(values);
    return out;
}

std::size_t core_key_room(std::size_t mappings) {
    constexpr std::size_t max = protocol::DecodeLimits{}.max_metrics;
    const std::size_t used = NodeProfile::fixed_keys + mappings;
    return used < max ? max - used : 0;
}

MetricNameSet read_names(const NodeProfile* profile, const SeriesMappings& mappings) {
    std::vector<std::string> names;
    if (profile) names = NodeProfile::read_names(profile->kind());
    for (const auto& m : mappings.mappings()) names.push_back(m.metric);
    return MetricNameSet(std::move(names));
}

std::vector<protocol::MetricInfo> target_metrics(const NodeProfile* profile, const SeriesMappings& mappings) {
    std::vector<protocol::MetricInfo> out = profile ? profile->metrics() : std::vector<protocol::MetricInfo>{};
    for (auto& m : mappings.metrics()) {
        auto same = [&](const protocol::MetricInfo& p) { return p.key == m.key; };
        out.erase(std::remove_if(out.begin(), out.end(), same), out.end());
    }
    // The mappings before the profile's cpuN keys (its last entries): the page shows the first
    // FleetLimits::max_metrics_per_host (32) keys of a host, and a 32-core node has 42 without them.
    auto core = std::find_if(out.begin(), out.end(), [](const protocol::MetricInfo& p) { return core_key_number(p.key) >= 0; });
    const auto mapped = mappings.metrics();
    out.insert(core, mapped.begin(), mapped.end());
    return out;
}

}  // namespace vigil::hub::scrape
