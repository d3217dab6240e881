// Reason texts of failed scrapes.
#include "hub/scrape/scrape_reason.h"

#include <boost/asio/error.hpp>

#include <cctype>

namespace vigil::hub::scrape {

const char* outcome_name(ScrapeOutcome o) {
    switch (o) {
        case ScrapeOutcome::success: return "success";
        case ScrapeOutcome::refused: return "refused";
        case ScrapeOutcome::timeout: return "timeout";
        case ScrapeOutcome::http_error: return "http_error";
        case ScrapeOutcome::unreadable: return "unreadable";
        case ScrapeOutcome::unresolved: return "unresolved";
        case ScrapeOutcome::error: break;
    }
    return "error";
}

ScrapeFailure timeout_failure(int timeout_ms) {
    return {ScrapeOutcome::timeout, "timeout after " + std::to_string(timeout_ms) + " ms"};
}

ScrapeFailure http_failure(unsigned status) { return {ScrapeOutcome::http_error, "HTTP " + std::to_string(status)}; }

ScrapeFailure unreadable_failure(std::string_view detail) {
    return {ScrapeOutcome::unreadable, "unreadable body: " + std::string(detail)};
}

ScrapeFailure transport_failure(const boost::system::error_code& ec) {
    namespace error = boost::asio::error;
    if (ec == error::connection_refused) return {ScrapeOutcome::refused, "connection refused"};
    if (ec == error::host_not_found || ec == error::host_not_found_try_again || ec == error::no_data ||
        ec == error::no_recovery)
        return {ScrapeOutcome::unresolved, "name not resolved"};
    std::string words = ec.message();
    if (!words.empty()) words[0] = char(std::tolower(static_cast<unsigned char>(words[0])));
    return {ScrapeOutcome::error, words.empty() ? "error " + std::to_string(ec.value()) : words};
}

}  // namespace vigil::hub::scrape
