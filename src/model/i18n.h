// Every word the screen shows, in English and Simplified Chinese. Texts with a number use "{}"
// where it goes, since word order differs ("retry in 3 s" / "3 秒后重试"): see fill().
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::model {

enum class Lang { en, zh_CN };

enum class TextId {
    // banner words
    live, stale, reconnecting, maintenance, offline, unauthorized, connecting,
    // banner details and status lines ("{}": a number, a duration or "2 / 5")
    attempt_n,        // "attempt {}"
    retry_in,         // "retry in {}"
    last_update_ago,  // "last update {} ago"
    page_n,           // "page {}"
    in_duration,      // "in {}"
    since_clock,      // "since {}" (a wall-clock time: OFFLINE since 14:03:07)
    alarms, hosts, no_data, never_reported,
    loading, waiting_for_data, connecting_to_hub,
    // alarm levels
    level_ok, level_warn, level_crit,
    // metric labels
    metric_cpu, metric_memory, metric_disk, metric_network, metric_load, metric_load5, metric_load15,
    metric_temperature,
    metric_network_in, metric_network_out, metric_disk_read, metric_disk_write,
    // units in ages and durations
    unit_seconds, unit_minutes, unit_hours, just_now,
    // focus panel
    focus_pinned,     // the panel stays on a host chosen by a click, focus_host or ?focus=
    // banner words added later (window.vigil.state: CATCHING_UP, WAITING) and their details
    catching_up,      // replaying old frames between welcome and live
    waiting,          // connected, no live frame yet
    frames_of,        // "{} frames" ("1,204 / 3,600 frames")
    // what the caps and the catalog leave out, on screen
    hosts_not_shown,     // "{} hosts not shown"
    metrics_not_shown,   // "{} metrics not shown"
    unknown_hosts,       // "samples for {} hosts not in the catalog ignored"
    // a host the hub cannot reach (samples.down): its tile, counts and alarm
    host_down,           // "DOWN": the tile's state word
    unreachable,         // "UNREACHABLE: {}" (the hub's reason, in its words)
    hosts_down,          // "{} down"
    // the overview's group lines (issue 13)
    all_hosts,           // the one group when the wall groups by no label
    no_label,            // "no {}": the group of hosts without the group-by label
    // the display PC's clock against hub time (the footer, past 2 s)
    clock_slow,          // "this PC's clock is {} slow (hub time shown)"
    clock_fast,          // "this PC's clock is {} fast (hub time shown)"
    // a full alarm board (model/alarms.h) and notices past the rows drawn
    alarms_not_shown,    // "{} alarms not shown (board full)"
    more_notices,        // "+{} more"
    count_  // not a text: the number of texts
};

inline constexpr int kTextCount = static_cast<int>(TextId::count_);

// Never null, never empty.
const char* tr(Lang lang, TextId id);

// `pattern` with its first "{}" replaced by `arg` (no "{}": the pattern unchanged).
std::string fill(std::string_view pattern, std::string_view arg);

// "en" / "zh-CN" (the config and ?lang= spellings); nothing for anything else.
std::optional<Lang> lang_from_code(std::string_view code);
const char* lang_code(Lang lang);

// The label text for a metric key the reference hub uses (cpu, mem, load1, load5, load15, net_rx,
// net_tx, disk_r, disk_w, temp, and a few common spellings); other keys keep the catalog's label.
std::optional<TextId> metric_text(std::string_view key);

}  // namespace vigil::model
