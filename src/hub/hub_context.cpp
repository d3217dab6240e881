// The hub's shared state: the JSON views of it served on /healthz and /stats/connects.
#include "hub/hub_context.h"

#include <nlohmann/json.hpp>

namespace vigil::hub {

std::int64_t unix_ms_now() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::vector<std::string> health_problems(const HubContext& hub, std::chrono::steady_clock::time_point now) {
    std::vector<std::string> out;
    if (hub.shutting_down) out.push_back("shutting down");
    if (hub.handover_ms > 0) out.push_back("handing over its screens (stopping)");
    const auto& c = hub.counters;
    if (c.consecutive_append_failures > 0)
        out.push_back("journal appends failing (" + std::to_string(c.consecutive_append_failures) +
                      " frames not journaled, not sent): " + c.last_append_error);
    const auto stall_after = 3 * std::chrono::milliseconds(hub.options.interval_ms) + std::chrono::seconds(1);
    if (now - hub.last_sample > stall_after) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - hub.last_sample).count();
        out.push_back("sampling stalled: no sample for " + std::to_string(ms) + " ms (interval " +
                      std::to_string(hub.options.interval_ms) + " ms)");
    }
    return out;
}

std::string healthz_json(const HubContext& hub, const std::vector<std::string>& problems) {
    using nlohmann::json;
    const auto& c = hub.counters;
    json per_client = json::object();
    for (auto& [id, e] : hub.census.entries()) per_client[id] = {{"current", e.current}, {"peak", e.peak}};
    json rejected = json::object();
    for (auto& [name, n] : c.rejected.by_name()) rejected[std::string(name)] = n;
    double uptime_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - hub.started).count();
    json j = {
        {"ok", problems.empty()},
        {"problems", problems},
        {"quarantined", hub.journal.quarantined()},
        {"hello_timeouts", c.hello_timeouts},
        {"held_hellos", c.held_hellos},
        {"previews_shown", c.previews_shown},
        {"previews_sent", c.previews_sent},
        {"accept_errors", c.accept_errors},
        {"clients", hub.sessions.size()},
        {"frames", c.frames},
        {"replayed_frames", c.replayed_frames},
        {"dropped_clients", c.dropped_clients},
        {"accepted_clients", c.accepted_clients},
        {"refused_clients", c.refused_clients},
        {"refused_hosts", c.refused_hosts},
        {"gaps_sent", c.gaps_sent},
        {"catalogs_sent", c.catalogs_sent},
        {"append_failures", c.append_failures},
        {"rejected_messages", c.rejected.total()},
        {"rejected_by_kind", rejected},
        {"epoch", hub.journal.epoch()},
        {"head", hub.journal.head_seq()},
        {"oldest", hub.journal.oldest_seq()},
        {"journal_records", hub.journal.record_count()},
        {"journal_bytes", hub.journal.byte_size()},
        {"interval_ms", hub.options.interval_ms},
        {"uptime_s", uptime_s},
        {"open_sockets", hub.open_sockets},
        {"max_concurrent_per_client", hub.census.max_concurrent_per_client()},
        {"per_client", per_client},
        {"connects_total", hub.connects.total()},
    };
    if (auto status = hub.journal.status(); !status.empty()) {
        json js = json::object();  // a shared journal (--nats): its writer role and connection
        for (auto& [k, v] : status) js[k] = v;
        j["journal_status"] = js;
    }
    if (hub.scrape) {
        const auto totals = scrape::target_totals(hub.scrape->targets());
        const auto& sc = hub.scrape->counters();
        j["targets"] = {{"total", totals.total}, {"up", totals.up}, {"down", totals.down},
                        {"dropped_keys", totals.dropped_keys}, {"reloads", sc.reloads}, {"reload_errors", sc.reload_errors},
                        {"last_reload_error", sc.last_reload_error}};
    }
    {
        json lines = json::object(), requests = json::object();
        for (std::size_t i = 0; i < ingest::kLineOutcomes; ++i)
            lines[ingest::outcome_name(ingest::LineOutcome(i))] = hub.ingest.lines[i];
        for (const auto& [status, n] : hub.ingest.requests) requests[std::to_string(status)] = n;
        json push = {{"lines", lines}, {"requests", requests}};
        if (hub.push) {
            const double now_s = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
            push["hosts"] = hub.push->host_count();
            push["down"] = hub.push->down_count(now_s);
            push["forgotten"] = hub.push->forgotten_count();
            push["forgotten_keys"] = hub.push->forgotten_key_count();
        }
        j["ingest"] = push;
    }
    return j.dump(-1, ' ', false, json::error_handler_t::replace);  // client ids are untrusted text
}

std::string connects_json(const HubContext& hub) {
    using nlohmann::json;
    json list = json::array();
    for (auto& a : hub.connects.snapshot())
        list.push_back({{"id", a.id}, {"t", a.unix_ms}, {"peer", a.peer}, {"client", a.client}, {"outcome", a.outcome}});
    json j = {{"capacity", hub.connects.capacity()}, {"total", hub.connects.total()}, {"connects", list}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);  // client ids are untrusted text
}

}  // namespace vigil::hub
