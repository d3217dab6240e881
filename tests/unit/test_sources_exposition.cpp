// The Prometheus text exposition parser (src/hub/sources/exposition_parser.h) against the 0.0.4
// spec, rule by rule: what is accepted, what each broken line reports, and that a broken line
// costs only itself.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "hub/sources/exposition_parser.h"
#include "test_sources_fixture.h"

using namespace vigil::hub::sources;

namespace {

struct Rec {
    ExpositionEntry entry{};
    std::size_t line = 0;
    std::string name, family, text;
    std::vector<std::pair<std::string, std::string>> labels;
    double value = 0;
    std::optional<std::int64_t> ts;
    MetricKind kind = MetricKind::untyped;
    ExpositionError error = ExpositionError::none;
};

std::vector<Rec> parse_all(std::string_view body, ExpositionLimits limits = {}) {
    ExpositionParser p(limits);
    p.reset(body);
    std::vector<Rec> out;
    for (int guard = 0; guard < 1000000; ++guard) {
        const ExpositionEntry e = p.next();
        if (e == ExpositionEntry::end) break;
        Rec r;
        r.entry = e;
        r.line = p.line();
        r.family = std::string(p.family());
        r.kind = p.kind();
        if (e == ExpositionEntry::series) {
            const SeriesView s = p.series();
            r.name = std::string(s.name);
            for (const Label& l : s) r.labels.emplace_back(std::string(l.name), std::string(l.value));
            r.value = s.value;
            r.ts = s.timestamp_ms;
        } else if (e == ExpositionEntry::help) {
            r.text = std::string(p.help());
        } else if (e == ExpositionEntry::comment) {
            r.text = std::string(p.comment());
        } else if (e == ExpositionEntry::error) {
            r.error = p.error().kind;
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<Rec> series_of(const std::vector<Rec>& all) {
    std::vector<Rec> out;
    for (auto& r : all)
        if (r.entry == ExpositionEntry::series) out.push_back(r);
    return out;
}

std::vector<ExpositionError> errors_of(const std::vector<Rec>& all) {
    std::vector<ExpositionError> out;
    for (auto& r : all)
        if (r.entry == ExpositionEntry::error) out.push_back(r.error);
    return out;
}

// The single error of a one-line body (plus "\n").
ExpositionError error_of_line(const std::string& line) {
    auto all = parse_all(line + "\n");
    auto errs = errors_of(all);
    if (errs.size() != 1 || all.size() != 1) return ExpositionError::none;
    return errs[0];
}

std::optional<double> value_of_line(const std::string& line) {
    auto s = series_of(parse_all(line + "\n"));
    if (s.size() != 1) return std::nullopt;
    return s[0].value;
}

const char* spec_example =
    "# HELP http_requests_total The total number of HTTP requests.\n"
    "# TYPE http_requests_total counter\n"
    "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
    "http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n"
    "\n"
    "# Escaping in label values:\n"
    "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n"
    "\n"
    "# Minimalistic line:\n"
    "metric_without_timestamp_and_labels 12.47\n"
    "\n"
    "# A weird metric from before the epoch:\n"
    "something_weird{problem=\"division by zero\"} +Inf -3982045\n"
    "\n"
    "# A histogram, which has a pretty complex representation in the text format:\n"
    "# HELP http_request_duration_seconds A histogram of the request duration.\n"
    "# TYPE http_request_duration_seconds histogram\n"
    "http_request_duration_seconds_bucket{le=\"0.05\"} 24054\n"
    "http_request_duration_seconds_bucket{le=\"0.1\"} 33444\n"
    "http_request_duration_seconds_bucket{le=\"+Inf\"} 144320\n"
    "http_request_duration_seconds_sum 53423\n"
    "http_request_duration_seconds_count 144320\n"
    "\n"
    "# Finally a summary, which has a complex representation, too:\n"
    "# HELP telemetry_requests_metrics_latency_microseconds A summary of the response latency.\n"
    "# TYPE telemetry_requests_metrics_latency_microseconds summary\n"
    "telemetry_requests_metrics_latency_microseconds{quantile=\"0.01\"} 3102\n"
    "telemetry_requests_metrics_latency_microseconds{quantile=\"0.99\"} 76656\n"
    "telemetry_requests_metrics_latency_microseconds_sum 1.7560473e+07\n"
    "telemetry_requests_metrics_latency_microseconds_count 2693\n";

}  // namespace

TEST_CASE("the spec's own example parses with no error, every value and label as written") {
    auto all = parse_all(spec_example);
    CHECK(errors_of(all).empty());
    auto s = series_of(all);
    REQUIRE(s.size() == 14);
    CHECK(s[0].name == "http_requests_total");
    CHECK(s[0].kind == MetricKind::counter);
    CHECK(s[0].labels == std::vector<std::pair<std::string, std::string>>{{"method", "post"}, {"code", "200"}});
    CHECK(s[0].value == 1027);
    CHECK(s[0].ts == 1395066363000);
    CHECK(s[1].value == 3);
    CHECK(s[2].labels[0].second == "C:\\DIR\\FILE.TXT");
    CHECK(s[2].labels[1].second == "Cannot find file:\n\"FILE.TXT\"");
    CHECK(s[2].value == doctest::Approx(1.458255915e9));
    CHECK(s[2].kind == MetricKind::untyped);
    CHECK(s[3].name == "metric_without_timestamp_and_labels");
    CHECK(s[3].value == doctest::Approx(12.47));
    CHECK(s[3].ts == std::nullopt);
    CHECK(std::isinf(s[4].value));
    CHECK(s[4].value > 0);
    CHECK(s[4].ts == -3982045);  // the spec's example has a negative timestamp
    for (int i = 5; i <= 7; ++i) {
        CHECK(s[std::size_t(i)].kind == MetricKind::histogram);
        CHECK(s[std::size_t(i)].family == "http_request_duration_seconds");
    }
    CHECK(s[7].labels[0].second == "+Inf");
    CHECK(s[8].name == "http_request_duration_seconds_sum");
    CHECK(s[8].family == "http_request_duration_seconds");
    CHECK(s[9].kind == MetricKind::histogram);
    CHECK(s[10].family == "telemetry_requests_metrics_latency_microseconds");
    CHECK(s[10].kind == MetricKind::summary);
    CHECK(s[13].name == "telemetry_requests_metrics_latency_microseconds_count");
    CHECK(s[13].kind == MetricKind::summary);

    int helps = 0, types = 0, comments = 0;
    for (auto& r : all) {
        helps += r.entry == ExpositionEntry::help;
        types += r.entry == ExpositionEntry::type;
        comments += r.entry == ExpositionEntry::comment;
    }
    CHECK(helps == 3);
    CHECK(types == 3);
    CHECK(comments == 5);
    CHECK(all[0].text == "The total number of HTTP requests.");
    CHECK(all[0].family == "http_requests_total");
}

TEST_CASE("values: decimal, exponent, NaN, +Inf, -Inf as Go's ParseFloat; junk is invalid_value") {
    CHECK(value_of_line("a 1") == 1);
    CHECK(value_of_line("a -2.5") == -2.5);
    CHECK(value_of_line("a +2.5") == 2.5);
    CHECK(value_of_line("a .5") == 0.5);
    CHECK(value_of_line("a 5.") == 5);
    CHECK(value_of_line("a 1e3") == 1000);
    CHECK(value_of_line("a 1.5E-3") == doctest::Approx(0.0015));
    CHECK(value_of_line("a 1e-400") == 0);  // underflow is the nearest double, not an error
    CHECK(std::isnan(*value_of_line("a NaN")));
    CHECK(std::isnan(*value_of_line("a nan")));
    CHECK(*value_of_line("a +Inf") == INFINITY);
    CHECK(*value_of_line("a -Inf") == -INFINITY);
    CHECK(*value_of_line("a Inf") == INFINITY);
    CHECK(*value_of_line("a -infinity") == -INFINITY);
    for (const char* bad : {"a 1e", "a e3", "a .", "a 0x10", "a 1_000", "a abc", "a --1", "a +NaN", "a NaNx",
                            "a 1e999", "a 1.2.3", "a 1,5"})
        CHECK_MESSAGE(error_of_line(bad) == ExpositionError::invalid_value, bad);
    CHECK(error_of_line("a") == ExpositionError::invalid_value);  // no value at all
    CHECK(error_of_line("a{b=\"1\"}") == ExpositionError::invalid_value);
}

TEST_CASE("timestamps are optional int64 milliseconds; anything after them is trailing_text") {
    auto s = series_of(parse_all("a 1 1700000000000\nb 2 -5\nc 3 +7\n"));
    REQUIRE(s.size() == 3);
    CHECK(s[0].ts == 1700000000000);
    CHECK(s[1].ts == -5);
    CHECK(s[2].ts == 7);
    CHECK(error_of_line("a 1 1.5") == ExpositionError::invalid_timestamp);
    CHECK(error_of_line("a 1 9223372036854775808") == ExpositionError::invalid_timestamp);
    CHECK(error_of_line("a 1 12x") == ExpositionError::invalid_timestamp);
    CHECK(error_of_line("a 1 2 3") == ExpositionError::trailing_text);
}

TEST_CASE("blanks and tabs separate tokens anywhere; leading, trailing whitespace and blank lines are ignored") {
    auto all = parse_all("  \t\n\ta\t1\t \n b {x = \"1\" , y=\"2\" ,} 2   5  \n\n   \n c{x=\"1\"}3\n");
    CHECK(errors_of(all).empty());
    auto s = series_of(all);
    REQUIRE(s.size() == 3);
    CHECK(s[0].line == 2);
    CHECK(s[1].labels.size() == 2);
    CHECK(s[1].value == 2);
    CHECK(s[1].ts == 5);
    CHECK(s[2].value == 3);  // after '}' the value needs no blank: the tokens cannot merge
    CHECK(s[2].line == 6);
}

TEST_CASE("CRLF: each line ending in \\r is a carriage_return error; \\n-only lines of the body still parse") {
    auto all = parse_all("a 1\r\nb 2\nc{x=\"1\"} 3 \r\n");
    CHECK(errors_of(all) == std::vector<ExpositionError>{ExpositionError::carriage_return, ExpositionError::carriage_return});
    auto s = series_of(all);
    REQUIRE(s.size() == 1);
    CHECK(s[0].name == "b");
    // A raw CR inside a label value is just a character (the spec only asks \, " and LF escaped).
    auto v = series_of(parse_all("a{x=\"p\rq\"} 1\n"));
    REQUIRE(v.size() == 1);
    CHECK(v[0].labels[0].second == "p\rq");
}

TEST_CASE("the last line must end with \\n: a cut body loses its cut line only") {
    auto all = parse_all("a 1\nb 2\nc 12");  // "c 123.5" cut short would read as 12
    CHECK(series_of(all).size() == 2);
    REQUIRE(errors_of(all) == std::vector<ExpositionError>{ExpositionError::unterminated_line});
    CHECK(all.back().line == 3);
    CHECK(parse_all("").empty());
}

TEST_CASE("metric and label names follow the spec's regexes") {
    CHECK(value_of_line("a:b_c9 1") == 1);
    CHECK(value_of_line("_x{_y=\"1\",__name=\"q\",Z9=\"2\"} 1") == 1);
    CHECK(error_of_line("1abc 1") == ExpositionError::invalid_metric_name);
    CHECK(error_of_line("a-b 1") == ExpositionError::invalid_metric_name);
    CHECK(error_of_line("a.b 1") == ExpositionError::invalid_metric_name);
    CHECK(error_of_line("é 1") == ExpositionError::invalid_metric_name);
    CHECK(error_of_line("a{1x=\"1\"} 1") == ExpositionError::invalid_label_name);
    CHECK(error_of_line("a{x:y=\"1\"} 1") == ExpositionError::invalid_label_name);  // ':' only in metric names
    CHECK(error_of_line("a{x-y=\"1\"} 1") == ExpositionError::invalid_label_name);
}

TEST_CASE("label syntax: '=', quotes, separators; a trailing comma and {} are accepted") {
    CHECK(value_of_line("a{x=\"1\",} 1") == 1);
    CHECK(value_of_line("a{} 1") == 1);
    CHECK(value_of_line("a{x=\"\"} 1") == 1);
    for (const char* bad : {"a{x} 1", "a{x=1} 1", "a{x=\"1} 1", "a{x=\"1\" y=\"2\"} 1", "a{,} 1", "a{x=\"1\",,} 1",
                            "a{x=\"1\"", "a{", "a{x=\"1\"\\} 1"})
        CHECK_MESSAGE(error_of_line(bad) == ExpositionError::label_syntax, bad);
    CHECK(error_of_line("a{x=\"1\",x=\"2\"} 1") == ExpositionError::duplicate_label_name);
    CHECK(error_of_line("a{ 1") == ExpositionError::invalid_label_name);
}

TEST_CASE("escapes: \\\\ \\\" \\n in label values, \\\\ \\n in HELP; any other escape is invalid_escape") {
    auto s = series_of(parse_all("a{x=\"q\\\\w\\\"e\\nr\"} 1\n"));
    REQUIRE(s.size() == 1);
    CHECK(s[0].labels[0].second == "q\\w\"e\nr");
    CHECK(error_of_line("a{x=\"\\t\"} 1") == ExpositionError::invalid_escape);
    CHECK(error_of_line("a{x=\"\\u0041\"} 1") == ExpositionError::invalid_escape);
    auto h = parse_all("# HELP a one\\\\two\\nthree \"quoted\"\n");
    REQUIRE(h.size() == 1);
    CHECK(h[0].entry == ExpositionEntry::help);
    CHECK(h[0].text == "one\\two\nthree \"quoted\"");
    CHECK(error_of_line("# HELP a bad \\\" quote") == ExpositionError::invalid_escape);
    CHECK(error_of_line("# HELP a trailing \\") == ExpositionError::invalid_escape);
}

TEST_CASE("label values and HELP must be UTF-8") {
    auto s = series_of(parse_all("a{x=\"z\xc3\xbcrich \xe4\xb8\xad\"} 1\n"));
    REQUIRE(s.size() == 1);
    CHECK(s[0].labels[0].second == "z\xc3\xbcrich \xe4\xb8\xad");
    CHECK(error_of_line("a{x=\"\xff\"} 1") == ExpositionError::invalid_utf8);
    CHECK(error_of_line("a{x=\"\xc0\xaf\"} 1") == ExpositionError::invalid_utf8);  // overlong '/'
    CHECK(error_of_line("a{x=\"\xed\xa0\x80\"} 1") == ExpositionError::invalid_utf8);  // surrogate
    CHECK(error_of_line("a{x=\"\xe4\xb8\"} 1") == ExpositionError::invalid_utf8);  // cut sequence
    CHECK(error_of_line("# HELP a \xfe") == ExpositionError::invalid_utf8);
}

TEST_CASE("comments: '#' lines other than '# HELP' and '# TYPE' are comments") {
    auto all = parse_all("# hello\n#HELP a x\n  # TYPE_ a counter\n#\n# HELPER a b\n");
    REQUIRE(all.size() == 5);
    for (auto& r : all) CHECK(r.entry == ExpositionEntry::comment);
    CHECK(all[0].text == " hello");
}

TEST_CASE("HELP and TYPE: a name first, TYPE exactly one known kind, at most one of each per family") {
    auto all = parse_all("# TYPE a gauge\n# HELP a\na 1\n");
    CHECK(errors_of(all).empty());
    CHECK(all[1].entry == ExpositionEntry::help);
    CHECK(all[1].text.empty());
    CHECK(all[2].kind == MetricKind::gauge);

    CHECK(error_of_line("# HELP") == ExpositionError::invalid_help);
    CHECK(error_of_line("# HELP 9a text") == ExpositionError::invalid_help);
    CHECK(error_of_line("# TYPE a") == ExpositionError::invalid_type);
    CHECK(error_of_line("# TYPE a Counter") == ExpositionError::invalid_type);
    CHECK(error_of_line("# TYPE a counter extra") == ExpositionError::invalid_type);
    CHECK(error_of_line("# TYPE a timer") == ExpositionError::invalid_type);
    CHECK(error_of_line("# TYPE a-b counter") == ExpositionError::invalid_type);

    auto dup = parse_all("# HELP a x\n# HELP a y\n# TYPE a gauge\n# TYPE a counter\na 1\n");
    CHECK(errors_of(dup) == std::vector<ExpositionError>{ExpositionError::duplicate_help, ExpositionError::duplicate_type});
    REQUIRE(series_of(dup).size() == 1);
    CHECK(series_of(dup)[0].kind == MetricKind::gauge);  // the first TYPE stands
}

TEST_CASE("TYPE or HELP after the family's samples is metadata_after_samples; the samples keep their kind") {
    auto all = parse_all("a 1\n# TYPE a counter\n# HELP a late\na{x=\"1\"} 2\n");
    CHECK(errors_of(all) ==
          std::vector<ExpositionError>{ExpositionError::metadata_after_samples, ExpositionError::metadata_after_samples});
    auto s = series_of(all);
    REQUIRE(s.size() == 2);
    CHECK(s[1].kind == MetricKind::untyped);
}

TEST_CASE("a family resumed after another family's lines is kept and counted; strict_grouping makes it an error") {
    const char* body = "a{i=\"1\"} 1\nb 1\na{i=\"2\"} 2\n# TYPE c gauge\nd 1\nc 5\n";
    ExpositionParser p;
    p.reset(body);
    while (p.next() != ExpositionEntry::end) CHECK(p.error().kind == ExpositionError::none);
    CHECK(p.stats().series == 5);
    CHECK(p.stats().resumed == 2);
    auto kept = series_of(parse_all(body));
    REQUIRE(kept.size() == 5);
    CHECK(kept[4].kind == MetricKind::gauge);

    ExpositionLimits strict;
    strict.strict_grouping = true;
    auto all = parse_all(body, strict);
    CHECK(errors_of(all) == std::vector<ExpositionError>{ExpositionError::family_interrupted,
                                                         ExpositionError::family_interrupted});
    CHECK(series_of(all).size() == 3);
    // Metadata of a family whose group ended is late too.
    CHECK(errors_of(parse_all("# HELP a x\nb 1\n# TYPE a gauge\n", strict)) ==
          std::vector<ExpositionError>{ExpositionError::family_interrupted});
    CHECK(errors_of(parse_all("# HELP a x\nb 1\n# TYPE a gauge\n")).empty());
}

TEST_CASE("a series (name + label set, in any order) twice in one body: the second is duplicate_series") {
    auto all = parse_all("a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\na{x=\"1\",y=\"3\"} 3\na{x=\"1\"} 4\nb 1\nb 2\n");
    CHECK(errors_of(all) == std::vector<ExpositionError>{ExpositionError::duplicate_series, ExpositionError::duplicate_series});
    auto s = series_of(all);
    REQUIRE(s.size() == 4);
    CHECK(s[0].value == 1);  // the first one stands
    CHECK(s[1].value == 3);
    // The same bytes escaped differently are the same series: the comparison is on unescaped values.
    auto esc = parse_all("a{x=\"\\\\\"} 1\na{x=\"\\\\\",} 2\n");
    CHECK(errors_of(esc) == std::vector<ExpositionError>{ExpositionError::duplicate_series});
}

TEST_CASE("histogram and summary series carry their family and kind, so a caller can skip them") {
    auto all = parse_all(
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n"
        "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 2\ns_count 3\ns_bucket 4\n"
        "x_count 7\n");
    CHECK(errors_of(all).empty());
    auto s = series_of(all);
    REQUIRE(s.size() == 9);
    for (int i = 0; i < 4; ++i) {
        CHECK(s[std::size_t(i)].family == "h");
        CHECK(s[std::size_t(i)].kind == MetricKind::histogram);
    }
    for (int i = 4; i < 7; ++i) CHECK(s[std::size_t(i)].kind == MetricKind::summary);
    CHECK(s[7].family == "s_bucket");  // a summary has no buckets: a family of its own
    CHECK(s[7].kind == MetricKind::untyped);
    CHECK(s[8].family == "x_count");
}

TEST_CASE("a broken line skips itself only and never changes what the next lines mean") {
    auto all = parse_all("# TYPE a counter\na{i=\"1\"} 1\nb{bad 2\na{i=\"2\"} 2\n# TYPE b gauge\nb 3\n");
    // The broken "b" line neither ended a's group nor gave b a sample, so "a{i=2}" is not
    // interrupted and "# TYPE b" is not late.
    CHECK(errors_of(all) == std::vector<ExpositionError>{ExpositionError::label_syntax});
    auto s = series_of(all);
    REQUIRE(s.size() == 3);
    CHECK(s[1].value == 2);
    CHECK(s[1].kind == MetricKind::counter);
    CHECK(s[2].kind == MetricKind::gauge);
}

TEST_CASE("errors carry the line number and a readable reason") {
    ExpositionParser p;
    p.reset("a 1\n\nb{x=\"1\" 2\n");
    CHECK(p.next() == ExpositionEntry::series);
    CHECK(p.next() == ExpositionEntry::error);
    CHECK(p.error().line == 3);
    CHECK(p.error().kind == ExpositionError::label_syntax);
    CHECK(p.error().describe() == "line 3: label_syntax near \"2\"");
    CHECK(p.next() == ExpositionEntry::end);
    CHECK(p.stats().errors == 1);
    CHECK(p.stats().errors_by_kind[int(ExpositionError::label_syntax)] == 1);
    CHECK(p.stats().series == 1);
    CHECK(p.stats().lines == 3);
    CHECK(!p.stats().fatal);
}

TEST_CASE("limits: a body over max_body_bytes gives one fatal error and nothing else") {
    ExpositionLimits l;
    l.max_body_bytes = 10;
    auto all = parse_all("a 1\nb 2\nc 3\n", l);
    REQUIRE(all.size() == 1);
    CHECK(all[0].error == ExpositionError::body_too_large);
    ExpositionParser p(l);
    p.reset("a 1\nb 2\nc 3\n");
    CHECK(p.next() == ExpositionEntry::error);
    CHECK(p.error().fatal());
    CHECK(p.next() == ExpositionEntry::end);
    CHECK(p.next() == ExpositionEntry::end);
    CHECK(p.stats().fatal);
    p.reset("a 1\n");  // the parser is reusable after a fatal body
    CHECK(p.next() == ExpositionEntry::series);
}

TEST_CASE("limits: series past max_series stop the body with a fatal error; families past max_families too") {
    ExpositionLimits l;
    l.max_series = 3;
    auto all = parse_all("a 1\nb 2\n# junk\nc 3\nd 4\ne 5\n", l);
    CHECK(series_of(all).size() == 3);
    REQUIRE(errors_of(all) == std::vector<ExpositionError>{ExpositionError::too_many_series});
    CHECK(all.back().entry == ExpositionEntry::error);
    ExpositionLimits f;
    f.max_families = 2;
    auto fam = parse_all("a 1\n# TYPE b gauge\nc 1\nd 1\n", f);
    CHECK(series_of(fam).size() == 1);
    CHECK(errors_of(fam) == std::vector<ExpositionError>{ExpositionError::too_many_families});
}

TEST_CASE("limits: labels per series, name and value lengths, line length; each at the limit is fine") {
    ExpositionLimits l;
    l.max_labels = 2;
    l.max_name_bytes = 5;
    l.max_label_name_bytes = 3;
    l.max_label_value_bytes = 4;
    l.max_line_bytes = 40;
    auto ok = parse_all("abcde{abc=\"wxyz\",b=\"\\\\\\\\\\\\\\\\\"} 1\n", l);  // value: 4 backslashes, 8 raw
    CHECK(errors_of(ok).empty());
    CHECK(series_of(ok).size() == 1);
    CHECK(errors_of(parse_all("a{x=\"1\",y=\"2\",z=\"3\"} 1\n", l)) ==
          std::vector<ExpositionError>{ExpositionError::too_many_labels});
    CHECK(errors_of(parse_all("abcdef 1\n", l)) == std::vector<ExpositionError>{ExpositionError::metric_name_too_long});
    CHECK(errors_of(parse_all("# TYPE abcdef gauge\n", l)) ==
          std::vector<ExpositionError>{ExpositionError::metric_name_too_long});
    CHECK(errors_of(parse_all("a{abcd=\"1\"} 1\n", l)) == std::vector<ExpositionError>{ExpositionError::label_name_too_long});
    CHECK(errors_of(parse_all("a{x=\"12345\"} 1\n", l)) == std::vector<ExpositionError>{ExpositionError::label_value_too_long});
    auto long_line = parse_all("a 1\n" + std::string(41, 'b') + "\nc 1\n", l);
    CHECK(errors_of(long_line) == std::vector<ExpositionError>{ExpositionError::line_too_long});
    CHECK(series_of(long_line).size() == 2);
}

TEST_CASE("label views point into the body unless the value needed unescaping") {
    const std::string body = "a{x=\"plain\",y=\"e\\\"s\"} 1\n";
    ExpositionParser p;
    p.reset(body);
    REQUIRE(p.next() == ExpositionEntry::series);
    const SeriesView s = p.series();
    REQUIRE(s.label_count == 2);
    auto inside = [&](std::string_view v) { return v.data() >= body.data() && v.data() + v.size() <= body.data() + body.size(); };
    CHECK(inside(s.name));
    CHECK(inside(s.labels[0].name));
    CHECK(inside(s.labels[0].value));
    CHECK(!inside(s.labels[1].value));
    CHECK(s.labels[1].value == "e\"s");
    CHECK(s.label("x") == std::string_view("plain"));
    CHECK(!s.label("z"));
}

TEST_CASE("reset() starts a fresh body: no duplicates or families carried over") {
    ExpositionParser p;
    for (int round = 0; round < 3; ++round) {
        p.reset("# TYPE a counter\na 1\nb 2\n");
        CHECK(p.next() == ExpositionEntry::type);
        CHECK(p.next() == ExpositionEntry::series);
        CHECK(p.next() == ExpositionEntry::series);
        CHECK(p.next() == ExpositionEntry::end);
        CHECK(p.stats().errors == 0);
    }
}

TEST_CASE("many series: duplicates are found exactly past table growth") {
    std::string body;
    for (int i = 0; i < 5000; ++i) body += "m{i=\"" + std::to_string(i) + "\"} " + std::to_string(i) + "\n";
    body += "m{i=\"4321\"} 0\nm{i=\"5000\"} 1\n";
    auto all = parse_all(body);
    CHECK(series_of(all).size() == 5001);
    CHECK(errors_of(all) == std::vector<ExpositionError>{ExpositionError::duplicate_series});
}

TEST_CASE("a real node_exporter 1.5 body (trimmed, this machine's) parses with no error") {
    const std::string body = read_sources_fixture("node_exporter_scrape1.prom");
    auto all = parse_all(body);
    CHECK(errors_of(all).empty());
    std::size_t lines = 0, meta = 0;
    for (char c : body) lines += c == '\n';
    for (auto& r : all) meta += r.entry == ExpositionEntry::help || r.entry == ExpositionEntry::type;
    CHECK(series_of(all).size() + meta == lines);
    CHECK(series_of(all).front().kind == MetricKind::summary);  // go_gc_duration_seconds
}

namespace {

std::vector<Rec> parse_reading(std::string_view body, const MetricNameSet& names, ExpositionStats* stats = nullptr) {
    ExpositionParser p;
    p.reset(body, &names);
    std::vector<Rec> out;
    for (ExpositionEntry e; (e = p.next()) != ExpositionEntry::end;) {
        Rec r;
        r.entry = e;
        r.line = p.line();
        if (e == ExpositionEntry::series) {
            r.name = std::string(p.series().name);
            r.value = p.series().value;
            r.kind = p.kind();
        } else if (e == ExpositionEntry::error) {
            r.error = p.error().kind;
        }
        out.push_back(std::move(r));
    }
    if (stats) *stats = p.stats();
    return out;
}

}  // namespace

TEST_CASE("a name set: only its names' samples are read; other lines are passed over, counted, by line") {
    const MetricNameSet names({"b", "a", "h_count"});
    ExpositionStats st;
    auto all = parse_reading(
        "# HELP a The a.\n"
        "# TYPE a gauge\n"
        "# HELP z The z, skipped.\n"
        "# TYPE z gauge\n"
        "z{x=\"1\"} 5\n"
        "a 1\n"
        "zz 7 1700000000000\n"
        "b{k=\"v\"} 2\n"
        "# TYPE h summary\n"  // read: it makes h_count a summary's member
        "h_sum 3\n"
        "h_count 4\n",
        names, &st);
    REQUIRE(series_of(all).size() == 3);
    CHECK(series_of(all)[0].name == "a");
    CHECK(series_of(all)[0].line == 6);  // line numbers still count the skipped lines
    CHECK(series_of(all)[0].kind == MetricKind::gauge);
    CHECK(series_of(all)[1].name == "b");
    CHECK(series_of(all)[1].value == 2);
    CHECK(series_of(all)[2].name == "h_count");
    CHECK(series_of(all)[2].kind == MetricKind::summary);
    CHECK(st.skipped_samples == 3);
    CHECK(st.skipped_helps == 1);
    CHECK(st.skipped_types == 1);
    CHECK(st.types == 2);
    CHECK(st.series == 3);
    CHECK(st.errors == 0);
}

TEST_CASE("a name set: a skipped line still needs a valid name and a proper end; a read line is checked in full") {
    const MetricNameSet names({"a"});
    ExpositionStats st;
    auto all = parse_reading(
        "this is not text\n" // a word for a name and no value: the full parser's invalid_value
        "z +Inf\n"           // a value it can start: passed over
        "1bad 1\n"           // not a name: the full parser names the error
        "z\n"                // a name and nothing else: invalid_value, from the full parser
        "# TYPE z\n"         // no kind: invalid_type
        "#  HELP z x\n"      // not canonical: the full parser reads it (a good HELP)
        "z$ 3\n"             // a name cut by a bad character
        "z 1\r\n"            // CRLF
        "a{x=\"\\q\"} 1\n"   // a read line: its escape is checked
        "z{x=\"\\q\"} 1\n"   // a skipped line: not (its labels are not looked at)
        "a 2\n"
        "z 9",               // the last line still must end with \n
        names, &st);
    auto errors = errors_of(all);
    REQUIRE(errors.size() == 8);
    CHECK(errors[0] == ExpositionError::invalid_value);
    CHECK(errors[1] == ExpositionError::invalid_metric_name);
    CHECK(errors[2] == ExpositionError::invalid_value);
    CHECK(errors[3] == ExpositionError::invalid_type);
    CHECK(errors[4] == ExpositionError::invalid_metric_name);
    CHECK(errors[5] == ExpositionError::carriage_return);
    CHECK(errors[6] == ExpositionError::invalid_escape);
    CHECK(errors[7] == ExpositionError::unterminated_line);
    CHECK(st.helps == 1);
    REQUIRE(series_of(all).size() == 1);
    CHECK(series_of(all)[0].value == 2);
    CHECK(st.skipped_samples == 2);  // z +Inf, z{x="\q"}
}

TEST_CASE("a name set reads a real node_exporter body exactly as the full parse does, for its names") {
    const std::string body = read_sources_fixture("node_exporter_scrape1.prom");
    const MetricNameSet names({"node_load1", "node_cpu_seconds_total", "node_network_receive_bytes_total"});
    ExpositionStats st;
    auto read = series_of(parse_reading(body, names, &st));
    std::vector<Rec> full;
    for (auto& r : series_of(parse_all(body)))
        if (names.contains(r.name)) full.push_back(r);
    REQUIRE(read.size() == full.size());
    REQUIRE(read.size() > 10);
    for (std::size_t i = 0; i < read.size(); ++i) {
        CHECK(read[i].name == full[i].name);
        CHECK(read[i].value == full[i].value);
        CHECK(read[i].line == full[i].line);
        CHECK(read[i].kind == full[i].kind);
    }
    CHECK(st.errors == 0);
    CHECK(st.series + st.skipped_samples == series_of(parse_all(body)).size());
}
