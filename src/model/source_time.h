// The sample time of a backend's own message read from RFC 3339 text ("2026-12-01T21:48:18Z",
// "...18.250+01:00"): strict, so a malformed time is refused with a reason instead of guessed.
// Pure, no clock, no locale, no time zone database.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::model {

// Unix ms (fractions of a ms kept) of an RFC 3339 date-time: YYYY-MM-DD, 'T' (or 't', or the space
// RFC 3339 section 5.6 allows), hh:mm:ss, optional '.' and 1-9 digits, then 'Z' or +hh:mm / -hh:mm.
// nullopt with `why` ("no UTC offset", "day 31 of month 4"...) for anything else: a time without an
// offset is local time of an unknown zone, so it is refused rather than read as UTC.
std::optional<double> parse_rfc3339_ms(std::string_view text, std::string& why);

}  // namespace vigil::model
