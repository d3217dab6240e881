// The page's settings: config.json (as the page fetched it) with URL query overrides on top.
// Every bad entry becomes an error naming its key, keeps that key's default, and leaves the
// good entries applied: a typo in one field never blanks a wall screen.
#pragma once

#include "model/alarms.h"
#include "model/config_error.h"
#include "model/i18n.h"
#include "model/source_mapping.h"
#include "model/wall_profile.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::model {

// The defaults mirror core::LinkConfig's (a unit test keeps them equal).
struct HeartbeatSettings {
    double ping_after_ms = 2000;
    double dead_after_ms = 9000;
};
struct BackoffSettings {
    double base_ms = 1000;
    double cap_ms = 1300;
};

// Screen care (issue 13): burn-in shift. period_s 0 switches it off.
struct BurnInSettings {
    double period_s = 120;     // 0 (off) or 1..3600: how often static content moves
    double amplitude_px = 4;   // 0..16 design pixels: how far it moves at most, each way
};

struct PageConfig {
    std::string hub;                 // ws:// or wss:// URL; "" = derive from the page's address
    std::string title = "Vigil";
    Lang lang = Lang::en;
    double history_s = 600;          // 60..86400
    double stale_after_intervals = 3;  // 1..100
    double rotate_s = 10;            // 2..3600: seconds per page when hosts need several
    std::string focus_host;          // host id the focus panel stays on; "" = rotate through the fleet
    bool kiosk = false;
    bool debug = false;
    double watchdog_reload_s = 60;   // a stalled page reloads after this; 0 = never, else 10..86400
    double hysteresis_pct = 5;       // alarm band below a threshold, % of it: 0..50
    HeartbeatSettings heartbeat;     // ping_after_ms 500..600000, dead_after_ms 1000..3600000 (> ping)
    BackoffSettings backoff;         // base_ms 100..600000, cap_ms 100..3600000 (>= base)
    std::map<std::string, Thresholds> thresholds;  // metric key -> overrides of the catalog's
    SourceConfig source;             // `source`: a backend of one's own instead of a hub (README)
    // `walls`: named screen profiles; `wall` is the one ?wall=NAME picked (name "" = none: the
    // defaults, title from `title`).
    std::map<std::string, WallProfile> walls;
    WallProfile wall;
    // A wall that looks after itself (issue 13): its time zone, burn-in shift, new-build checks.
    std::string time_zone;           // IANA name ("Europe/Paris"); "" = the browser's (checked by the page)
    BurnInSettings burn_in;
    double update_check_s = 300;     // 0 (never) or 10..86400: how often the page looks for a new build
    double abort_reload_s = 5;       // the loader's: 1..86400, the reload delay after a failed start
    double abort_reload_max_s = 300; // the loader's: 1..86400, its cap as failed starts double it
    std::vector<ConfigError> errors;               // at most kMaxErrors

    static constexpr std::size_t kMaxErrors = 32;
    static constexpr std::size_t kMaxTitleBytes = 200;
    static constexpr std::size_t kMaxHostIdBytes = 256;  // the protocol's limit on ids

    // What model::AlarmBoard / Fleet take from it.
    AlarmRules alarm_rules() const { return AlarmRules{hysteresis_pct / 100.0, thresholds}; }
};

// `json_text`: config.json ("" = defaults, no error). `query`: the URL query, decoded; only
// ws, lang, kiosk, debug, title, focus and wall are read (others belong to someone else: ?token=).
PageConfig parse_page_config(std::string_view json_text, const std::map<std::string, std::string>& query);

}  // namespace vigil::model
