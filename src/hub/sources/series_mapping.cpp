// User series mappings: parsing and evaluation.
#include "hub/sources/series_mapping.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

namespace vigil::hub::sources {
namespace {

using nlohmann::json;

bool is_label_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_label_char(char c) { return is_label_start(c) || (c >= '0' && c <= '9'); }
bool is_metric_start(char c) { return is_label_start(c) || c == ':'; }
bool is_metric_char(char c) { return is_label_char(c) || c == ':'; }

bool valid_metric_name(std::string_view s) {
    return !s.empty() && s.size() <= 256 && is_metric_start(s[0]) && std::all_of(s.begin(), s.end(), is_metric_char);
}

std::optional<LabelMatcher> parse_matcher(std::string_view m, std::string* why) {
    std::size_t i = 0;
    while (i < m.size() && (i ? is_label_char(m[i]) : is_label_start(m[i]))) ++i;
    if (i == 0) {
        *why = "needs a label name first (label=value or label!=value)";
        return std::nullopt;
    }
    LabelMatcher out;
    out.name = std::string(m.substr(0, i));
    const std::string_view rest = m.substr(i);
    std::size_t op = 0;
    if (rest.substr(0, 2) == "=~" || rest.substr(0, 2) == "!~") {
        *why = "regex matchers (=~, !~) are not supported: use = or !=";
        return std::nullopt;
    }
    if (rest.substr(0, 2) == "!=") { out.equal = false; op = 2; }
    else if (rest.substr(0, 1) == "=") { op = 1; }
    else {
        *why = "needs = or != after the label name";
        return std::nullopt;
    }
    std::string_view v = rest.substr(op);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);  // PromQL habit
    out.value = std::string(v);
    return out;
}

}  // namespace

bool LabelMatcher::matches(const SeriesView& s) const {
    const std::string_view v = s.label(name).value_or(std::string_view());
    return (v == value) == equal;
}

bool valid_metric_key(std::string_view key) {
    if (key.empty() || key.size() > 64) return false;
    return std::all_of(key.begin(), key.end(),
                       [](char c) { return is_label_char(c) || c == '.' || c == '-'; });
}

std::optional<SeriesMapping> parse_series_mapping(const json& j, std::string* error) {
    if (!j.is_object()) {
        *error = "a mapping must be an object";
        return std::nullopt;
    }
    SeriesMapping m;
    auto key_it = j.find("key");
    if (key_it == j.end() || !key_it->is_string()) {
        *error = "a mapping needs \"key\" (a string)";
        return std::nullopt;
    }
    m.info.key = key_it->get<std::string>();
    const std::string who = "mapping \"" + m.info.key + "\": ";
    auto fail = [&](const std::string& what) {
        *error = who + what;
        return std::nullopt;
    };
    if (!valid_metric_key(m.info.key)) return fail("\"key\" must be 1-64 characters of A-Z a-z 0-9 _ . -");
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& f = it.key();
        const json& v = it.value();
        if (f == "key") continue;
        if (f == "metric") {
            if (!v.is_string() || !valid_metric_name(v.get<std::string>()))
                return fail("\"metric\" must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
            m.metric = v.get<std::string>();
        } else if (f == "match") {
            if (!v.is_array()) return fail("\"match\" must be an array of \"label=value\" / \"label!=value\"");
            for (std::size_t i = 0; i < v.size(); ++i) {
                std::string why;
                if (!v[i].is_string()) return fail("match[" + std::to_string(i) + "] must be a string");
                auto mt = parse_matcher(v[i].get<std::string>(), &why);
                if (!mt) return fail("match[" + std::to_string(i) + "] \"" + v[i].get<std::string>() + "\": " + why);
                m.match.push_back(std::move(*mt));
            }
        } else if (f == "kind") {
            if (v == "gauge") m.kind = MappingKind::gauge;
            else if (v == "rate") m.kind = MappingKind::rate;
            else return fail("\"kind\" must be \"gauge\" or \"rate\"");
        } else if (f == "aggregate") {
            if (v == "sum") m.aggregate = Aggregation::sum;
            else if (v == "max") m.aggregate = Aggregation::max;
            else if (v == "min") m.aggregate = Aggregation::min;
            else if (v == "avg") m.aggregate = Aggregation::avg;
            else return fail("\"aggregate\" must be \"sum\", \"max\", \"min\" or \"avg\"");
        } else if (f == "scale") {
            if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() == 0)
                return fail("\"scale\" must be a non-zero number");
            m.scale = v.get<double>();
        } else if (f == "label" || f == "unit") {
            if (!v.is_string() || v.get<std::string>().size() > 64) return fail("\"" + f + "\" must be a string of at most 64 bytes");
            (f == "label" ? m.info.label : m.info.unit) = v.get<std::string>();
        } else if (f == "warn" || f == "crit") {
            if (!v.is_number() || !std::isfinite(v.get<double>())) return fail("\"" + f + "\" must be a number");
            (f == "warn" ? m.info.warn : m.info.crit) = v.get<double>();
        } else {
            return fail("unknown field \"" + f + "\"");
        }
    }
    if (m.metric.empty()) return fail("needs \"metric\" (the series' metric name)");
    if (m.info.label.empty()) m.info.label = m.info.key;
    return m;
}

std::optional<std::vector<SeriesMapping>> parse_series_mappings(const json& j, const std::string& where,
                                                                std::string* error) {
    if (!j.is_array()) {
        *error = where + ": must be an array of mappings";
        return std::nullopt;
    }
    std::vector<SeriesMapping> out;
    std::set<std::string> keys;
    for (std::size_t i = 0; i < j.size(); ++i) {
        std::string why;
        auto m = parse_series_mapping(j[i], &why);
        if (!m) {
            *error = where + "[" + std::to_string(i) + "]: " + why;
            return std::nullopt;
        }
        if (!keys.insert(m->info.key).second) {
            *error = where + "[" + std::to_string(i) + "]: mapping \"" + m->info.key + "\": key given twice";
            return std::nullopt;
        }
        out.push_back(std::move(*m));
    }
    return out;
}

void SeriesMappings::Acc::add(double v) {
    if (n == 0) max = min = v;
    max = std::max(max, v);
    min = std::min(min, v);
    sum += v;
    ++n;
}

SeriesMappings::SeriesMappings(std::vector<SeriesMapping> mappings) : mappings_(std::move(mappings)) {
    for (std::size_t i = 0; i < mappings_.size(); ++i) by_metric_[mappings_[i].metric].push_back(i);
    acc_.resize(mappings_.size());
}

void SeriesMappings::begin(double now_s) {
    now_s_ = now_s;
    for (Acc& a : acc_) a = Acc{};
}

void SeriesMappings::add(const SeriesView& s) {
    auto it = by_metric_.find(s.name);
    if (it == by_metric_.end()) return;
    for (std::size_t i : it->second) {
        const SeriesMapping& m = mappings_[i];
        if (!std::all_of(m.match.begin(), m.match.end(), [&](const LabelMatcher& lm) { return lm.matches(s); }))
            continue;
        if (!std::isfinite(s.value) && m.kind == MappingKind::gauge) continue;  // NaN would poison the aggregate
        if (m.kind == MappingKind::gauge) {
            acc_[i].add(s.value);
            continue;
        }
        // The series' identity: mapping, then labels in name order (a body may reorder them).
        sorted_.clear();
        for (const Label& l : s) sorted_.push_back(&l);
        std::sort(sorted_.begin(), sorted_.end(), [](const Label* a, const Label* b) { return a->name < b->name; });
        key_.assign(std::to_string(i));
        for (const Label* l : sorted_) {
            key_ += '\x1f';
            key_.append(l->name);
            key_ += '=';
            key_.append(l->value);
        }
        if (auto r = rates_.update(key_, s.value, now_s_)) acc_[i].add(*r);
    }
}

HostValues SeriesMappings::finish() {
    HostValues out;
    for (std::size_t i = 0; i < mappings_.size(); ++i) {
        const Acc& a = acc_[i];
        if (a.n == 0) continue;
        double v = 0;
        switch (mappings_[i].aggregate) {
        case Aggregation::sum: v = a.sum; break;
        case Aggregation::max: v = a.max; break;
        case Aggregation::min: v = a.min; break;
        case Aggregation::avg: v = a.sum / double(a.n); break;
        }
        v *= mappings_[i].scale;
        if (std::isfinite(v)) out.emplace_back(mappings_[i].info.key, v);
    }
    rates_.sweep();
    return out;
}

std::vector<MetricInfo> SeriesMappings::metrics() const {
    std::vector<MetricInfo> out;
    for (const auto& m : mappings_) out.push_back(m.info);
    return out;
}

}  // namespace vigil::hub::sources
