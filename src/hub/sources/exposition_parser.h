// A streaming parser of the Prometheus text exposition format 0.0.4, after Prometheus's
// model/textparse: next() says what the next entry is, accessors give views valid until the next
// call, and the scrape loop decides what to keep. Strict where the spec is strict (README.md here).
// Implemented features:
//  [X] samples: name, labels (escapes \\ \" \n), value (decimal, NaN, +Inf, -Inf), int64 ms timestamp
//  [X] # HELP (escapes \\ \n), # TYPE (counter gauge histogram summary untyped), plain comments
//  [X] per-line errors with line number and reason; an error skips its line only, never changes state
//  [X] rules across lines: one HELP/TYPE per family, TYPE before samples, each series (name +
//      label set) once, last line ends with \n; families in one group: counted, or optionally errors
//  [X] limits: body bytes, line bytes, series, families, labels per series, name/label lengths
//  [ ] hex floats (Go's ParseFloat takes them; no exporter writes them), OpenMetrics, histogram
//      bucket order and +Inf bucket checks
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hub::sources {

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. (Also the line
// protocol's and the push store's check: a name the hub would send as U+FFFD grows 3x.)
bool valid_utf8(std::string_view s);

struct ExpositionLimits {
    std::size_t max_body_bytes = 8u << 20;  // a bigger body gives one fatal error and no entries
    std::size_t max_line_bytes = 64u << 10; // a longer line is an error (skipped)
    std::size_t max_series = 50000;         // the series after this many: fatal, parsing stops
    std::size_t max_families = 10000;       // distinct metric names with samples or metadata: fatal
    std::size_t max_labels = 64;            // per series
    std::size_t max_name_bytes = 256;       // metric name
    std::size_t max_label_name_bytes = 128;
    std::size_t max_label_value_bytes = 2048;  // unescaped
    // The spec says a family's lines "must" be one uninterrupted group. Enforcing it (true: the
    // resumed lines are family_interrupted errors) turns one corrupt line that happens to be a
    // valid line of another family into the loss of every later line of the family it cut (the
    // fuzz test shows it); Prometheus does not enforce it either. So by default a resumed family's
    // lines are kept and counted in ExpositionStats::resumed (visible, not lost).
    bool strict_grouping = false;
};

enum class MetricKind { untyped, counter, gauge, histogram, summary };
const char* kind_name(MetricKind k);

enum class ExpositionEntry {
    series,   // a sample line: name(), labels(), value(), timestamp_ms(), kind(), family()
    help,     // "# HELP": family(), help() (unescaped)
    type,     // "# TYPE": family(), kind()
    comment,  // any other "#" line: comment() (the text after '#')
    error,    // a line that breaks a rule: error(); fatal ones are followed by `end`
    end,      // the body is done (also after a fatal error)
};

enum class ExpositionError {
    none,
    body_too_large,     // fatal, before any entry
    too_many_series,    // fatal
    too_many_families,  // fatal
    line_too_long,
    unterminated_line,  // the last line has no '\n' (a cut body: its value may be cut too)
    carriage_return,    // "\r": the format's lines end with "\n" alone (Prometheus rejects CRLF too)
    invalid_metric_name,
    metric_name_too_long,
    invalid_label_name,
    label_name_too_long,
    label_value_too_long,
    too_many_labels,
    duplicate_label_name,
    label_syntax,       // missing '=', '"', ',' or '}'
    invalid_escape,     // in a label value or HELP text: only \\ \" \n (label) or \\ \n (HELP)
    invalid_utf8,       // in a label value or HELP text
    invalid_value,
    invalid_timestamp,
    trailing_text,      // more tokens after the timestamp
    invalid_help,       // "# HELP" without a valid metric name
    invalid_type,       // "# TYPE" without exactly a name and a known kind
    duplicate_help,
    duplicate_type,
    metadata_after_samples,  // HELP or TYPE of a family whose samples came already
    family_interrupted,      // a family's lines resumed after another family's (only with strict_grouping)
    duplicate_series,        // same name and label set earlier in this body
};
const char* error_name(ExpositionError e);

struct ExpositionErrorInfo {
    ExpositionError kind = ExpositionError::none;
    std::size_t line = 0;        // 1-based
    std::string_view near;       // the offending token or the line's start (at most 64 bytes)
    bool fatal() const {
        return kind == ExpositionError::body_too_large || kind == ExpositionError::too_many_series ||
               kind == ExpositionError::too_many_families;
    }
    std::string describe() const;  // "line 12: invalid_label_name near \"1a=...\""
};

struct Label {
    std::string_view name;
    std::string_view value;  // unescaped: a view into the body, or the parser's scratch if escaped
};

// One sample line as views; valid until the parser's next next() or reset().
struct SeriesView {
    std::string_view name;
    const Label* labels = nullptr;
    std::size_t label_count = 0;
    double value = 0;
    std::optional<std::int64_t> timestamp_ms;
    MetricKind kind = MetricKind::untyped;  // of the family: callers skip histograms/summaries by it
    std::string_view family;                // "x" for x_bucket/x_sum/x_count of a histogram "x"

    const Label* begin() const { return labels; }
    const Label* end() const { return labels + label_count; }
    std::optional<std::string_view> label(std::string_view label_name) const;
};

// The metric names a caller reads (a profile's and its mappings'). Built once per target;
// asked for most lines, so a lookup is a bit test and, rarely, a hash probe.
class MetricNameSet {
public:
    MetricNameSet() = default;
    explicit MetricNameSet(std::vector<std::string> names);
    bool contains(std::string_view name) const { return find(names_, name_sketch_, name); }
    // A family whose "# TYPE" decides the kind of a name read: the name itself, or x of x_sum,
    // x_count, x_bucket (a histogram's or summary's member).
    bool types(std::string_view family) const { return find(families_, family_sketch_, family); }
    std::size_t size() const { return count_; }

private:
    struct Sketch {  // a 256-bit filter on (length, last two bytes): most other names miss it
        std::uint64_t bits[4] = {};
        static unsigned bit(std::string_view n);
        void add(std::string_view n) { bits[bit(n) / 64] |= std::uint64_t(1) << (bit(n) % 64); }
        bool may_hold(std::string_view n) const { return bits[bit(n) / 64] >> (bit(n) % 64) & 1; }
    };
    static void insert(std::vector<std::string>& table, Sketch& sketch, const std::string& name);
    static bool find(const std::vector<std::string>& table, const Sketch& sketch, std::string_view name);
    std::vector<std::string> names_, families_;  // open addressing, power-of-two sizes, "" = empty
    Sketch name_sketch_, family_sketch_;
    std::size_t count_ = 0;
};

struct ExpositionStats {
    std::size_t lines = 0, series = 0, helps = 0, types = 0, comments = 0, errors = 0;
    // With a name set (reset()'s `read_only`): sample, "# HELP" and "# TYPE" lines of other names,
    // passed over after checking only their metric name and line end (not in series/helps/types).
    std::size_t skipped_samples = 0, skipped_helps = 0, skipped_types = 0;
    std::size_t errors_by_kind[int(ExpositionError::duplicate_series) + 1] = {};
    std::size_t resumed = 0;  // series of a family resumed after another's lines (kept; see strict_grouping)
    bool fatal = false;
};

class ExpositionParser {
public:
    explicit ExpositionParser(ExpositionLimits limits = {});

    // Starts on `body`, which must outlive the parse. Tables keep their capacity between bodies.
    // `read_only` (optional, must outlive the parse): sample lines whose metric name it lacks
    // are checked for a valid name and line end only and skipped, and so are canonical
    // "# HELP name ..." lines of such names and "# TYPE name ..." lines of families that type
    // none of them. That is most of a node_exporter body, and most of the parse's cost
    // (README.md here, "What is read").
    void reset(std::string_view body, const MetricNameSet* read_only = nullptr);
    ExpositionEntry next();

    SeriesView series() const { return current_; }
    std::string_view name() const { return current_.name; }
    std::string_view family() const { return current_.family; }
    MetricKind kind() const { return current_.kind; }
    std::string_view help() const { return text_; }
    std::string_view comment() const { return text_; }
    const ExpositionErrorInfo& error() const { return error_; }
    std::size_t line() const { return line_no_; }  // of the current entry
    const ExpositionStats& stats() const { return stats_; }
    const ExpositionLimits& limits() const { return limits_; }

private:
    struct Family {
        std::string_view name;
        std::uint64_t hash = 0;
        MetricKind kind = MetricKind::untyped;
        bool typed = false, helped = false, sampled = false, closed = false;
    };
    struct SeenSeries {
        std::uint64_t hash = 0;
        std::uint32_t line_start = 0;  // offset of the earlier line in the body, to compare exactly
        bool used = false;
    };
    struct Sample {  // one parsed sample line, labels in `labels`, unescaped text in `scratch`
        std::string_view name;
        std::size_t label_count = 0;
        double value = 0;
        std::optional<std::int64_t> timestamp_ms;
    };

    ExpositionEntry fail(ExpositionError kind, std::string_view near);
    ExpositionEntry parse_comment(std::string_view line);
    ExpositionEntry parse_series(std::string_view line);
    // True when `line` is a sample, canonical HELP or TYPE line read_only_ does not need (counted).
    bool skippable(std::string_view line);
    // Syntax of one sample line into `out`, `labels` and `scratch` (sized by the caller).
    ExpositionError parse_sample(std::string_view line, Sample* out, std::vector<Label>* labels,
                                 std::string* scratch, std::string_view* near) const;
    std::uint64_t series_hash(const Sample& s, const std::vector<Label>& labels) const;
    bool same_series_as_line(std::uint32_t line_start, const Sample& s);
    // Index of the family `name`, or -1; `insert` adds it (false when the table is full).
    long find_family(std::string_view name, std::uint64_t hash) const;
    long add_family(std::string_view name, std::uint64_t hash);
    void grow_family_index();
    void switch_to(long family);
    long resolve_family(std::string_view sample_name, std::uint64_t name_hash);

    ExpositionLimits limits_;
    std::string_view body_;
    std::size_t pos_ = 0;
    std::size_t line_no_ = 0;
    std::uint32_t line_start_ = 0;  // offset of the current line
    bool done_ = false;
    bool pending_error_ = false;  // body_too_large, found by reset(), reported by the first next()
    const MetricNameSet* read_only_ = nullptr;
    std::string_view last_skipped_;  // the name of the last line skippable() passed over
    bool last_untyped_ = false;      // ... and read_only_ types no name by it

    std::vector<Family> families_;
    std::vector<long> family_index_;  // open addressing over families_, -1 = empty
    long current_family_ = -1;
    std::vector<SeenSeries> seen_;    // open addressing, power-of-two size
    std::size_t seen_count_ = 0;

    std::vector<Label> labels_, other_labels_;
    std::string scratch_, other_scratch_;
    SeriesView current_;
    std::string_view text_;
    ExpositionErrorInfo error_;
    ExpositionStats stats_;
};

// The unescaped text of a HELP docstring or label value `raw` (label: also \"); false on a bad escape.
bool unescape_exposition(std::string_view raw, bool label_value, std::string* out);

}  // namespace vigil::hub::sources
