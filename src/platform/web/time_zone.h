// The wall's time zone by IANA name ("Europe/Paris"), from the browser's Intl: Emscripten's libc
// has no tz database, so localtime_r only knows the browser's own zone.
// Implemented features:
//  [X] any zone the browser knows, checked when set (an unknown name is refused, not guessed)
//  [X] the UTC offset of any instant (DST included), cached per 15 minutes of UTC
//  [ ] zones the browser does not know (none is bundled)
#pragma once

#include <cstdint>
#include <string>

namespace vigil::web {

// Makes `iana` the zone of time_zone_offset_min(); false (and nothing changes) when the browser
// does not know it. "" goes back to the browser's own zone.
bool set_time_zone(const std::string& iana);

// The UTC offset in minutes at Unix time `unix_ms` in the zone set (model::UtcOffsetSource).
int time_zone_offset_min(std::int64_t unix_ms);

// The zone's name as set ("Asia/Kolkata"), or the browser's own zone as it names it.
std::string time_zone_name();

}  // namespace vigil::web
