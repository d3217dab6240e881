// Prometheus text exposition 0.0.4: one line at a time, views into the body, tables reused.
#include "hub/sources/exposition_parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace vigil::hub::sources {

bool valid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) { ++p; continue; }
        int n;
        unsigned min;
        if ((c & 0xE0) == 0xC0) { n = 1; min = 0x80; c &= 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 2; min = 0x800; c &= 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 3; min = 0x10000; c &= 0x07; }
        else return false;
        if (end - p <= n) return false;
        for (int k = 1; k <= n; ++k) {
            if ((p[k] & 0xC0) != 0x80) return false;
            c = (c << 6) | (p[k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
        p += n + 1;
    }
    return true;
}

namespace {

// Character classes by table: every byte of a body is classified at least once.
enum : std::uint8_t { kBlank = 1, kNameStart = 2, kNameChar = 4, kLabelStart = 8, kLabelChar = 16 };
constexpr std::array<std::uint8_t, 256> make_classes() {
    std::array<std::uint8_t, 256> t{};
    t[' '] = t['\t'] = kBlank;
    for (int c = 0; c < 256; ++c) {
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool digit = c >= '0' && c <= '9';
        if (alpha || c == '_') t[c] |= kNameStart | kNameChar | kLabelStart | kLabelChar;
        if (c == ':') t[c] |= kNameStart | kNameChar;
        if (digit) t[c] |= kNameChar | kLabelChar;
    }
    return t;
}
constexpr std::array<std::uint8_t, 256> kClasses = make_classes();
bool has(char c, std::uint8_t cls) { return kClasses[static_cast<unsigned char>(c)] & cls; }

bool is_blank(char c) { return has(c, kBlank); }
bool is_name_start(char c) { return has(c, kNameStart); }
bool is_name_char(char c) { return has(c, kNameChar); }
bool is_label_start(char c) { return has(c, kLabelStart); }
bool is_label_char(char c) { return has(c, kLabelChar); }

// A character someone meant as part of a name ("a-b", "x.y", "1st", "é"), as opposed to
// punctuation out of place: it decides between invalid_label_name and label_syntax.
bool name_like(char c) {
    return is_label_char(c) || c == ':' || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

std::size_t skip_blanks(std::string_view s, std::size_t i) {
    while (i < s.size() && is_blank(s[i])) ++i;
    return i;
}

std::string_view trim(std::string_view s) {
    std::size_t a = 0, b = s.size();
    while (a < b && is_blank(s[a])) ++a;
    while (b > a && is_blank(s[b - 1])) --b;
    return s.substr(a, b - a);
}

std::string_view near_of(std::string_view s, std::size_t from = 0) {
    if (from > s.size()) from = s.size();
    return s.substr(from, 64);
}

bool equals_ignore_case(std::string_view a, std::string_view lower) {
    if (a.size() != lower.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        if (c != lower[i]) return false;
    }
    return true;
}

// Whether s[i...] can start a sample value (a digit, '.', a sign before one, NaN or Inf in any
// case): the skip path's one look past a name, so that text with a word for a name ("this is
// not an exposition") goes to the full parser and is an error there, not a sample passed over.
bool value_start(std::string_view s, std::size_t i) {
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size()) return false;
    const char c = s[i];
    if ((c >= '0' && c <= '9') || c == '.') return true;
    return equals_ignore_case(s.substr(i, 3), "nan") || equals_ignore_case(s.substr(i, 3), "inf");
}

// Go's strconv.ParseFloat, as the spec asks, minus hexadecimal floats: decimal with optional sign,
// fraction and exponent; "NaN" and [+-]"Inf"/"Infinity" in any case.
std::optional<double> parse_value(std::string_view t) {
    if (t.empty()) return std::nullopt;
    if (equals_ignore_case(t, "nan")) return std::numeric_limits<double>::quiet_NaN();
    bool negative = false;
    std::string_view u = t;
    if (u[0] == '+' || u[0] == '-') {
        negative = u[0] == '-';
        u.remove_prefix(1);
    }
    if (equals_ignore_case(u, "inf") || equals_ignore_case(u, "infinity"))
        return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    // The grammar first: from_chars alone would take "1e" as 1 and stop.
    std::size_t i = 0, digits = 0;
    while (i < u.size() && u[i] >= '0' && u[i] <= '9') ++i, ++digits;
    if (i < u.size() && u[i] == '.') {
        ++i;
        while (i < u.size() && u[i] >= '0' && u[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return std::nullopt;
    if (i < u.size() && (u[i] == 'e' || u[i] == 'E')) {
        ++i;
        if (i < u.size() && (u[i] == '+' || u[i] == '-')) ++i;
        std::size_t exp_digits = 0;
        while (i < u.size() && u[i] >= '0' && u[i] <= '9') ++i, ++exp_digits;
        if (exp_digits == 0) return std::nullopt;
    }
    if (i != u.size()) return std::nullopt;
    double v = 0;
    auto [end, ec] = std::from_chars(u.data(), u.data() + u.size(), v);
    if (ec == std::errc::result_out_of_range) {
        // Overflow is an error (as in Go); underflow gives the nearest double (0 or a subnormal).
        char buf[512];
        if (u.size() >= sizeof buf) return std::nullopt;
        std::memcpy(buf, u.data(), u.size());
        buf[u.size()] = 0;
        v = std::strtod(buf, nullptr);
        if (v == std::numeric_limits<double>::infinity()) return std::nullopt;
    } else if (ec != std::errc() || end != u.data() + u.size()) {
        return std::nullopt;
    }
    return negative ? -v : v;
}

std::optional<std::int64_t> parse_timestamp(std::string_view t) {
    if (!t.empty() && t[0] == '+') t.remove_prefix(1);  // Go's ParseInt takes a sign
    if (t.empty() || t[0] == '+') return std::nullopt;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
    return v;
}

// A 64-bit hash, 8 bytes at a time; only for the tables, never persisted.
std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

std::uint64_t hash_bytes(std::string_view s, std::uint64_t seed) {
    std::uint64_t h = seed ^ (s.size() * 0x9E3779B97F4A7C15ull);
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t k;
        std::memcpy(&k, s.data() + i, 8);
        h = mix(h ^ k);
    }
    std::uint64_t tail = 0;
    for (std::size_t j = 0; i < s.size(); ++i, ++j) tail |= std::uint64_t(static_cast<unsigned char>(s[i])) << (8 * j);
    return mix(h ^ tail ^ 0xff51afd7ed558ccdull);
}

constexpr std::uint64_t name_seed = 0x243F6A8885A308D3ull;
constexpr std::uint64_t label_seed = 0x13198A2E03707344ull;
constexpr std::uint64_t value_seed = 0xA4093822299F31D0ull;

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

const char* kind_name(MetricKind k) {
    switch (k) {
    case MetricKind::untyped: return "untyped";
    case MetricKind::counter: return "counter";
    case MetricKind::gauge: return "gauge";
    case MetricKind::histogram: return "histogram";
    case MetricKind::summary: return "summary";
    }
    return "untyped";
}

const char* error_name(ExpositionError e) {
    switch (e) {
    case ExpositionError::none: return "none";
    case ExpositionError::body_too_large: return "body_too_large";
    case ExpositionError::too_many_series: return "too_many_series";
    case ExpositionError::too_many_families: return "too_many_families";
    case ExpositionError::line_too_long: return "line_too_long";
    case ExpositionError::unterminated_line: return "unterminated_line";
    case ExpositionError::carriage_return: return "carriage_return";
    case ExpositionError::invalid_metric_name: return "invalid_metric_name";
    case ExpositionError::metric_name_too_long: return "metric_name_too_long";
    case ExpositionError::invalid_label_name: return "invalid_label_name";
    case ExpositionError::label_name_too_long: return "label_name_too_long";
    case ExpositionError::label_value_too_long: return "label_value_too_long";
    case ExpositionError::too_many_labels: return "too_many_labels";
    case ExpositionError::duplicate_label_name: return "duplicate_label_name";
    case ExpositionError::label_syntax: return "label_syntax";
    case ExpositionError::invalid_escape: return "invalid_escape";
    case ExpositionError::invalid_utf8: return "invalid_utf8";
    case ExpositionError::invalid_value: return "invalid_value";
    case ExpositionError::invalid_timestamp: return "invalid_timestamp";
    case ExpositionError::trailing_text: return "trailing_text";
    case ExpositionError::invalid_help: return "invalid_help";
    case ExpositionError::invalid_type: return "invalid_type";
    case ExpositionError::duplicate_help: return "duplicate_help";
    case ExpositionError::duplicate_type: return "duplicate_type";
    case ExpositionError::metadata_after_samples: return "metadata_after_samples";
    case ExpositionError::family_interrupted: return "family_interrupted";
    case ExpositionError::duplicate_series: return "duplicate_series";
    }
    return "unknown";
}

std::string ExpositionErrorInfo::describe() const {
    std::string out = "line " + std::to_string(line) + ": " + error_name(kind);
    if (!near.empty()) {
        out += " near \"";
        for (char c : near) out += (c >= 0x20 && c < 0x7f && c != '"') ? c : '?';
        out += '"';
    }
    return out;
}

std::optional<std::string_view> SeriesView::label(std::string_view label_name) const {
    for (const Label& l : *this)
        if (l.name == label_name) return l.value;
    return std::nullopt;
}

bool unescape_exposition(std::string_view raw, bool label_value, std::string* out) {
    out->clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c != '\\') { out->push_back(c); continue; }
        if (++i == raw.size()) return false;
        switch (raw[i]) {
        case '\\': out->push_back('\\'); break;
        case 'n': out->push_back('\n'); break;
        case '"':
            if (!label_value) return false;
            out->push_back('"');
            break;
        default: return false;
        }
    }
    return true;
}

ExpositionParser::ExpositionParser(ExpositionLimits limits) : limits_(limits) {
    // Line offsets are kept in 32 bits.
    limits_.max_body_bytes = std::min<std::size_t>(limits_.max_body_bytes, std::numeric_limits<std::uint32_t>::max());
    labels_.reserve(limits_.max_labels);
    other_labels_.reserve(limits_.max_labels);
}

MetricNameSet::MetricNameSet(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    names.erase(std::remove(names.begin(), names.end(), std::string()), names.end());
    count_ = names.size();
    std::size_t size = 8;
    while (size < names.size() * 8) size *= 2;  // 4 families a name at most, half full
    names_.assign(size, std::string());
    families_.assign(size, std::string());
    for (const auto& n : names) {
        insert(names_, name_sketch_, n);
        insert(families_, family_sketch_, n);
        for (std::string_view suffix : {std::string_view("_sum"), std::string_view("_count"), std::string_view("_bucket")})
            if (ends_with(n, suffix)) insert(families_, family_sketch_, n.substr(0, n.size() - suffix.size()));
    }
}

unsigned MetricNameSet::Sketch::bit(std::string_view n) {
    const auto at = [&](std::size_t back) { return n.size() > back ? unsigned(static_cast<unsigned char>(n[n.size() - 1 - back])) : 0u; };
    return (unsigned(n.size()) * 37u + at(0) * 11u + at(1)) & 255u;
}

void MetricNameSet::insert(std::vector<std::string>& table, Sketch& sketch, const std::string& name) {
    if (find(table, sketch, name)) return;
    sketch.add(name);
    const std::size_t mask = table.size() - 1;
    for (std::size_t i = hash_bytes(name, name_seed) & mask;; i = (i + 1) & mask) {
        if (table[i].empty()) {
            table[i] = name;
            return;
        }
    }
}

bool MetricNameSet::find(const std::vector<std::string>& table, const Sketch& sketch, std::string_view name) {
    if (table.empty() || !sketch.may_hold(name)) return false;
    const std::size_t mask = table.size() - 1;
    for (std::size_t i = hash_bytes(name, name_seed) & mask;; i = (i + 1) & mask) {
        if (table[i].empty()) return false;
        if (table[i] == name) return true;
    }
}

void ExpositionParser::reset(std::string_view body, const MetricNameSet* read_only) {
    body_ = body;
    read_only_ = read_only;
    last_skipped_ = {};
    pos_ = 0;
    line_no_ = 0;
    done_ = false;
    families_.clear();
    std::fill(family_index_.begin(), family_index_.end(), -1);
    current_family_ = -1;
    for (auto& s : seen_) s.used = false;
    seen_count_ = 0;
    current_ = {};
    text_ = {};
    error_ = {};
    stats_ = {};
    pending_error_ = false;
    if (body.size() > limits_.max_body_bytes) {
        fail(ExpositionError::body_too_large, {});
        pending_error_ = true;
    }
}

ExpositionEntry ExpositionParser::fail(ExpositionError kind, std::string_view near) {
    error_ = {kind, line_no_, near.substr(0, 64)};
    ++stats_.errors;
    ++stats_.errors_by_kind[int(kind)];
    if (error_.fatal()) {
        stats_.fatal = true;
        done_ = true;
    }
    return ExpositionEntry::error;
}

ExpositionEntry ExpositionParser::next() {
    if (pending_error_) {
        pending_error_ = false;
        return ExpositionEntry::error;
    }
    if (done_) return ExpositionEntry::end;
    while (pos_ < body_.size()) {
        ++line_no_;
        ++stats_.lines;
        const std::size_t start = pos_;
        const void* nl = std::memchr(body_.data() + start, '\n', body_.size() - start);
        const bool terminated = nl != nullptr;
        const std::size_t stop = terminated ? std::size_t(static_cast<const char*>(nl) - body_.data()) : body_.size();
        pos_ = terminated ? stop + 1 : stop;
        std::string_view raw = body_.substr(start, stop - start);
        line_start_ = std::uint32_t(start);
        if (raw.size() > limits_.max_line_bytes) return fail(ExpositionError::line_too_long, near_of(raw));
        if (!terminated) return fail(ExpositionError::unterminated_line, near_of(raw));
        std::string_view line = trim(raw);
        if (!line.empty() && line.back() == '\r') return fail(ExpositionError::carriage_return, near_of(line));
        if (line.empty()) continue;  // blank lines are ignored
        if (read_only_ && skippable(line)) continue;
        if (line[0] == '#') return parse_comment(line);
        return parse_series(line);
    }
    done_ = true;
    return ExpositionEntry::end;
}

bool ExpositionParser::skippable(std::string_view line) {
    // Anything unusual goes to the full parser, which names the error: only a well-formed name
    // followed by what must follow it is decided here.
    enum { sample, help, type } what = sample;
    std::size_t from = 0;
    if (line[0] == '#') {
        if (line.size() < 7 || line[1] != ' ' || line[6] != ' ') return false;
        const std::string_view word = line.substr(2, 4);
        if (word == "HELP") what = help;
        else if (word == "TYPE") what = type;
        else return false;
        from = 7;
    }
    auto follows_name = [&](char c) { return is_blank(c) || (what == sample && c == '{'); };
    auto count = [&] {
        ++(what == sample ? stats_.skipped_samples : what == help ? stats_.skipped_helps : stats_.skipped_types);
        return true;
    };
    // After a sample's name and any blanks: its labels or the start of its value ("z {a=\"1\"} 2"
    // is a sample, as the full parser reads it).
    auto sample_rest = [&](std::size_t after) {
        const std::size_t j = skip_blanks(line, after);
        return (j < line.size() && line[j] == '{') || value_start(line, j);
    };
    // A family's HELP, TYPE and samples repeat one name: the name of the last line passed over,
    // followed by what cannot be part of a name, is that name again (no scan, no lookup).
    const std::string_view last = last_skipped_;
    if (!last.empty() && line.size() > from + last.size() && line.compare(from, last.size(), last) == 0 &&
        follows_name(line[from + last.size()]) && (what != type || last_untyped_)) {
        const std::size_t after = from + last.size();
        if (what != sample || sample_rest(after)) return count();
        return false;
    }
    std::size_t i = from;
    if (i >= line.size() || !is_name_start(line[i])) return false;
    while (i < line.size() && is_name_char(line[i])) ++i;
    if (i - from > limits_.max_name_bytes || i == line.size() || !follows_name(line[i])) return false;
    if (what == sample && !sample_rest(i)) return false;
    const std::string_view name = line.substr(from, i - from);
    // types() holds every name contains() does: a name it lacks is passed over on any line.
    const bool untyped = !read_only_->types(name);
    if (!untyped && (what == type || read_only_->contains(name))) return false;
    last_skipped_ = name;
    last_untyped_ = untyped;
    return count();
}

long ExpositionParser::find_family(std::string_view name, std::uint64_t hash) const {
    if (family_index_.empty()) return -1;
    const std::size_t mask = family_index_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        long f = family_index_[i];
        if (f < 0) return -1;
        if (families_[std::size_t(f)].hash == hash && families_[std::size_t(f)].name == name) return f;
    }
}

void ExpositionParser::grow_family_index() {
    std::size_t size = std::max<std::size_t>(64, family_index_.size() * 2);
    family_index_.assign(size, -1);
    for (std::size_t f = 0; f < families_.size(); ++f) {
        for (std::size_t i = families_[f].hash & (size - 1);; i = (i + 1) & (size - 1)) {
            if (family_index_[i] < 0) {
                family_index_[i] = long(f);
                break;
            }
        }
    }
}

long ExpositionParser::add_family(std::string_view name, std::uint64_t hash) {
    Family f;
    f.name = name;
    f.hash = hash;
    families_.push_back(f);
    if ((families_.size() * 2) > family_index_.size()) {
        grow_family_index();
    } else {
        const std::size_t mask = family_index_.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            if (family_index_[i] < 0) {
                family_index_[i] = long(families_.size() - 1);
                break;
            }
        }
    }
    return long(families_.size() - 1);
}

void ExpositionParser::switch_to(long family) {
    if (current_family_ >= 0 && current_family_ != family) families_[std::size_t(current_family_)].closed = true;
    current_family_ = family;
}

ExpositionEntry ExpositionParser::parse_comment(std::string_view line) {
    std::string_view rest = line.substr(1);
    text_ = rest;
    // "#HELP" (no blank) is a plain comment, as in Prometheus's lexer.
    if (rest.empty() || !is_blank(rest[0])) {
        ++stats_.comments;
        return ExpositionEntry::comment;
    }
    std::size_t i = skip_blanks(rest, 0);
    std::size_t j = i;
    while (j < rest.size() && !is_blank(rest[j])) ++j;
    const std::string_view word = rest.substr(i, j - i);
    const bool help = word == "HELP", type = word == "TYPE";
    if (!help && !type) {
        ++stats_.comments;
        return ExpositionEntry::comment;
    }
    const ExpositionError bad = help ? ExpositionError::invalid_help : ExpositionError::invalid_type;
    i = skip_blanks(rest, j);
    j = i;
    while (j < rest.size() && !is_blank(rest[j])) ++j;
    const std::string_view name = rest.substr(i, j - i);
    if (name.empty() || !is_name_start(name[0]) ||
        !std::all_of(name.begin(), name.end(), [](char c) { return is_name_char(c); }))
        return fail(bad, near_of(rest, i));
    if (name.size() > limits_.max_name_bytes) return fail(ExpositionError::metric_name_too_long, near_of(name));
    i = skip_blanks(rest, j);
    const std::string_view tail = rest.substr(i);  // the line is right-trimmed already

    MetricKind kind = MetricKind::untyped;
    if (help) {
        if (tail.find('\\') != std::string_view::npos) {
            if (scratch_.capacity() < tail.size()) scratch_.reserve(tail.size());
            if (!unescape_exposition(tail, false, &scratch_)) return fail(ExpositionError::invalid_escape, near_of(tail));
            text_ = scratch_;
        } else {
            text_ = tail;
        }
        if (!valid_utf8(text_)) return fail(ExpositionError::invalid_utf8, near_of(tail));
    } else {
        if (tail == "counter") kind = MetricKind::counter;
        else if (tail == "gauge") kind = MetricKind::gauge;
        else if (tail == "histogram") kind = MetricKind::histogram;
        else if (tail == "summary") kind = MetricKind::summary;
        else if (tail == "untyped") kind = MetricKind::untyped;
        else return fail(ExpositionError::invalid_type, near_of(tail.empty() ? rest : tail));
    }

    const std::uint64_t hash = hash_bytes(name, name_seed);
    long f = find_family(name, hash);
    if (f >= 0) {
        const Family& fam = families_[std::size_t(f)];
        if (help && fam.helped) return fail(ExpositionError::duplicate_help, near_of(name));
        if (type && fam.typed) return fail(ExpositionError::duplicate_type, near_of(name));
        if (fam.sampled) return fail(ExpositionError::metadata_after_samples, near_of(name));
        if (limits_.strict_grouping && fam.closed) return fail(ExpositionError::family_interrupted, near_of(name));
    } else {
        if (families_.size() >= limits_.max_families) return fail(ExpositionError::too_many_families, near_of(name));
        f = add_family(name, hash);
    }
    Family& fam = families_[std::size_t(f)];
    switch_to(f);
    current_ = {};
    current_.family = fam.name;
    if (help) {
        fam.helped = true;
        current_.kind = fam.kind;
        ++stats_.helps;
        return ExpositionEntry::help;
    }
    fam.typed = true;
    fam.kind = kind;
    current_.kind = kind;
    ++stats_.types;
    return ExpositionEntry::type;
}

ExpositionError ExpositionParser::parse_sample(std::string_view line, Sample* out, std::vector<Label>* labels,
                                               std::string* scratch, std::string_view* near) const {
    const std::size_t n = line.size();
    std::size_t i = 0;
    *near = near_of(line);
    if (!is_name_start(line[0])) return ExpositionError::invalid_metric_name;
    while (i < n && is_name_char(line[i])) ++i;
    out->name = line.substr(0, i);
    if (i > limits_.max_name_bytes) return ExpositionError::metric_name_too_long;
    if (i < n && !is_blank(line[i]) && line[i] != '{') return ExpositionError::invalid_metric_name;
    i = skip_blanks(line, i);

    labels->clear();
    // Unescaped values go to `scratch`; reserving the line's size first keeps earlier views valid.
    scratch->clear();
    if (scratch->capacity() < n) scratch->reserve(n);
    if (i < n && line[i] == '{') {
        ++i;
        bool need_separator = false;
        for (;;) {
            i = skip_blanks(line, i);
            if (i >= n) { *near = near_of(line, i); return ExpositionError::label_syntax; }
            if (line[i] == '}') { ++i; break; }
            if (need_separator) {
                if (line[i] != ',') { *near = near_of(line, i); return ExpositionError::label_syntax; }
                ++i;
                need_separator = false;
                continue;
            }
            const std::size_t name_start = i;
            if (!is_label_start(line[i])) {
                *near = near_of(line, i);
                return name_like(line[i]) ? ExpositionError::invalid_label_name : ExpositionError::label_syntax;
            }
            while (i < n && is_label_char(line[i])) ++i;
            const std::string_view lname = line.substr(name_start, i - name_start);
            *near = near_of(line, name_start);
            if (lname.size() > limits_.max_label_name_bytes) return ExpositionError::label_name_too_long;
            if (i < n && name_like(line[i])) return ExpositionError::invalid_label_name;
            i = skip_blanks(line, i);
            if (i >= n || line[i] != '=') return ExpositionError::label_syntax;
            i = skip_blanks(line, i + 1);
            if (i >= n || line[i] != '"') return ExpositionError::label_syntax;
            const std::size_t value_start = ++i;
            bool escaped = false;
            while (i < n && line[i] != '"') {
                if (line[i] == '\\') {
                    escaped = true;
                    ++i;  // the escaped character cannot close the value
                }
                ++i;
            }
            if (i >= n) return ExpositionError::label_syntax;  // no closing quote
            const std::string_view raw = line.substr(value_start, i - value_start);
            ++i;
            std::string_view value = raw;
            if (escaped) {
                const std::size_t at = scratch->size();
                for (std::size_t k = 0; k < raw.size(); ++k) {
                    if (raw[k] != '\\') { scratch->push_back(raw[k]); continue; }
                    switch (raw[++k]) {
                    case '\\': scratch->push_back('\\'); break;
                    case '"': scratch->push_back('"'); break;
                    case 'n': scratch->push_back('\n'); break;
                    default: *near = near_of(line, value_start + k - 1); return ExpositionError::invalid_escape;
                    }
                }
                value = std::string_view(scratch->data() + at, scratch->size() - at);
            }
            if (value.size() > limits_.max_label_value_bytes) return ExpositionError::label_value_too_long;
            if (!valid_utf8(value)) return ExpositionError::invalid_utf8;
            for (const Label& l : *labels)
                if (l.name == lname) return ExpositionError::duplicate_label_name;
            if (labels->size() >= limits_.max_labels) return ExpositionError::too_many_labels;
            labels->push_back({lname, value});
            need_separator = true;
        }
        i = skip_blanks(line, i);
    }
    out->label_count = labels->size();

    std::size_t j = i;
    while (j < n && !is_blank(line[j])) ++j;
    *near = near_of(line, i);
    auto value = parse_value(line.substr(i, j - i));
    if (!value) return ExpositionError::invalid_value;
    out->value = *value;
    i = skip_blanks(line, j);
    out->timestamp_ms.reset();
    if (i < n) {
        j = i;
        while (j < n && !is_blank(line[j])) ++j;
        *near = near_of(line, i);
        auto ts = parse_timestamp(line.substr(i, j - i));
        if (!ts) return ExpositionError::invalid_timestamp;
        out->timestamp_ms = ts;
        i = skip_blanks(line, j);
        if (i < n) { *near = near_of(line, i); return ExpositionError::trailing_text; }
    }
    *near = {};
    return ExpositionError::none;
}

std::uint64_t ExpositionParser::series_hash(const Sample& s, const std::vector<Label>& labels) const {
    // The sum over labels does not depend on their order: {a,b} and {b,a} are the same series.
    std::uint64_t h = hash_bytes(s.name, name_seed);
    for (std::size_t i = 0; i < s.label_count; ++i)
        h += mix(hash_bytes(labels[i].name, label_seed) ^ (hash_bytes(labels[i].value, value_seed) * 31));
    return h;
}

bool ExpositionParser::same_series_as_line(std::uint32_t line_start, const Sample& s) {
    std::size_t stop = body_.find('\n', line_start);
    if (stop == std::string_view::npos) stop = body_.size();
    Sample other;
    std::string_view near;
    if (parse_sample(trim(body_.substr(line_start, stop - line_start)), &other, &other_labels_, &other_scratch_, &near) !=
        ExpositionError::none)
        return false;
    if (other.name != s.name || other.label_count != s.label_count) return false;
    for (std::size_t i = 0; i < s.label_count; ++i) {
        bool found = false;
        for (std::size_t k = 0; k < other.label_count && !found; ++k)
            found = other_labels_[k].name == labels_[i].name && other_labels_[k].value == labels_[i].value;
        if (!found) return false;
    }
    return true;
}

long ExpositionParser::resolve_family(std::string_view name, std::uint64_t name_hash) {
    auto member_of = [&](const Family& f) {
        if (name == f.name) return true;
        if (f.kind != MetricKind::histogram && f.kind != MetricKind::summary) return false;
        if (name.size() <= f.name.size() || name.substr(0, f.name.size()) != f.name) return false;
        const std::string_view suffix = name.substr(f.name.size());
        return suffix == "_sum" || suffix == "_count" || (f.kind == MetricKind::histogram && suffix == "_bucket");
    };
    if (current_family_ >= 0 && member_of(families_[std::size_t(current_family_)])) return current_family_;
    for (std::string_view suffix : {std::string_view("_bucket"), std::string_view("_sum"), std::string_view("_count")}) {
        if (!ends_with(name, suffix)) continue;
        const std::string_view base = name.substr(0, name.size() - suffix.size());
        const long f = find_family(base, hash_bytes(base, name_seed));
        if (f >= 0 && member_of(families_[std::size_t(f)])) return f;
    }
    return find_family(name, name_hash);
}

ExpositionEntry ExpositionParser::parse_series(std::string_view line) {
    Sample s;
    std::string_view near;
    const ExpositionError err = parse_sample(line, &s, &labels_, &scratch_, &near);
    if (err != ExpositionError::none) return fail(err, near);

    const std::uint64_t name_hash = hash_bytes(s.name, name_seed);
    long f = resolve_family(s.name, name_hash);
    const bool resumed = f >= 0 && f != current_family_ && families_[std::size_t(f)].closed;
    if (resumed && limits_.strict_grouping) return fail(ExpositionError::family_interrupted, near_of(line));

    const std::uint64_t h = series_hash(s, labels_);
    std::size_t slot = 0;
    if (!seen_.empty()) {
        const std::size_t mask = seen_.size() - 1;
        for (slot = h & mask; seen_[slot].used; slot = (slot + 1) & mask)
            if (seen_[slot].hash == h && same_series_as_line(seen_[slot].line_start, s))
                return fail(ExpositionError::duplicate_series, near_of(line));
    }
    if (stats_.series >= limits_.max_series) return fail(ExpositionError::too_many_series, near_of(line));
    if (f < 0 && families_.size() >= limits_.max_families) return fail(ExpositionError::too_many_families, near_of(line));

    // Committed from here: the line is good.
    if (f < 0) f = add_family(s.name, name_hash);
    families_[std::size_t(f)].sampled = true;
    switch_to(f);
    if ((seen_count_ + 1) * 2 > seen_.size()) {
        std::vector<SeenSeries> old = std::move(seen_);
        seen_.assign(std::max<std::size_t>(1024, old.size() * 2), SeenSeries{});
        const std::size_t mask = seen_.size() - 1;
        for (const SeenSeries& e : old) {
            if (!e.used) continue;
            std::size_t k = e.hash & mask;
            while (seen_[k].used) k = (k + 1) & mask;
            seen_[k] = e;
        }
        slot = h & mask;
        while (seen_[slot].used) slot = (slot + 1) & mask;
    }
    seen_[slot] = {h, line_start_, true};
    ++seen_count_;
    ++stats_.series;
    if (resumed) ++stats_.resumed;

    const Family& fam = families_[std::size_t(f)];
    current_.name = s.name;
    current_.labels = labels_.data();
    current_.label_count = s.label_count;
    current_.value = s.value;
    current_.timestamp_ms = s.timestamp_ms;
    current_.kind = fam.kind;
    current_.family = fam.name;
    return ExpositionEntry::series;
}

}  // namespace vigil::hub::sources
