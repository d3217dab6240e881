// POST /ingest's answer: decoder by content type, status, JSON errors (ingest_request.h).
#include "hub/ingest/ingest_request.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace vigil::hub::ingest {

void IngestCounters::add(const IngestResult& r) {
    for (std::size_t i = 0; i < kLineOutcomes; ++i) lines[i] += r.by_outcome[i];
}

bool is_ingest_path(std::string_view path) { return path == "/ingest" || path == "/write" || path == "/api/v2/write"; }

bool is_json_content(std::string_view content_type) {
    constexpr std::string_view kJson = "application/json";
    if (content_type.size() < kJson.size()) return false;
    for (std::size_t i = 0; i < kJson.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(content_type[i])) != kJson[i]) return false;
    auto rest = content_type.substr(kJson.size());
    return rest.empty() || rest.front() == ';' || rest.front() == ' ';
}

std::string errors_json(const IngestResult& r) {
    using nlohmann::json;
    json errors = json::array();
    for (auto& e : r.errors) {
        json item = json::object();
        if (e.line) item["line"] = e.line;
        if (!e.host.empty()) item["host"] = e.host;
        item["message"] = e.message;
        errors.push_back(std::move(item));
    }
    json j = {{"accepted", r.accepted}, {"rejected", r.rejected}, {"errors", errors}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);  // the messages quote untrusted bytes
}

IngestReply answer_ingest(PushStore& store, std::string_view content_type, const std::optional<std::string>& precision,
                          std::string_view body, std::int64_t unix_ms, double now_s, IngestCounters* counters) {
    IngestResult r;
    if (is_json_content(content_type)) {
        r = store.ingest_json(body, unix_ms, now_s);
    } else {
        auto p = sources::parse_precision(precision.value_or("ns"));
        if (!p) {
            r.count(LineOutcome::parse_error, 0, {}, "precision must be ns, us, ms or s");
            r.by_outcome[std::size_t(LineOutcome::parse_error)] = 0;  // no line was read: only the answer says it
            r.rejected = 0;
            IngestReply bad{400, errors_json(r)};
            if (counters) ++counters->requests[400];
            return bad;
        }
        r = store.ingest_lines(body, *p, unix_ms, now_s);
    }
    if (counters) counters->add(r);
    IngestReply reply;
    if (r.rejected) {
        reply.status = 400;
        reply.body = errors_json(r);
    }
    if (counters) ++counters->requests[reply.status];
    return reply;
}

}  // namespace vigil::hub::ingest
