// The targets config read from disk: FILE and the file_sd files it names (relative to FILE's
// folder), validated into one list with resolved host ids; and the fingerprint (mtime + size) of
// every file read, which the scrape loop polls to re-read them when they change.
#pragma once

#include "hub/sources/targets_config.h"

#include <string>
#include <vector>

namespace vigil::hub::scrape {

struct TargetsFile {
    std::vector<sources::ScrapeTarget> targets;  // config order, then each file_sd file's
};

// The files a load read or tried to read, with their fingerprint when it started.
struct WatchedFiles {
    std::vector<std::string> paths;
    std::string fingerprint;
};

// Fingerprint of `paths` now: mtime (ns) and size of each, "missing" for an absent one.
std::string files_fingerprint(const std::vector<std::string>& paths);

// Reads and validates FILE (`default_interval_s` when the config names no interval). On failure
// returns nothing with `errors` naming the file, entry and field. `watched` gets the files read.
std::optional<TargetsFile> load_targets_file(const std::string& path, double default_interval_s,
                                             sources::ConfigErrors* errors, WatchedFiles* watched);

// Same endpoint and the same way of reading it (profile, interval, mappings): a reload keeps
// such a target's connection, rates and health; name and labels may differ.
bool same_scrape(const sources::ScrapeTarget& a, const sources::ScrapeTarget& b);

}  // namespace vigil::hub::scrape
