// Loading the targets config and its file_sd files from disk.
#include "hub/scrape/targets_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace vigil::hub::scrape {

namespace fs = std::filesystem;
using namespace sources;

namespace {

bool read_file(const std::string& path, std::string* out, std::string* error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        *error = path + ": cannot read the file";
        return false;
    }
    std::ostringstream s;
    s << in.rdbuf();
    *out = s.str();
    return true;
}

bool same_mapping(const SeriesMapping& a, const SeriesMapping& b) {
    if (!(a.info == b.info) || a.metric != b.metric || a.kind != b.kind || a.aggregate != b.aggregate ||
        a.scale != b.scale || a.match.size() != b.match.size())
        return false;
    for (std::size_t i = 0; i < a.match.size(); ++i)
        if (a.match[i].name != b.match[i].name || a.match[i].equal != b.match[i].equal ||
            a.match[i].value != b.match[i].value)
            return false;
    return true;
}

}  // namespace

std::string files_fingerprint(const std::vector<std::string>& paths) {
    std::string out;
    for (const auto& p : paths) {
        struct stat st{};
        if (::stat(p.c_str(), &st) != 0) {
            out += "missing;";
            continue;
        }
        out += std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "/" +
               std::to_string(st.st_size) + ";";
    }
    return out;
}

std::optional<TargetsFile> load_targets_file(const std::string& path, double default_interval_s, ConfigErrors* errors,
                                             WatchedFiles* watched) {
    watched->paths = {path};
    watched->fingerprint = files_fingerprint(watched->paths);
    std::string text, why;
    if (!read_file(path, &text, &why)) {
        errors->add(why);
        return std::nullopt;
    }
    const std::size_t before = errors->count, first_message = errors->messages.size();
    auto config = parse_targets_config(text, errors, default_interval_s);
    if (!config) {
        // The config's errors say "targets[2]: ..."; prefix the file so the log names it.
        for (auto i = first_message; i < errors->messages.size(); ++i) errors->messages[i].insert(0, path + ": ");
        return std::nullopt;
    }
    TargetsFile out;
    out.targets = config->targets;
    const fs::path folder = fs::path(path).parent_path();
    for (auto& sd : config->file_sd) {
        const std::string file = fs::path(sd.path).is_absolute() ? sd.path : (folder / sd.path).string();
        watched->paths.push_back(file);
        watched->fingerprint += files_fingerprint({file});
        std::string sd_text;
        if (!read_file(file, &sd_text, &why)) {
            errors->add(why);
            continue;
        }
        FileSdSource named = sd;
        named.path = file;  // errors name the file as found
        parse_file_sd(sd_text, named, &out.targets, errors);
    }
    if (errors->count != before) return std::nullopt;
    if (!resolve_host_ids(&out.targets, errors)) return std::nullopt;
    return out;
}

bool same_scrape(const ScrapeTarget& a, const ScrapeTarget& b) {
    if (a.host_id != b.host_id || a.address != b.address || a.metrics_path != b.metrics_path ||
        a.profile != b.profile || a.interval_s != b.interval_s || a.mappings.size() != b.mappings.size())
        return false;
    for (std::size_t i = 0; i < a.mappings.size(); ++i)
        if (!same_mapping(a.mappings[i], b.mappings[i])) return false;
    return true;
}

}  // namespace vigil::hub::scrape
