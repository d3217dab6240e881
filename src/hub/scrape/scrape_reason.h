// Why a scrape failed, in the short words the wall shows ("connection refused", "timeout after
// 800 ms", "HTTP 503", "unreadable body: line 3: ...", "name not resolved"), and its outcome label.
#pragma once

#include <boost/system/error_code.hpp>

#include <string>
#include <string_view>

namespace vigil::hub::scrape {

// The `outcome` label of vigil_hub_scrapes_total.
enum class ScrapeOutcome { success, refused, timeout, http_error, unreadable, unresolved, error };
const char* outcome_name(ScrapeOutcome o);

struct ScrapeFailure {
    ScrapeOutcome outcome = ScrapeOutcome::error;
    std::string reason;
};

ScrapeFailure timeout_failure(int timeout_ms);
ScrapeFailure http_failure(unsigned status);
ScrapeFailure unreadable_failure(std::string_view detail);
// A transport error (resolve, connect, write, read): refused, not resolved, or the system's words
// in lower case ("connection reset by peer").
ScrapeFailure transport_failure(const boost::system::error_code& ec);

}  // namespace vigil::hub::scrape
