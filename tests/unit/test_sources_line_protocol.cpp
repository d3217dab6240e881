// InfluxDB line protocol parser (hub/sources/line_protocol.h): the spec's lines good and bad, every
// escape and field type, timestamps and precisions, limits, per-line errors that keep the good
// lines, seeded mutations, and the mapping of a Telegraf output sample to the hub's metric keys.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "hub/sources/line_protocol.h"

using namespace vigil::hub::sources;

namespace {

struct Got {
    std::vector<std::string> points;  // "line: measurement tags... | fields... @ts"
    std::vector<LineErrorInfo> errors;
    std::vector<std::string> error_text;
};

std::string render(const PointView& p) {
    std::string s(p.measurement);
    for (std::size_t i = 0; i < p.tag_count; ++i)
        s += "," + std::string(p.tags[i].key) + "=" + std::string(p.tags[i].value);
    s += " |";
    for (std::size_t i = 0; i < p.field_count; ++i) {
        const LineField& f = p.fields[i];
        s += " " + std::string(f.key) + "=";
        switch (f.type) {
            case FieldType::float_: s += "f:" + std::to_string(f.value); break;
            case FieldType::integer: s += "i:" + std::to_string(f.integer); break;
            case FieldType::unsigned_: s += "u:" + std::to_string(f.unsigned_value); break;
            case FieldType::string: s += "s:[" + std::string(f.text) + "]"; break;
            case FieldType::boolean: s += "b:" + std::to_string(int(f.value)); break;
        }
    }
    if (p.timestamp_ms) s += " @" + std::to_string(*p.timestamp_ms);
    return s;
}

Got parse(std::string_view body, Precision prec = Precision::ns, LineProtocolLimits limits = {}) {
    LineProtocolParser parser(limits);
    parser.reset(body, prec);
    Got g;
    for (;;) {
        const LineEntry e = parser.next();
        if (e == LineEntry::end) break;
        if (e == LineEntry::point) g.points.push_back(std::to_string(parser.line()) + ": " + render(parser.point()));
        else {
            g.errors.push_back(parser.error());
            g.error_text.push_back(parser.error().describe());
        }
    }
    return g;
}

LineError one_error(std::string_view line, LineProtocolLimits limits = {}) {
    const Got g = parse(line, Precision::ns, limits);
    REQUIRE(g.errors.size() == 1);
    CHECK(g.points.empty());
    return g.errors[0].kind;
}

}  // namespace

TEST_CASE("line protocol: measurement, tags, fields and timestamp of the spec's example") {
    const Got g = parse("myMeasurement,tag1=value1,tag2=value2 fieldKey=\"fieldValue\" 1556813561098000000\n");
    REQUIRE(g.points.size() == 1);
    CHECK(g.points[0] == "1: myMeasurement,tag1=value1,tag2=value2 | fieldKey=s:[fieldValue] @1556813561098");
    CHECK(g.errors.empty());
}

TEST_CASE("line protocol: every field type") {
    const Got g = parse(
        "m f=1.5,g=-2,h=1e3,i=12i,j=-9223372036854775808i,u=18446744073709551615u,s=\"x y,z=\","
        "t1=t,t2=T,t3=true,t4=True,t5=TRUE,f1=f,f2=F,f3=false,f4=False,f5=FALSE,e=.5\n");
    REQUIRE(g.errors.empty());
    REQUIRE(g.points.size() == 1);
    CHECK(g.points[0] ==
          "1: m | f=f:1.500000 g=f:-2.000000 h=f:1000.000000 i=i:12 j=i:-9223372036854775808 "
          "u=u:18446744073709551615 s=s:[x y,z=] t1=b:1 t2=b:1 t3=b:1 t4=b:1 t5=b:1 f1=b:0 f2=b:0 f3=b:0 "
          "f4=b:0 f5=b:0 e=f:0.500000");
}

TEST_CASE("line protocol: bad field values are that line's error") {
    CHECK(one_error("m f=abc") == LineError::invalid_field_value);
    CHECK(one_error("m\xff f=1") == LineError::invalid_utf8);          // measurement
    CHECK(one_error("m,t=\xc0\xaf f=1") == LineError::invalid_utf8);  // an overlong '/' in a tag value
    CHECK(one_error("m f\xed\xa0\x80=1") == LineError::invalid_utf8);  // a surrogate in a field key
    CHECK(one_error("m s=\"\xf8\",f=1") == LineError::invalid_utf8);   // a string field
    CHECK(one_error("m f=1.2.3") == LineError::invalid_field_value);
    CHECK(one_error("m f=NaN") == LineError::invalid_field_value);
    CHECK(one_error("m f=inf") == LineError::invalid_field_value);
    CHECK(one_error("m f=1.5i") == LineError::invalid_field_value);
    CHECK(one_error("m f=-1u") == LineError::invalid_field_value);
    CHECK(one_error("m f=9223372036854775808i") == LineError::invalid_field_value);  // int64 overflow
    CHECK(one_error("m f=i") == LineError::invalid_field_value);
    CHECK(one_error("m f=yes") == LineError::invalid_field_value);
    CHECK(one_error("m f=\"a\"x") == LineError::invalid_field_value);
    CHECK(one_error("m f=\"never closed") == LineError::unterminated_string);
    CHECK(one_error("m f=") == LineError::invalid_field);
    CHECK(one_error("m f") == LineError::invalid_field);
    CHECK(one_error("m =1") == LineError::invalid_field);
    CHECK(one_error("m f=1,") == LineError::invalid_field);
    CHECK(one_error("m f=1,f=2") == LineError::duplicate_field);
}

TEST_CASE("line protocol: structure errors") {
    CHECK(one_error("m") == LineError::missing_fields);
    CHECK(one_error("m,t=1") == LineError::missing_fields);
    CHECK(one_error("m ") == LineError::missing_fields);
    CHECK(one_error(",t=1 f=1") == LineError::missing_measurement);
    CHECK(one_error(" f=1") == LineError::missing_fields);  // leading blanks are skipped: "f=1" is a measurement
    CHECK(one_error("m,t f=1") == LineError::invalid_tag);
    CHECK(one_error("m,t= f=1") == LineError::invalid_tag);
    CHECK(one_error("m,=v f=1") == LineError::invalid_tag);
    CHECK(one_error("m,t=1,t=2 f=1") == LineError::duplicate_tag);
    CHECK(one_error("m f=1 12x") == LineError::invalid_timestamp);
    CHECK(one_error("m f=1 99999999999999999999") == LineError::invalid_timestamp);
    CHECK(one_error("m f=1 1 2") == LineError::trailing_text);
    CHECK(one_error("m\\") == LineError::bad_escape);
}

TEST_CASE("line protocol: escapes in measurement, tags, field keys and string values") {
    const Got g = parse(
        "my\\ meas\\,ure,t\\ a\\=g\\,=v\\ a\\=l\\,ue f\\ i\\=e\\,ld=\"q\\\"uote b\\\\ack \\n lit\" 1\n"
        "m\\=eq,t=a\\b f=1\n");  // '=' is no escape in a measurement; "\b" is a literal backslash
    REQUIRE(g.errors.empty());
    REQUIRE(g.points.size() == 2);
    CHECK(g.points[0] == "1: my meas,ure,t a=g,=v a=l,ue | f i=e,ld=s:[q\"uote b\\ack \\n lit] @0");
    CHECK(g.points[1] == "2: m\\=eq,t=a\\b | f=f:1.000000");
}

TEST_CASE("line protocol: an unescaped line gives views into the body itself") {
    const std::string body = "cpu,host=a usage_idle=90\n";
    LineProtocolParser p;
    p.reset(body);
    REQUIRE(p.next() == LineEntry::point);
    const char* b = body.data();
    const char* e = body.data() + body.size();
    CHECK((p.point().measurement.data() >= b && p.point().measurement.data() < e));
    CHECK((p.point().tags[0].value.data() >= b && p.point().tags[0].value.data() < e));
    CHECK(p.point().tag("host") == std::optional<std::string_view>("a"));
    CHECK(p.point().field("usage_idle")->value == 90);
    CHECK(p.point().field("nope") == nullptr);
    CHECK(p.next() == LineEntry::end);
    CHECK(p.next() == LineEntry::end);
}

TEST_CASE("line protocol: comments, blank lines, CRLF and a last line without newline") {
    const Got g = parse("# a comment\n\n   \n  # indented comment\r\nm f=1\r\n\tm f=2\nm f=3");
    CHECK(g.errors.empty());
    REQUIRE(g.points.size() == 3);
    CHECK(g.points[0] == "5: m | f=f:1.000000");
    CHECK(g.points[1] == "6: m | f=f:2.000000");
    CHECK(g.points[2] == "7: m | f=f:3.000000");
    LineProtocolParser p;
    p.reset("# c\n\nm f=1\r\n");
    while (p.next() != LineEntry::end) {}
    CHECK(p.stats().comments == 1);
    CHECK(p.stats().blank == 1);
    CHECK(p.stats().crlf == 1);
    CHECK(p.stats().points == 1);
    CHECK(p.stats().lines == 3);
}

TEST_CASE("line protocol: timestamps in each precision become ms, floored; none means receive time") {
    CHECK(parse("m f=1 1700000000123456789").points[0] == "1: m | f=f:1.000000 @1700000000123");
    CHECK(parse("m f=1 1700000000123456", Precision::us).points[0] == "1: m | f=f:1.000000 @1700000000123");
    CHECK(parse("m f=1 1700000000123", Precision::ms).points[0] == "1: m | f=f:1.000000 @1700000000123");
    CHECK(parse("m f=1 1700000000", Precision::s).points[0] == "1: m | f=f:1.000000 @1700000000000");
    CHECK(parse("m f=1 -1").points[0] == "1: m | f=f:1.000000 @-1");  // before 1970, floored
    CHECK(parse("m f=1").points[0] == "1: m | f=f:1.000000");
    CHECK(parse("m f=1   ").points[0] == "1: m | f=f:1.000000");
    CHECK(parse("m f=1 9223372036854775807", Precision::s).errors[0].kind == LineError::invalid_timestamp);
    CHECK(parse_precision("ns") == Precision::ns);
    CHECK(parse_precision("n") == Precision::ns);
    CHECK(parse_precision("us") == Precision::us);
    CHECK(parse_precision("u") == Precision::us);
    CHECK(parse_precision("ms") == Precision::ms);
    CHECK(parse_precision("s") == Precision::s);
    CHECK(!parse_precision("h"));
    CHECK(!parse_precision(""));
}

TEST_CASE("line protocol: per-line errors carry the line number and keep the good lines around them") {
    const Got g = parse("m f=1\nm f=bad\n# c\nm,host=a f=2 5000000\nm\nm f=3\n");
    REQUIRE(g.points.size() == 3);
    CHECK(g.points[0] == "1: m | f=f:1.000000");
    CHECK(g.points[1] == "4: m,host=a | f=f:2.000000 @5");
    CHECK(g.points[2] == "6: m | f=f:3.000000");
    REQUIRE(g.errors.size() == 2);
    CHECK(g.errors[0].line == 2);
    CHECK(g.errors[0].kind == LineError::invalid_field_value);
    CHECK(g.error_text[0] == "line 2: invalid_field_value near \"bad\"");
    CHECK(g.errors[1].line == 5);
    CHECK(g.errors[1].kind == LineError::missing_fields);
}

TEST_CASE("line protocol: limits") {
    LineProtocolLimits lim;
    lim.max_body_bytes = 20;
    const Got big = parse("m f=1\nm f=2\nm f=3\nm f=4\n", Precision::ns, lim);
    REQUIRE(big.errors.size() == 1);
    CHECK(big.errors[0].kind == LineError::body_too_large);
    CHECK(big.errors[0].fatal());
    CHECK(big.points.empty());
    CHECK(parse("m f=1\nm f=2\n", Precision::ns, lim).points.size() == 2);  // 12 bytes: under

    lim = {};
    lim.max_line_bytes = 10;
    const Got lines = parse("m f=1\nm f=1234567890\nm f=2\n", Precision::ns, lim);
    CHECK(lines.points.size() == 2);
    REQUIRE(lines.errors.size() == 1);
    CHECK(lines.errors[0].kind == LineError::line_too_long);
    CHECK(lines.errors[0].line == 2);
    CHECK(!lines.errors[0].fatal());

    lim = {};
    lim.max_tags = 2;
    CHECK(parse("m,a=1,b=2 f=1", Precision::ns, lim).points.size() == 1);
    CHECK(one_error("m,a=1,b=2,c=3 f=1", lim) == LineError::too_many_tags);
    lim = {};
    lim.max_fields = 2;
    CHECK(parse("m a=1,b=2", Precision::ns, lim).points.size() == 1);
    CHECK(one_error("m a=1,b=2,c=3", lim) == LineError::too_many_fields);
    lim = {};
    lim.max_name_bytes = 3;
    CHECK(parse("abc,abc=1 abc=1", Precision::ns, lim).points.size() == 1);
    CHECK(one_error("abcd f=1", lim) == LineError::name_too_long);
    CHECK(one_error("m,abcd=1 f=1", lim) == LineError::name_too_long);
    CHECK(one_error("m abcd=1", lim) == LineError::name_too_long);
    CHECK(parse("a\\ c f=1", Precision::ns, lim).points.size() == 1);  // counted unescaped
    lim = {};
    lim.max_tag_value_bytes = 3;
    CHECK(one_error("m,t=abcd f=1", lim) == LineError::tag_value_too_long);
    lim = {};
    lim.max_string_bytes = 3;
    CHECK(parse("m s=\"abc\"", Precision::ns, lim).points.size() == 1);
    CHECK(one_error("m s=\"abcd\"", lim) == LineError::string_too_long);
}

TEST_CASE("line protocol: the parser is reusable and its stats count errors by kind") {
    LineProtocolParser p;
    p.reset("m f=x\nm f=y\nm f=1\n");
    while (p.next() != LineEntry::end) {}
    CHECK(p.stats().errors == 2);
    CHECK(p.stats().errors_by_kind[int(LineError::invalid_field_value)] == 2);
    CHECK(p.stats().points == 1);
    CHECK(p.stats().fields == 1);
    p.reset("m f=1,g=2\n");
    CHECK(p.next() == LineEntry::point);
    CHECK(p.point().field_count == 2);
    CHECK(p.stats().errors == 0);
}

// Seeded mutations of a realistic body: no crash, output bounded by the line count, every line the
// mutation did not touch parses exactly as it did unmutated.
TEST_CASE("line protocol: seeded mutations never crash and leave untouched lines as they were") {
    const std::vector<std::string> lines = {
        "cpu,cpu=cpu-total,host=web-1 usage_idle=97.5,usage_user=1.5 1700000000000000000",
        "mem,host=web-1 used_percent=42.25,available=123456789i 1700000000000000000",
        "weather,location=us\\ midwest temperature=82,desc=\"hot \\\"day\\\"\" 1465839830100400200",
        "# comment",
        "",
        "disk,path=/,host=web-1 free=1u,ok=true",
        "my\\,m,t\\=k=v\\ w f\\ k=1.5e3",
    };
    const char alphabet[] = " ,=\\\"#\n\r0123456789iuetf.-abc";
    std::mt19937 rng(12345);
    for (int round = 0; round < 3000; ++round) {
        const std::size_t target = rng() % lines.size();
        std::string mutated = lines[target];
        const int kind = rng() % 4;
        const std::size_t at = mutated.empty() ? 0 : rng() % (mutated.size() + 1);
        if (kind == 0 && !mutated.empty() && at < mutated.size()) mutated[at] = alphabet[rng() % (sizeof alphabet - 1)];
        else if (kind == 1) mutated.insert(at, 1, alphabet[rng() % (sizeof alphabet - 1)]);
        else if (kind == 2 && at < mutated.size()) mutated.erase(at, 1);
        else mutated.resize(at);
        // A mutation that made a newline splits its line in two: untouched lines follow in order.
        std::string body;
        std::vector<int> origin;  // per line of the new body: index of the untouched line, or -1
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::string& l = i == target ? mutated : lines[i];
            body += l + "\n";
            const std::size_t n = std::count(l.begin(), l.end(), '\n') + 1;
            for (std::size_t k = 0; k < n; ++k) origin.push_back(i == target ? -1 : int(i));
        }
        LineProtocolParser p;
        p.reset(body);
        std::size_t entries = 0;
        for (LineEntry e; (e = p.next()) != LineEntry::end;) {
            ++entries;
            REQUIRE(entries <= origin.size());
            const std::size_t ln = p.line();
            REQUIRE(ln >= 1);
            REQUIRE(ln <= origin.size());
            if (origin[ln - 1] < 0) {
                if (e == LineEntry::point) CHECK(p.point().field_count >= 1);
                continue;
            }
            const Got alone = parse(lines[origin[ln - 1]]);
            if (e == LineEntry::point) {
                REQUIRE(alone.points.size() == 1);
                CHECK(alone.points[0] == "1: " + render(p.point()));
            } else {
                FAIL("an untouched line gave an error: ", p.error().describe());
            }
        }
    }
}

// A hand-written sample of what Telegraf 1.x's outputs.influxdb / outputs.http (data_format =
// "influx") send with its default cpu, mem, system, net and diskio inputs (not captured from a
// real Telegraf: written from its plugins' documented field names).
TEST_CASE("line protocol: a Telegraf output sample maps to the screen's metric keys") {
    const std::string body =
        "cpu,cpu=cpu0,host=db-2 usage_user=12.5,usage_system=2.5,usage_idle=80,usage_iowait=5 1700000000000000000\n"
        "cpu,cpu=cpu-total,host=db-2 usage_user=10,usage_system=3,usage_idle=85.5,usage_iowait=1.5 1700000000000000000\n"
        "mem,host=db-2 total=16777216000i,available=8388608000i,used=8388608000i,used_percent=50,"
        "available_percent=50 1700000000000000000\n"
        "system,host=db-2 load1=0.5,load5=0.75,load15=1.25,n_cpus=4i,n_users=2i 1700000000000000000\n"
        "system,host=db-2 uptime=86400i 1700000000000000000\n"
        "system,host=db-2 uptime_format=\"1 day,  0:00\" 1700000000000000000\n"
        "net,host=db-2,interface=eth0 bytes_sent=1000i,bytes_recv=2000i,packets_sent=10i 1700000000000000000\n"
        "net,host=db-2,interface=lo bytes_sent=5i,bytes_recv=5i 1700000000000000000\n"
        "net,host=db-2,interface=all icmp_inerrors=0i,tcp_activeopens=12i 1700000000000000000\n"
        "diskio,host=db-2,name=sda read_bytes=4096i,write_bytes=8192i,reads=1i 1700000000000000000\n"
        "diskio,host=db-2,name=sda1 read_bytes=4096i,write_bytes=8192i 1700000000000000000\n"
        "nginx,host=db-2,port=80 active=3i,accepts=10i,up=true 1700000000000000000\n"
        "nohost usage=1 1700000000000000000\n";
    LineProtocolParser p;
    p.reset(body);
    IngestMapping mapping;
    std::vector<std::string> got;
    std::size_t hostless = 0;
    MappedPoint m;
    for (LineEntry e; (e = p.next()) != LineEntry::end;) {
        REQUIRE(e == LineEntry::point);
        map_point(p.point(), mapping, &m);
        if (m.host.empty()) {
            ++hostless;
            CHECK(m.samples.empty());
        }
        for (const auto& s : m.samples)
            got.push_back(std::string(m.host) + " " + s.key + "=" + std::to_string(s.value) +
                          (s.rate ? " rate " + s.rate_key : ""));
    }
    CHECK(hostless == 1);
    const std::vector<std::string> want = {
        "db-2 cpu0=20.000000",
        "db-2 cpu=14.500000",
        "db-2 mem=50.000000",
        "db-2 load1=0.500000",
        "db-2 load5=0.750000",
        "db-2 load15=1.250000",
        "db-2 net_rx=2000.000000 rate net_rx/eth0",
        "db-2 net_tx=1000.000000 rate net_tx/eth0",
        "db-2 disk_r=4096.000000 rate disk_r/sda",
        "db-2 disk_w=8192.000000 rate disk_w/sda",
        "db-2 nginx_active=3.000000",
        "db-2 nginx_accepts=10.000000",
        "db-2 nginx_up=1.000000",
    };
    CHECK(got == want);

    // Without the Telegraf table every numeric field is <measurement>_<field>; the host tag is configurable.
    mapping.telegraf = false;
    mapping.host_tag = "location";
    p.reset("mem,location=rack-7 used_percent=50,note=\"x\"\n");
    REQUIRE(p.next() == LineEntry::point);
    map_point(p.point(), mapping, &m);
    CHECK(m.host == "rack-7");
    REQUIRE(m.samples.size() == 1);
    CHECK(m.samples[0].key == "mem_used_percent");
    CHECK(m.samples[0].value == 50);
    CHECK(!m.samples[0].rate);
}
