// A streaming parser of InfluxDB line protocol (the v1/v2 write wire format), shaped like
// ExpositionParser: next() says what the next line gave, accessors give views valid until the next
// call, and the /ingest caller decides what to keep. Decisions are in README.md here.
// Implemented features:
//  [X] measurement[,tag=v...] field=v[,field=v...] [timestamp]; escapes \, \space \= (names, tags)
//      and \" \\ (string fields); float, integer (i), unsigned (u), string, boolean field values
//  [X] # comments and blank lines (counted, skipped); CRLF line ends; a last line without \n
//  [X] timestamps in ns/us/ms/s (the caller's `precision`), converted to ms; absent = receive time
//  [X] per-line errors with line number and reason; limits: body, line, tags, fields, name lengths
//  [X] map_point(): a parsed line to (host, metric key, value) for the hub, with Telegraf's inputs
//  [ ] string fields spanning lines (a raw newline inside quotes), tag/field sorting or dedup by key
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hub::sources {

struct LineProtocolLimits {
    std::size_t max_body_bytes = 8u << 20;  // a bigger body gives one fatal error and no points
    std::size_t max_line_bytes = 64u << 10; // a longer line is that line's error (skipped)
    std::size_t max_tags = 64;              // per line
    std::size_t max_fields = 256;           // per line
    std::size_t max_name_bytes = 256;       // measurement, tag key, field key (unescaped)
    std::size_t max_tag_value_bytes = 2048; // unescaped
    std::size_t max_string_bytes = 64u << 10;  // a string field value, unescaped
};

enum class Precision { ns, us, ms, s };
// "ns" "us" "ms" "s" (the `precision` query parameter; v1's "n" "u" too); nullopt otherwise.
std::optional<Precision> parse_precision(std::string_view text);

enum class LineEntry {
    point,  // a good line: point()
    error,  // a bad line: error(); a fatal one is followed by `end`
    end,
};

enum class LineError {
    none,
    body_too_large,  // fatal, before any point
    line_too_long,
    missing_measurement,
    name_too_long,        // measurement, tag key or field key
    invalid_tag,          // no '=', empty key or value
    tag_value_too_long,
    too_many_tags,
    duplicate_tag,
    missing_fields,       // no field set after the measurement and tags
    invalid_field,        // no '=', empty key, or nothing after '='
    invalid_field_value,  // not a float, 12i, 12u, "string" or boolean
    unterminated_string,
    string_too_long,
    too_many_fields,
    duplicate_field,
    invalid_timestamp,    // not an int64, or out of range once converted to ms
    trailing_text,        // more after the timestamp
    bad_escape,           // a backslash ending the line
    invalid_utf8,         // the line is not valid UTF-8 (names, tag values and strings are text)
};
const char* error_name(LineError e);

struct LineErrorInfo {
    LineError kind = LineError::none;
    std::size_t line = 0;   // 1-based
    std::string_view near;  // the offending token or the line's start (at most 64 bytes)
    bool fatal() const { return kind == LineError::body_too_large; }
    std::string describe() const;  // "line 3: invalid_field_value near \"12x\""
};

struct LineTag {
    std::string_view key, value;  // unescaped: views into the body, or the parser's scratch if escaped
};

enum class FieldType { float_, integer, unsigned_, string, boolean };

struct LineField {
    std::string_view key;
    FieldType type = FieldType::float_;
    double value = 0;           // float, integer, unsigned (as double), boolean 1/0; 0 for strings
    std::int64_t integer = 0;   // exact, for integer
    std::uint64_t unsigned_value = 0;  // exact, for unsigned
    std::string_view text;      // string fields, unescaped
    bool numeric() const { return type != FieldType::string; }  // booleans count as 0/1
};

// One good line as views; valid until the parser's next next() or reset().
struct PointView {
    std::string_view measurement;
    const LineTag* tags = nullptr;
    std::size_t tag_count = 0;
    const LineField* fields = nullptr;
    std::size_t field_count = 0;
    std::optional<std::int64_t> timestamp_ms;  // floor of the line's timestamp; nullopt: use receive time

    std::optional<std::string_view> tag(std::string_view key) const;
    const LineField* field(std::string_view key) const;
};

struct LineProtocolStats {
    std::size_t lines = 0, points = 0, fields = 0, comments = 0, blank = 0, crlf = 0, errors = 0;
    std::size_t errors_by_kind[int(LineError::invalid_utf8) + 1] = {};
    bool fatal = false;
};

class LineProtocolParser {
public:
    explicit LineProtocolParser(LineProtocolLimits limits = {});

    // Starts on `body` (which must outlive the parse) with the timestamps' precision.
    void reset(std::string_view body, Precision precision = Precision::ns);
    LineEntry next();

    const PointView& point() const { return current_; }
    const LineErrorInfo& error() const { return error_; }
    std::size_t line() const { return line_no_; }
    const LineProtocolStats& stats() const { return stats_; }
    const LineProtocolLimits& limits() const { return limits_; }

private:
    LineEntry fail(LineError kind, std::string_view near);
    LineError parse_line(std::string_view line, std::string_view* near);

    LineProtocolLimits limits_;
    Precision precision_ = Precision::ns;
    std::string_view body_;
    std::size_t pos_ = 0, line_no_ = 0;
    bool done_ = false, pending_error_ = false;
    std::vector<LineTag> tags_;
    std::vector<LineField> fields_;
    std::string scratch_;  // reserved to the line's length first, so views into it stay put
    PointView current_;
    LineErrorInfo error_;
    LineProtocolStats stats_;
};

// ---- For the hub: one point -> (host, metric key, value) ----

struct IngestMapping {
    std::string host_tag = "host";  // the tag naming the host; a line without it maps to nothing
    // Telegraf's cpu, mem, system, net and diskio inputs map to the screen's keys (README.md); their
    // other fields are dropped. false: every measurement maps as <measurement>_<field>.
    bool telegraf = true;
};

struct HubSample {
    std::string key;       // the hub's metric key: "cpu", "mem", "load1", "net_rx", "disk_w_bytes"...
    double value = 0;
    // A counter (Telegraf's net bytes_recv/sent, diskio read/write_bytes): feed `value` to
    // CounterRates under `rate_key` ("net_rx/eth0") and sum the rates of one `key` per host.
    bool rate = false;
    std::string rate_key;
};

struct MappedPoint {
    std::string_view host;  // empty: the line had no host tag (nothing in `samples`)
    std::vector<HubSample> samples;
};

// Appends to out->samples (cleared first); string fields are skipped, booleans give 0/1.
void map_point(const PointView& p, const IngestMapping& mapping, MappedPoint* out);

}  // namespace vigil::hub::sources
