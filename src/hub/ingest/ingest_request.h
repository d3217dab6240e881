// POST /ingest's answer once the HTTP side (token, body limit, method) let the body in: which
// decoder, which precision, the status and the JSON error body; and the counters /metrics shows.
#pragma once

#include "hub/ingest/push_store.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::hub::ingest {

// Every request and every line since start, for /metrics and /healthz.
struct IngestCounters {
    std::array<std::uint64_t, kLineOutcomes> lines{};  // by LineOutcome
    std::map<int, std::uint64_t> requests;             // by HTTP status: 204 400 401 405 413
    void add(const IngestResult& r);
};

// /ingest, and the paths Telegraf's InfluxDB outputs post to: /write (v1), /api/v2/write (v2).
bool is_ingest_path(std::string_view path);

// `Content-Type: application/json` (any parameters, any case): our samples JSON; anything else
// (text/plain, none) is line protocol.
bool is_json_content(std::string_view content_type);

struct IngestReply {
    int status = 204;   // 204 all good; 400 some or all refused (the good ones are kept)
    std::string body;   // 400: {"accepted":N,"rejected":M,"errors":[{"line":3,"message":"..."}]}
};

// `precision`: the query parameter, if any (ns us ms s, or v1's n u; default ns).
IngestReply answer_ingest(PushStore& store, std::string_view content_type, const std::optional<std::string>& precision,
                          std::string_view body, std::int64_t unix_ms, double now_s, IngestCounters* counters);

// The 400 body of a result.
std::string errors_json(const IngestResult& r);

}  // namespace vigil::hub::ingest
