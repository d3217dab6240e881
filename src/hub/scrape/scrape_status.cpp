// JSON view of the scrape loop.
#include "hub/scrape/scrape_status.h"

#include <nlohmann/json.hpp>

namespace vigil::hub::scrape {

std::string targets_json(const ScrapeStatus& status) {
    using nlohmann::json;
    json list = json::array();
    for (const auto& t : status.targets()) {
        list.push_back({{"host", t.host},
                        {"address", t.address},
                        {"path", t.path},
                        {"up", t.up},
                        {"reason", t.down ? json(t.reason) : json(nullptr)},
                        {"since", t.down ? json(t.since) : json(nullptr)},
                        {"last_scrape_unix_ms", t.last_scrape_unix_ms ? json(t.last_scrape_unix_ms) : json(nullptr)},
                        {"duration_ms", t.duration_ms},
                        {"series", t.series},
                        {"samples", t.samples},
                        {"errors", t.errors},
                        {"last_error", t.last_error},
                        {"dropped_keys", t.dropped_keys},
                        {"interval_ms", static_cast<std::int64_t>(t.interval_s * 1000 + 0.5)}});
    }
    return list.dump(-1, ' ', false, json::error_handler_t::replace);  // exporters' text is untrusted
}

TargetTotals target_totals(const std::vector<TargetStatus>& targets) {
    TargetTotals out;
    out.total = targets.size();
    for (const auto& t : targets) {
        if (t.up) ++out.up;
        if (t.down) ++out.down;
        out.dropped_keys += t.dropped_keys;
    }
    return out;
}

}  // namespace vigil::hub::scrape
