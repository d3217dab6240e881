// InfluxDB line protocol parser and its mapping to the hub's metric keys (line_protocol.h).
#include "hub/sources/line_protocol.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "hub/sources/exposition_parser.h"
#include "hub/sources/node_profile.h"

namespace vigil::hub::sources {

namespace {

std::string_view near_of(std::string_view s) { return s.substr(0, std::min<std::size_t>(s.size(), 64)); }

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Reads a measurement, tag key/value or field key from line[*i] up to an unescaped byte of `stops`.
// A backslash always takes the next byte with it (so "\\," never ends a token, as InfluxDB's own
// scanner does); it is dropped only before a byte of `escapable`, else both bytes are kept.
// Unescaped text goes to `scratch` (reserved by the caller: its views never move).
LineError read_token(std::string_view line, std::size_t* i, std::string_view stops, std::string_view escapable,
                     std::string* scratch, std::string_view* out) {
    const std::size_t start = *i;
    bool escaped = false;
    std::size_t j = start;
    for (; j < line.size(); ++j) {
        const char c = line[j];
        if (c == '\\') {
            if (j + 1 >= line.size()) return LineError::bad_escape;
            escaped = true;
            ++j;
            continue;
        }
        if (stops.find(c) != std::string_view::npos) break;
    }
    *i = j;
    const std::string_view raw = line.substr(start, j - start);
    if (!escaped) {
        *out = raw;
        return LineError::none;
    }
    const std::size_t from = scratch->size();
    for (std::size_t k = 0; k < raw.size(); ++k) {
        if (raw[k] == '\\' && k + 1 < raw.size() && escapable.find(raw[k + 1]) != std::string_view::npos) ++k;
        scratch->push_back(raw[k]);
    }
    *out = std::string_view(scratch->data() + from, scratch->size() - from);
    return LineError::none;
}

template <typename T>
bool parse_int(std::string_view s, T* out) {
    if (s.empty()) return false;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_float(std::string_view s, double* out) {
    if (s.empty()) return false;
    // from_chars also takes "inf", "nan" and hex digits; InfluxDB takes none of them.
    for (char c : s)
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return false;
    if (s[0] == '+') s.remove_prefix(1);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(*out);
}

bool parse_bool(std::string_view s, bool* out) {
    static constexpr std::string_view yes[] = {"t", "T", "true", "True", "TRUE"};
    static constexpr std::string_view no[] = {"f", "F", "false", "False", "FALSE"};
    for (auto y : yes)
        if (s == y) return *out = true, true;
    for (auto n : no)
        if (s == n) return *out = false, true;
    return false;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && (a < 0)) --q;
    return q;
}

}  // namespace

std::optional<Precision> parse_precision(std::string_view t) {
    if (t == "ns" || t == "n") return Precision::ns;
    if (t == "us" || t == "u") return Precision::us;
    if (t == "ms") return Precision::ms;
    if (t == "s") return Precision::s;
    return std::nullopt;
}

const char* error_name(LineError e) {
    switch (e) {
        case LineError::none: return "none";
        case LineError::body_too_large: return "body_too_large";
        case LineError::line_too_long: return "line_too_long";
        case LineError::missing_measurement: return "missing_measurement";
        case LineError::name_too_long: return "name_too_long";
        case LineError::invalid_tag: return "invalid_tag";
        case LineError::tag_value_too_long: return "tag_value_too_long";
        case LineError::too_many_tags: return "too_many_tags";
        case LineError::duplicate_tag: return "duplicate_tag";
        case LineError::missing_fields: return "missing_fields";
        case LineError::invalid_field: return "invalid_field";
        case LineError::invalid_field_value: return "invalid_field_value";
        case LineError::unterminated_string: return "unterminated_string";
        case LineError::string_too_long: return "string_too_long";
        case LineError::too_many_fields: return "too_many_fields";
        case LineError::duplicate_field: return "duplicate_field";
        case LineError::invalid_timestamp: return "invalid_timestamp";
        case LineError::trailing_text: return "trailing_text";
        case LineError::bad_escape: return "bad_escape";
        case LineError::invalid_utf8: return "invalid_utf8";
    }
    return "unknown";
}

std::string LineErrorInfo::describe() const {
    std::string s = "line " + std::to_string(line) + ": " + error_name(kind);
    if (!near.empty()) s += " near \"" + std::string(near) + "\"";
    return s;
}

std::optional<std::string_view> PointView::tag(std::string_view key) const {
    for (std::size_t i = 0; i < tag_count; ++i)
        if (tags[i].key == key) return tags[i].value;
    return std::nullopt;
}

const LineField* PointView::field(std::string_view key) const {
    for (std::size_t i = 0; i < field_count; ++i)
        if (fields[i].key == key) return &fields[i];
    return nullptr;
}

LineProtocolParser::LineProtocolParser(LineProtocolLimits limits) : limits_(limits) {}

void LineProtocolParser::reset(std::string_view body, Precision precision) {
    body_ = body;
    precision_ = precision;
    pos_ = 0;
    line_no_ = 0;
    done_ = false;
    stats_ = {};
    error_ = {};
    current_ = {};
    pending_error_ = body.size() > limits_.max_body_bytes;
}

LineEntry LineProtocolParser::fail(LineError kind, std::string_view near) {
    error_ = {kind, line_no_, near_of(near)};
    ++stats_.errors;
    ++stats_.errors_by_kind[int(kind)];
    if (error_.fatal()) {
        stats_.fatal = true;
        done_ = true;
    }
    return LineEntry::error;
}

LineEntry LineProtocolParser::next() {
    current_ = {};
    if (pending_error_) {
        pending_error_ = false;
        return fail(LineError::body_too_large, {});
    }
    while (!done_) {
        if (pos_ >= body_.size()) break;
        const std::size_t nl = body_.find('\n', pos_);
        const std::size_t stop = nl == std::string_view::npos ? body_.size() : nl;
        std::string_view line = body_.substr(pos_, stop - pos_);
        pos_ = nl == std::string_view::npos ? body_.size() : nl + 1;
        ++line_no_;
        ++stats_.lines;
        // CRLF: Windows tools and some HTTP clients send it; InfluxDB itself ignores the '\r'.
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
            ++stats_.crlf;
        }
        if (line.size() > limits_.max_line_bytes) return fail(LineError::line_too_long, line);
        std::size_t lead = 0;
        while (lead < line.size() && is_space(line[lead])) ++lead;
        if (lead == line.size()) {
            ++stats_.blank;
            continue;
        }
        if (line[lead] == '#') {
            ++stats_.comments;
            continue;
        }
        // Checked before anything is read: a measurement or field key of invalid UTF-8 would
        // reach the screens as U+FFFD, 3 bytes for each bad byte, past the page's key limit.
        if (!valid_utf8(line)) return fail(LineError::invalid_utf8, line.substr(lead));
        std::string_view near;
        const LineError e = parse_line(line.substr(lead), &near);
        if (e != LineError::none) {
            current_ = {};
            return fail(e, near);
        }
        ++stats_.points;
        stats_.fields += current_.field_count;
        return LineEntry::point;
    }
    done_ = true;
    return LineEntry::end;
}

LineError LineProtocolParser::parse_line(std::string_view line, std::string_view* near) {
    scratch_.clear();
    scratch_.reserve(line.size());  // unescaped text is never longer than the line
    tags_.clear();
    fields_.clear();
    std::size_t i = 0;
    *near = line;
    auto rest = [&] { return line.substr(std::min(i, line.size())); };

    std::string_view measurement;
    if (auto e = read_token(line, &i, " ,", ", ", &scratch_, &measurement); e != LineError::none) return e;
    if (measurement.empty()) return LineError::missing_measurement;
    if (measurement.size() > limits_.max_name_bytes) return LineError::name_too_long;

    while (i < line.size() && line[i] == ',') {
        ++i;
        *near = rest();
        LineTag t;
        if (auto e = read_token(line, &i, "=, ", ",= ", &scratch_, &t.key); e != LineError::none) return e;
        if (t.key.empty() || i >= line.size() || line[i] != '=') return LineError::invalid_tag;
        ++i;
        if (auto e = read_token(line, &i, ", ", ",= ", &scratch_, &t.value); e != LineError::none) return e;
        if (t.value.empty()) return LineError::invalid_tag;
        if (t.key.size() > limits_.max_name_bytes) return LineError::name_too_long;
        if (t.value.size() > limits_.max_tag_value_bytes) return LineError::tag_value_too_long;
        if (tags_.size() >= limits_.max_tags) return LineError::too_many_tags;
        for (const auto& o : tags_)
            if (o.key == t.key) return LineError::duplicate_tag;
        tags_.push_back(t);
    }
    *near = rest();
    if (i >= line.size() || !is_space(line[i])) return LineError::missing_fields;
    while (i < line.size() && is_space(line[i])) ++i;
    if (i >= line.size()) return LineError::missing_fields;

    for (;;) {
        *near = rest();
        LineField f;
        if (auto e = read_token(line, &i, "=, ", ",= ", &scratch_, &f.key); e != LineError::none) return e;
        if (f.key.empty() || i >= line.size() || line[i] != '=') return LineError::invalid_field;
        if (f.key.size() > limits_.max_name_bytes) return LineError::name_too_long;
        ++i;
        *near = rest();
        if (i < line.size() && line[i] == '"') {
            // String: only \" and \\ are escapes; any other backslash is a literal one.
            const std::size_t start = ++i;
            bool escaped = false;
            for (; i < line.size() && line[i] != '"'; ++i) {
                if (line[i] == '\\' && i + 1 < line.size() && (line[i + 1] == '"' || line[i + 1] == '\\')) {
                    escaped = true;
                    ++i;
                }
            }
            if (i >= line.size()) return LineError::unterminated_string;
            std::string_view raw = line.substr(start, i - start);
            ++i;  // the closing quote
            if (escaped) {
                const std::size_t from = scratch_.size();
                for (std::size_t k = 0; k < raw.size(); ++k) {
                    if (raw[k] == '\\' && k + 1 < raw.size() && (raw[k + 1] == '"' || raw[k + 1] == '\\')) ++k;
                    scratch_.push_back(raw[k]);
                }
                raw = std::string_view(scratch_.data() + from, scratch_.size() - from);
            }
            if (raw.size() > limits_.max_string_bytes) return LineError::string_too_long;
            f.type = FieldType::string;
            f.text = raw;
            if (i < line.size() && line[i] != ',' && !is_space(line[i])) return LineError::invalid_field_value;
        } else {
            const std::size_t start = i;
            while (i < line.size() && line[i] != ',' && !is_space(line[i])) ++i;
            const std::string_view v = line.substr(start, i - start);
            if (v.empty()) return LineError::invalid_field;
            bool b = false;
            if (v.back() == 'i') {
                if (!parse_int(v.substr(0, v.size() - 1), &f.integer)) return LineError::invalid_field_value;
                f.type = FieldType::integer;
                f.value = double(f.integer);
            } else if (v.back() == 'u') {
                if (v[0] == '-' || !parse_int(v.substr(0, v.size() - 1), &f.unsigned_value))
                    return LineError::invalid_field_value;
                f.type = FieldType::unsigned_;
                f.value = double(f.unsigned_value);
            } else if (parse_bool(v, &b)) {
                f.type = FieldType::boolean;
                f.value = b ? 1 : 0;
            } else if (parse_float(v, &f.value)) {
                f.type = FieldType::float_;
            } else {
                return LineError::invalid_field_value;
            }
        }
        if (fields_.size() >= limits_.max_fields) return LineError::too_many_fields;
        for (const auto& o : fields_)
            if (o.key == f.key) return LineError::duplicate_field;
        fields_.push_back(f);
        if (i < line.size() && line[i] == ',') {
            ++i;
            continue;
        }
        break;
    }

    while (i < line.size() && is_space(line[i])) ++i;
    std::optional<std::int64_t> ts_ms;
    if (i < line.size()) {
        *near = rest();
        const std::size_t start = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        std::int64_t ts = 0;
        if (!parse_int(line.substr(start, i - start), &ts)) return LineError::invalid_timestamp;
        switch (precision_) {
            case Precision::ns: ts_ms = floor_div(ts, 1000000); break;
            case Precision::us: ts_ms = floor_div(ts, 1000); break;
            case Precision::ms: ts_ms = ts; break;
            case Precision::s:
                if (ts > std::numeric_limits<std::int64_t>::max() / 1000 ||
                    ts < std::numeric_limits<std::int64_t>::min() / 1000)
                    return LineError::invalid_timestamp;
                ts_ms = ts * 1000;
                break;
        }
        while (i < line.size() && is_space(line[i])) ++i;
        if (i < line.size()) {
            *near = rest();
            return LineError::trailing_text;
        }
    }
    current_.measurement = measurement;
    current_.tags = tags_.data();
    current_.tag_count = tags_.size();
    current_.fields = fields_.data();
    current_.field_count = fields_.size();
    current_.timestamp_ms = ts_ms;
    return LineError::none;
}

// ---- mapping ----

namespace {

void add(MappedPoint* out, std::string key, double value) { out->samples.push_back({std::move(key), value, false, {}}); }

void add_rate(MappedPoint* out, std::string_view key, std::string_view device, double value) {
    std::string rk(key);
    rk += '/';
    rk += device;
    out->samples.push_back({std::string(key), value, true, std::move(rk)});
}

// Telegraf's common inputs (their default field names) to the keys local_host.cpp and
// node_profile.cpp publish; true when `p` is one of them (its other fields are dropped).
bool map_telegraf(const PointView& p, MappedPoint* out) {
    const std::string_view m = p.measurement;
    if (m == "cpu") {
        // usage_* are percentages of the interval; busy = 100 - idle, like node_profile's busy share.
        const auto cpu = p.tag("cpu");
        const LineField* idle = p.field("usage_idle");
        if (!cpu || !idle || !idle->numeric()) return true;
        const double busy = std::clamp(100.0 - idle->value, 0.0, 100.0);
        if (*cpu == "cpu-total") add(out, "cpu", busy);
        else if (cpu->size() > 3 && cpu->substr(0, 3) == "cpu" &&
                 std::all_of(cpu->begin() + 3, cpu->end(), [](char c) { return c >= '0' && c <= '9'; }))
            add(out, std::string(*cpu), busy);
        return true;
    }
    if (m == "mem") {
        if (const LineField* f = p.field("used_percent"); f && f->numeric()) add(out, "mem", f->value);
        return true;
    }
    if (m == "system") {
        for (std::string_view k : {"load1", "load5", "load15"})
            if (const LineField* f = p.field(k); f && f->numeric()) add(out, std::string(k), f->value);
        return true;
    }
    if (m == "net") {
        const auto dev = p.tag("interface");
        if (!dev || *dev == "all" || !counted_interface(*dev)) return true;  // "all": protocol stats only
        if (const LineField* f = p.field("bytes_recv"); f && f->numeric()) add_rate(out, "net_rx", *dev, f->value);
        if (const LineField* f = p.field("bytes_sent"); f && f->numeric()) add_rate(out, "net_tx", *dev, f->value);
        return true;
    }
    if (m == "diskio") {
        const auto dev = p.tag("name");
        if (!dev || !whole_disk(*dev)) return true;  // partitions would count their disk twice
        if (const LineField* f = p.field("read_bytes"); f && f->numeric()) add_rate(out, "disk_r", *dev, f->value);
        if (const LineField* f = p.field("write_bytes"); f && f->numeric()) add_rate(out, "disk_w", *dev, f->value);
        return true;
    }
    return false;
}

}  // namespace

void map_point(const PointView& p, const IngestMapping& mapping, MappedPoint* out) {
    out->samples.clear();
    out->host = {};
    const auto host = p.tag(mapping.host_tag);
    if (!host) return;
    out->host = *host;
    if (mapping.telegraf && map_telegraf(p, out)) return;
    for (std::size_t i = 0; i < p.field_count; ++i) {
        const LineField& f = p.fields[i];
        if (!f.numeric()) continue;
        std::string key(p.measurement);
        key += '_';
        key += f.key;
        add(out, std::move(key), f.value);
    }
}

}  // namespace vigil::hub::sources
