// The samples fast path (src/protocol/samples_scan.h) against the DOM reference
// (decode_reference.h): for every text, valid or not, decode_hub_message() gives exactly what the
// DOM decoder gives (same Samples to the bit, or the same rejection kind and message), and valid
// frames really take the fast path.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "protocol/decode.h"
#include "protocol/decode_reference.h"
#include "protocol/samples_scan.h"

using namespace vigil::protocol;

namespace {

// Doubles compared by bits, so -0.0 and 0.0 (equal under ==) still count as different.
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_samples(const Samples& a, const Samples& b) {
    if (!(a == b)) return false;
    for (std::size_t h = 0; h < a.hosts.size(); ++h) {
        for (std::size_t v = 0; v < a.hosts[h].values.size(); ++v) {
            if (!same_bits(a.hosts[h].values[v].second, b.hosts[h].values[v].second)) return false;
        }
    }
    return true;
}

// "" when both results are identical, else what differs.
std::string difference(const DecodeResult& fast, const DecodeResult& dom) {
    if (fast.index() != dom.index()) {
        std::ostringstream o;
        o << "alternative " << fast.index() << " vs DOM " << dom.index();
        if (auto* e = rejection_of(dom)) o << " (DOM: " << rejection_name(e->kind) << ": " << e->message << ")";
        if (auto* e = rejection_of(fast)) o << " (fast: " << rejection_name(e->kind) << ": " << e->message << ")";
        return o.str();
    }
    if (auto* a = rejection_of(fast)) {
        const Rejection& b = std::get<Rejection>(dom);
        if (a->kind != b.kind || a->message != b.message) {
            return std::string(rejection_name(a->kind)) + ": " + a->message + " vs DOM " + rejection_name(b.kind) + ": " + b.message;
        }
        return {};
    }
    if (auto* a = std::get_if<Samples>(&fast)) {
        return same_samples(*a, std::get<Samples>(dom)) ? std::string() : std::string("different Samples");
    }
    const bool equal = std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, Rejection>) return true;  // handled above
            else return m == std::get<T>(dom);
        },
        fast);
    return equal ? std::string() : std::string("different message");
}

// Decodes `text` both ways; a FAIL_CHECK names the text when they differ.
bool check_same(const std::string& text, const DecodeLimits& limits = {}) {
    const std::string diff = difference(decode_hub_message(text, limits), decode_hub_message_dom(text, limits));
    if (diff.empty()) return true;
    FAIL_CHECK(diff << "\n  text: " << text);
    return false;
}

DecodeLimits tight_limits() {
    DecodeLimits l;
    l.max_bytes = 600;
    l.max_depth = 5;
    l.max_hosts = 3;
    l.max_metrics = 4;
    l.max_name_bytes = 6;
    return l;
}

// ---- a seeded generator of samples frames, written many ways ----

// One character of an id, written plainly or escaped: both decode to the same bytes. Characters
// JSON forbids raw in a string (quote, backslash, controls) are "plain" in another escape.
struct IdUnit {
    const char* decoded;
    const char* plain;
    const char* escaped;
};
const IdUnit kIdUnits[] = {
    {"a", "a", "\\u0061"}, {"b", "b", "b"}, {"z", "z", "\\u007a"}, {"0", "0", "0"}, {"9", "9", "\\u0039"},
    {"-", "-", "-"}, {"_", "_", "_"}, {".", ".", "."}, {"/", "/", "\\/"},
    {"\"", "\\u0022", "\\\""}, {"\\", "\\u005C", "\\\\"}, {"\n", "\\u000a", "\\n"},
    {"\t", "\\u0009", "\\t"}, {"\xc3\xa9", "\xc3\xa9", "\\u00e9"}, {"\xe4\xb8\xad", "\xe4\xb8\xad", "\\u4E2D"},
    {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", "\\ud83d\\ude00"}, {" ", " ", " "}, {"\x01", "\\u0001", "\\u0001"},
};

class FrameWriter {
public:
    explicit FrameWriter(std::uint32_t seed) : rng_(seed) {}

    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
    bool chance(int percent) { return static_cast<int>(pick(100)) < percent; }

    std::string ws() {
        if (!chance(15)) return {};
        static const char* spaces[] = {" ", "\n", "\t", "\r\n", "  "};
        return spaces[pick(5)];
    }

    // An id as text (quotes included) and the bytes it decodes to.
    std::pair<std::string, std::string> id(std::size_t max_units = 6) {
        std::string text = "\"", decoded;
        const std::size_t n = 1 + pick(max_units);
        for (std::size_t i = 0; i < n; ++i) {
            const IdUnit& u = chance(80) ? kIdUnits[pick(9)] : kIdUnits[pick(std::size(kIdUnits))];
            decoded += u.decoded;
            text += chance(30) ? u.escaped : u.plain;
        }
        return {text + "\"", decoded};
    }

    // A finite number as JSON text, in the many ways a sender may write one.
    std::string number() {
        char buf[64];
        switch (pick(12)) {
            case 0: return std::to_string(static_cast<long long>(pick(1000)));
            case 1: return "-" + std::to_string(pick(100000));
            case 2: std::snprintf(buf, sizeof buf, "%.17g", std::uniform_real_distribution<double>(-1e3, 1e3)(rng_)); return buf;
            case 3: std::snprintf(buf, sizeof buf, "%.17g", std::uniform_real_distribution<double>(0, 1e7)(rng_)); return buf;
            case 4: std::snprintf(buf, sizeof buf, "%.6e", std::uniform_real_distribution<double>(-1, 1)(rng_) * 1e-200); return buf;
            case 5: std::snprintf(buf, sizeof buf, "%.3E", std::uniform_real_distribution<double>(-1, 1)(rng_) * 1e300); return buf;
            case 6: {
                static const char* odd[] = {"0", "-0", "0.0", "-0.0", "1e5", "1E+5", "2.5e-3", "1.7976931348623157e308",
                                            "4.9e-324", "2.2250738585072014e-308", "18446744073709551615",
                                            "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
                                            "123456789012345678901234567890", "0.1", "9007199254740993"};
                return odd[pick(std::size(odd))];
            }
            default: std::snprintf(buf, sizeof buf, "%.17g", std::uniform_real_distribution<double>(0, 100)(rng_)); return buf;
        }
    }

    std::string seq() {
        switch (pick(6)) {
            case 0: return "0";
            case 1: return "9007199254740991";
            case 2: return "-0";
            default: return std::to_string(pick(std::size_t{1} << 40));
        }
    }

    std::string time() {
        switch (pick(8)) {
            case 0: return "9007199254740991";
            case 1: return "-9007199254740991";
            case 2: return "2.5";
            case 3: return "-2.5";
            case 4: return "1764138000000.5";
            case 5: return "-0.0";
            case 6: return "1.7e15";
            default: return std::to_string(1764138000000LL + static_cast<long long>(pick(1000000)));
        }
    }

    // Any JSON value an unknown field might hold, nested up to `depth` more levels.
    std::string any_value(int depth) {
        switch (pick(depth > 0 ? 7 : 5)) {
            case 0: return "null";
            case 1: return chance(50) ? "true" : "false";
            case 2: return number();
            case 3: return id().first;
            case 4: return "[]";
            case 5: {
                std::string s = "[";
                const std::size_t n = pick(4);
                for (std::size_t i = 0; i < n; ++i) s += (i ? "," : "") + ws() + any_value(depth - 1);
                return s + "]";
            }
            default: {
                std::string s = "{";
                const std::size_t n = pick(4);
                for (std::size_t i = 0; i < n; ++i) s += (i ? "," : "") + ws() + id().first + ":" + any_value(depth - 1);
                return s + "}";
            }
        }
    }

    // A frame the DOM decoder accepts under the default limits: distinct ids, finite numbers.
    // `extras`: unknown top-level fields (ignored by the decoder) mixed in.
    std::string valid_frame(bool extras) {
        std::vector<std::pair<std::string, std::string>> fields{
            {"\"type\"", "\"samples\""}, {"\"seq\"", seq()}, {"\"t\"", time()}, {"\"hosts\"", hosts()}};
        if (pick(4) == 0) fields[0].first = "\"\\u0074ype\"";
        if (pick(4) == 0) fields[0].second = "\"sam\\u0070les\"";
        if (extras) {
            const std::size_t n = 1 + pick(3);
            for (std::size_t i = 0; i < n; ++i) {
                std::string key = id().first;
                const std::string plain = key.substr(1, key.size() - 2);
                if (plain == "type" || plain == "seq" || plain == "t" || plain == "hosts") key = "\"x\"";
                fields.emplace_back(key, any_value(3));
            }
        }
        std::shuffle(fields.begin(), fields.end(), rng_);
        return object(fields);
    }

    std::string hosts(std::size_t max_hosts = 6, std::size_t max_metrics = 6) {
        std::vector<std::pair<std::string, std::string>> hosts;
        std::set<std::string> ids;
        const std::size_t n = pick(max_hosts + 1);
        while (hosts.size() < n) {
            auto [text, decoded] = id();
            if (!ids.insert(decoded).second) continue;
            hosts.emplace_back(text, metrics(max_metrics));
        }
        return object(hosts);
    }

    std::string metrics(std::size_t max_metrics) {
        std::vector<std::pair<std::string, std::string>> values;
        std::set<std::string> keys;
        const std::size_t n = pick(max_metrics + 1);
        while (values.size() < n) {
            auto [text, decoded] = id(4);
            if (!keys.insert(decoded).second) continue;
            values.emplace_back(text, number());
        }
        return object(values);
    }

    std::string object(const std::vector<std::pair<std::string, std::string>>& fields) {
        std::string s = "{" + ws();
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) s += "," + ws();
            s += fields[i].first + ws() + ":" + ws() + fields[i].second + ws();
        }
        return s + "}";
    }

    // A frame with one thing wrong (or, now and then, merely unusual): every kind of mistake a
    // peer can make in a samples frame, chosen at random.
    std::string broken_frame() {
        std::vector<std::pair<std::string, std::string>> f{
            {"\"type\"", "\"samples\""}, {"\"seq\"", seq()}, {"\"t\"", time()}, {"\"hosts\"", hosts(3, 4)}};
        static const char* bad_values[] = {"\"1\"", "null", "true", "[]", "{}", "[1]", "{\"a\":1}", "7.0", "1.5",
                                           "-1", "1e400", "-1e400", "NaN", "Infinity", "9007199254740992",
                                           "18446744073709551616", "1e30", "-9007199254740992", "\"\"", "01", "1.",
                                           ".5", "+1", "0x10", "\"\\ud800\"", "\"\xff\"", "\"samples\""};
        switch (pick(12)) {
            case 0: f[pick(4)].second = bad_values[pick(std::size(bad_values))]; break;
            case 1: f.erase(f.begin() + static_cast<long>(pick(4))); break;
            case 2: f.push_back(f[pick(4)]); break;  // a duplicate top-level key
            case 3: f.emplace_back(f[pick(4)].first, bad_values[pick(std::size(bad_values))]); break;
            case 4: {  // a duplicate host id, possibly spelt differently
                const char* dup[] = {R"({"a":{},"\u0061":{"x":1}})", R"({"h":{"x":1},"h":{"y":2}})",
                                     R"({"h":{"x":1},"g":{},"h":{"x":3}})"};
                f[3].second = dup[pick(3)];
                break;
            }
            case 5: {  // a duplicate metric key
                const char* dup[] = {R"({"h":{"x":1,"x":2}})", R"({"h":{"x":1,"y":2,"\u0078":3}})",
                                     R"({"h":{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"a":18}})"};
                f[3].second = dup[pick(3)];
                break;
            }
            case 6: {  // a host or metric value of the wrong shape
                const std::string bad = bad_values[pick(std::size(bad_values))];
                f[3].second = chance(50) ? "{\"h\":" + bad + "}" : "{\"h\":{\"cpu\":" + bad + "}}";
                break;
            }
            case 7: {  // another type
                const char* types[] = {"\"sample\"", "\"Samples\"", "\"\"", "\"welcome\"", "\"live\"", "7", "null",
                                       "\"samples\\u0000\"", "\"samples \""};
                f[0].second = types[pick(std::size(types))];
                break;
            }
            case 8: {  // long names, many hosts or metrics (over the tight limits, some over the defaults)
                std::string name(250 + pick(12), 'n');
                f[3].second = chance(50) ? "{\"" + name + "\":{}}" : "{\"h\":{\"" + name + "\":1}}";
                break;
            }
            case 9: f.emplace_back("\"extra\"", any_value(4)); break;
            default: break;  // left valid: the text mutations below do the damage
        }
        std::shuffle(f.begin(), f.end(), rng_);
        return object(f);
    }

    // Damage to the text itself: truncation, a byte changed, inserted or deleted, garbage around.
    std::string mutate_text(std::string s) {
        static const char alphabet[] = "{}[]\":,0123456789.eE+- \\abtnu\x80\xff";
        const std::size_t pos = s.empty() ? 0 : pick(s.size());
        switch (pick(7)) {
            case 0: s.resize(pos); break;
            case 1: if (!s.empty()) s.erase(pos, 1); break;
            case 2: s.insert(pos, 1, alphabet[pick(sizeof alphabet - 1)]); break;
            case 3: if (!s.empty()) s[pos] = alphabet[pick(sizeof alphabet - 1)]; break;
            case 4: s += chance(50) ? " x" : "{}"; break;
            case 5: s = "[" + s + "]"; break;
            default: s = "\xef\xbb\xbf" + s; break;  // a UTF-8 byte-order mark
        }
        return s;
    }

private:
    std::mt19937 rng_;
};

}  // namespace

TEST_CASE("a valid samples frame is decoded by the fast path, and only a valid one") {
    const std::string frame = R"({"type":"samples","seq":1101,"t":1764138000000,"hosts":{"local":{"cpu":12.5,"mem":41.0}}})";
    Samples direct;
    REQUIRE(decode_samples_fast(frame, {}, direct));
    CHECK(direct == Samples{1101, 1764138000000, {HostSamples{"local", {{"cpu", 12.5}, {"mem", 41.0}}}}});

    const std::uint64_t before = samples_fast_path_hits();
    DecodeResult r = decode_hub_message(frame);
    REQUIRE(std::holds_alternative<Samples>(r));
    CHECK(std::get<Samples>(r) == direct);
    CHECK(samples_fast_path_hits() == before + 1);

    // What the fast path gives up on goes to the DOM decoder: no hit counted.
    CHECK(rejection_of(decode_hub_message(R"({"type":"samples","seq":1.0,"t":1,"hosts":{}})")) != nullptr);
    CHECK(std::holds_alternative<Live>(decode_hub_message(R"({"type":"live","head":3})")));
    CHECK(std::holds_alternative<Legacy>(decode_hub_message(R"({"cpu":3})")));
    CHECK(samples_fast_path_hits() == before + 1);
}

TEST_CASE("the fast path gives up on duplicates, bad numbers and limits, and the DOM decides") {
    Samples out;
    const char* give_up[] = {
        R"({"type":"samples","seq":1,"seq":2,"t":1,"hosts":{}})",
        R"({"type":"samples","type":"samples","seq":1,"t":1,"hosts":{}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{},"hosts":{}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{},"h":{}}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1,"\u0078":2}}})",
        R"({"type":"samples","seq":7.0,"t":1,"hosts":{}})",
        R"({"type":"samples","seq":-1,"t":1,"hosts":{}})",
        R"({"type":"samples","seq":9007199254740992,"t":1,"hosts":{}})",
        R"({"type":"samples","seq":1,"t":9007199254740992,"hosts":{}})",
        R"({"type":"samples","seq":1,"t":"1","hosts":{}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":"1"}}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":{"y":1}}}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":[]}})",
        R"({"type":"samples","seq":1,"t":1})",
        R"({"seq":1,"t":1,"hosts":{}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{}} )" "x",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1e400}}})",
        R"({"type":"welcome","v":1,"epoch":"e","head":1,"oldest":1,"interval_ms":1000})",
    };
    for (const char* text : give_up) {
        CHECK_MESSAGE(!decode_samples_fast(text, {}, out), text);
        check_same(text);
    }
    DecodeLimits l = tight_limits();
    CHECK_FALSE(decode_samples_fast(R"({"type":"samples","seq":1,"t":1,"hosts":{"a":{},"b":{},"c":{},"d":{}}})", l, out));
    CHECK_FALSE(decode_samples_fast(R"({"type":"samples","seq":1,"t":1,"hosts":{"a":{"1":1,"2":2,"3":3,"4":4,"5":5}}})", l, out));
    CHECK_FALSE(decode_samples_fast(R"({"type":"samples","seq":1,"t":1,"hosts":{"abcdefg":{}}})", l, out));
    CHECK_FALSE(decode_samples_fast(R"({"type":"samples","seq":1,"t":1,"hosts":{},"x":[[[[[1]]]]]})", l, out));
    CHECK(decode_samples_fast(R"({"type":"samples","seq":1,"t":1,"hosts":{"a":{"1":1,"2":2,"3":3,"4":4}},"x":[[[1]]]})", l, out));
    // Called on its own, it keeps the byte limit too.
    const std::string frame = R"({"type":"samples","seq":1,"t":1,"hosts":{}})";
    l = DecodeLimits{};
    l.max_bytes = frame.size();
    CHECK(decode_samples_fast(frame, l, out));
    l.max_bytes = frame.size() - 1;
    CHECK_FALSE(decode_samples_fast(frame, l, out));
}

TEST_CASE("hand-written edge cases decode the same on both paths") {
    const char* texts[] = {
        R"({"type":"samples","seq":0,"t":0,"hosts":{}})",
        R"({"hosts":{"b":{"y":1,"x":2},"a":{}},"t":-2.5,"seq":-0,"type":"samples"})",
        R"({"type":"samples","seq":9007199254740991,"t":9007199254740991,"hosts":{}})",
        R"({"type":"samples","seq":1,"t":-9007199254740991,"hosts":{}})",
        R"({"type":"samples","seq":1,"t":2.5,"hosts":{}})",
        R"({"type":"samples","seq":1,"t":1764138000000.4999,"hosts":{}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"a":-0,"b":-0.0,"c":0,"d":1e-320,"e":1.7976931348623157e308}}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"big":18446744073709551615,"bigger":18446744073709551616,"neg":-9223372036854775809}}})",
        "{\"type\":\"samples\",\"seq\":1,\"t\":1,\"hosts\":{\"\\u6570\\u636e\\u5e93\":{\"\xe6\x95\xb0\":1},\"\\ud83d\\ude00\":{}}}",
        " \n\t{ \"type\" : \"samples\" , \"seq\" : 1 , \"t\" : 1 , \"hosts\" : { \"h\" : { \"x\" : 1 } } } \r\n",
        "\xef\xbb\xbf{\"type\":\"samples\",\"seq\":1,\"t\":1,\"hosts\":{}}",
        R"({"type":"samples","seq":1,"t":1,"hosts":{},"future":{"a":[1,{"b":null}],"a":2},"future":true})",
        R"({"extra":[],"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1}},"more":"text"})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1}},"hosts2":{"h":{"x":"not a number"}}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"":{"":1}}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1}}}{})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1,}}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":01}}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1}}} // comment)",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":"\ud800"}}})",
        "{\"type\":\"samples\",\"seq\":1,\"t\":1,\"hosts\":{\"h\xff\":{}}}",
        "{\"type\":\"samples\",\"seq\":1,\"t\":1,\"hosts\":{\"h\":{\"x\":1}},\"z\":\"\x01\"}",
        R"([{"type":"samples","seq":1,"t":1,"hosts":{}}])",
        R"("samples")",
        "",
        "{}",
        R"({"type":"samples"})",
        R"({"type":null,"seq":1,"t":1,"hosts":{}})",
        R"({"type":"samples","seq":true,"t":1,"hosts":{}})",
        R"({"type":"samples","seq":1,"t":null,"hosts":{}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":null})",
        R"({"type":"samples","seq":1,"t":1,"hosts":"h"})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":null}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":true}}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":[1]}}})",
        R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1}},"type":"live","head":4})",
        R"({"type":"live","head":4,"hosts":{"h":{"x":1}}})",
        R"({"type":"catalog","hosts":[{"id":"h","metrics":[]}]})",
        R"({"hosts":[{"id":"h","metrics":[]}],"type":"catalog"})",
        R"({"cpu":1,"hosts":{"h":{"x":1}},"seq":1,"t":1})",
    };
    for (const char* text : texts) {
        check_same(text);
        check_same(text, tight_limits());
    }
    // Depth exactly at and over the limit; sizes at and over the byte limit.
    DecodeLimits l;
    l.max_depth = 3;
    check_same(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1}}})", l);
    l.max_depth = 2;
    check_same(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{"x":1}}})", l);
    check_same(R"({"type":"samples","seq":1,"t":1,"hosts":{}})", l);
    const std::string frame = R"({"type":"samples","seq":1,"t":1,"hosts":{}})";
    l = DecodeLimits{};
    l.max_bytes = frame.size();
    check_same(frame, l);
    l.max_bytes = frame.size() - 1;
    check_same(frame, l);
    // A name exactly at the limit and one byte over, in both places.
    l = DecodeLimits{};
    const std::string at(l.max_name_bytes, 'n'), over(l.max_name_bytes + 1, 'n');
    for (const std::string& name : {at, over}) {
        check_same(R"({"type":"samples","seq":1,"t":1,"hosts":{")" + name + R"(":{}}})");
        check_same(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{")" + name + R"(":1}}})");
    }
    // Host and metric counts at and over the default limits (big: the sorted duplicate check).
    for (std::size_t n : {l.max_metrics, l.max_metrics + 1}) {
        std::string values;
        for (std::size_t i = 0; i < n; ++i) values += (i ? ",\"m" : "\"m") + std::to_string(i) + "\":" + std::to_string(i);
        check_same(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{)" + values + "}}}");
        check_same(R"({"type":"samples","seq":1,"t":1,"hosts":{"h":{)" + values + ",\"m7\":0}}}");
    }
    for (std::size_t n : {l.max_hosts, l.max_hosts + 1}) {
        std::string hosts;
        for (std::size_t i = 0; i < n; ++i) hosts += (i ? ",\"h" : "\"h") + std::to_string(i) + "\":{\"x\":1}";
        check_same(R"({"type":"samples","seq":1,"t":1,"hosts":{)" + hosts + "}}");
        check_same(R"({"type":"samples","seq":1,"t":1,"hosts":{)" + hosts + ",\"h17\":{}}}");
    }
}

TEST_CASE("seeded random frames and mutations decode the same on both paths; valid ones go fast") {
    constexpr int kFrames = 1000;  // x4 texts, each decoded both ways under two limits: ~0.1 s
    FrameWriter w(20261126);
    const DecodeLimits defaults;
    const DecodeLimits tight = tight_limits();
    int valid_fast = 0, mutated = 0, mutated_fast = 0, mismatches = 0;
    const std::uint64_t hits_before = samples_fast_path_hits();
    for (int i = 0; i < kFrames && mismatches < 5; ++i) {
        const std::string frame = w.valid_frame(/*extras=*/i % 3 == 0);
        Samples fast;
        if (decode_samples_fast(frame, defaults, fast)) {
            ++valid_fast;
        } else {
            FAIL_CHECK("a valid frame fell back to the DOM: " << frame);
        }
        DecodeResult dom = decode_hub_message_dom(frame, defaults);
        if (!std::holds_alternative<Samples>(dom) || !same_samples(fast, std::get<Samples>(dom))) {
            FAIL_CHECK("fast Samples differ from the DOM's: " << frame);
        }
        if (!check_same(frame, defaults)) ++mismatches;
        if (!check_same(frame, tight)) ++mismatches;
        for (int k = 0; k < 3; ++k) {
            const std::string bad = k == 0 ? w.broken_frame() : w.mutate_text(k == 1 ? frame : w.broken_frame());
            ++mutated;
            Samples ignored;
            if (decode_samples_fast(bad, defaults, ignored)) ++mutated_fast;
            if (!check_same(bad, defaults)) ++mismatches;
            if (!check_same(bad, tight)) ++mismatches;
        }
    }
    CHECK(mismatches == 0);
    CHECK(valid_fast == kFrames);
    // decode_hub_message took the fast path for every valid frame (twice each: default limits,
    // and the tight ones when the frame fits them) and for some mutated ones.
    CHECK(samples_fast_path_hits() - hits_before >= static_cast<std::uint64_t>(valid_fast));
    // The mutations must exercise both outcomes, or they test nothing.
    CHECK(mutated_fast > mutated / 50);
    CHECK(mutated_fast < mutated / 2);
    MESSAGE(valid_fast << " valid frames fast; " << mutated << " mutated, " << mutated_fast << " of them fast");
}

// ---- numbers and strings: the scanner's own readers against nlohmann's lexer (+ strtod) ----

namespace {

// Number texts by JSON's grammar, digits and exponents of every length that matters to a
// converter: up to 25 significant digits, leading zeros in the fraction, exponents -30..+30.
class NumberWriter {
public:
    explicit NumberWriter(std::uint32_t seed) : rng_(seed) {}

    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

    std::string digits(std::size_t n, bool nonzero_first) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + (i == 0 && nonzero_first ? 1 + pick(9) : pick(10)));
        return s;
    }

    std::string decimal() {
        std::string s = pick(4) == 0 ? "-" : "";
        const std::size_t total = 1 + pick(25);
        const std::size_t int_digits = pick(total + 1);  // 0: "0." and the rest in the fraction
        s += int_digits == 0 ? "0" : digits(int_digits, true);
        std::size_t fraction = total - int_digits;
        if (int_digits == 0 && fraction == 0) fraction = 1;
        if (fraction > 0 && pick(5) != 0) {
            s += '.';
            if (pick(3) == 0) s += std::string(1 + pick(8), '0');  // leading zeros in the fraction
            s += digits(fraction, false);
        }
        if (pick(2) == 0) {
            s += pick(2) ? 'e' : 'E';
            const int e = static_cast<int>(pick(61)) - 30;
            if (e < 0) s += '-';
            else if (pick(3) == 0) s += '+';
            if (pick(8) == 0) s += '0';  // exponents may have leading zeros
            s += std::to_string(e < 0 ? -e : e);
        }
        return s;
    }

    // A double as a hub writes it (%.17g: up to 17 digits; fewer digits are nearby decimals),
    // from 1e-6 to 1e9, the fractions that need more than Clinger's shortcut.
    std::string printed_double() {
        const double magnitude = std::pow(10.0, static_cast<double>(pick(16)) - 6);
        const double v = std::uniform_real_distribution<double>(0, 10)(rng_) * magnitude;
        static const char* formats[] = {"%.17g", "%.16g", "%.15g", "%.19g", "%.18g", "%.17e", "%.12f"};
        char buf[64];
        std::snprintf(buf, sizeof buf, formats[pick(std::size(formats))], pick(4) == 0 ? -v : v);
        return buf;
    }

    // A decimal exactly halfway between two doubles (an odd 54-bit integer over 2^j, written
    // with j fraction digits), or one unit of its last digit away: rounding at its hardest.
    std::string tie() {
        const std::uint64_t m = (std::uint64_t{1} << 53) | (std::uniform_int_distribution<std::uint64_t>(0, (std::uint64_t{1} << 53) - 1)(rng_) | 1);
        const std::size_t j = pick(4);  // m * 5^j < 10^19
        std::uint64_t digits_value = m;
        for (std::size_t i = 0; i < j; ++i) digits_value *= 5;
        digits_value += static_cast<std::uint64_t>(pick(3)) - 1;  // -1, 0, +1
        std::string d = std::to_string(digits_value);
        if (j > 0) d.insert(d.size() - j, ".");
        return d;
    }

    // Beyond 2^54 with a short fraction (up to 19 digits in all): bits below the double's guard
    // bit come from the integer part, not only from the remainder.
    std::string big() {
        const std::size_t fraction = pick(3);
        const std::uint64_t top = fraction == 2 ? 99999999999999999ull : fraction == 1 ? 999999999999999999ull : 9999999999999999999ull;
        std::string d = std::to_string(std::uniform_int_distribution<std::uint64_t>(std::uint64_t{1} << 54, top)(rng_));
        if (fraction > 0) d += "." + (pick(3) == 0 ? std::string(fraction, '0') : digits(fraction, false));
        return d;
    }

private:
    std::mt19937 rng_;
};

const char* const kNumberEdges[] = {
    "0", "-0", "0.0", "-0.0", "0e5", "-0e5", "0E-5", "0.000e400", "-0.0e-400", "1", "-1", "1e22", "1e23", "-1e22",
    "1E+22", "1e-22", "1e-23", "9007199254740991", "9007199254740992", "9007199254740993", "-9007199254740993",
    "9007199254740991.0", "9007199254740992.0", "9007199254740993.0", "9007199254740993.5", "9007199254740994.0",
    "900719925474099.3e1", "9.007199254740993e15", "4503599627370497.5", "4503599627370496.5", "0.1", "0.2", "0.3",
    "0.1000000000000000055511151231257827", "1.00000000000000000000000001", "123456789012345678901234567890",
    "123456789012345678901234567890.5", "99999999999999999999", "10000000000000000000", "18446744073709551615",
    "18446744073709551616", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "-18446744073709551616", "4.9e-324", "5e-324", "2.4703282292062327e-324",
    "2.4703282292062328e-324", "1e-320", "2.2250738585072011e-308", "2.2250738585072014e-308", "1e-400", "-1e-400",
    "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309", "1e400",
    "-1e400", "1e99999999999999999999", "1e-99999999999999999999", "0e99999999999999999999",
    "1764138000000.5", "1764138000000.4999", "-2.5", "2.5", "0.5", "1.5", "3.4028236692093846e38", "1e-7", "12.5",
    "41.0", "99.99", "100.00", "0.00001", "1.2345678901234567e-5", "7.0", "00", "01", "-01", "1.", ".5", "-", "+1",
    "1e", "1e+", "1.e5", "--1", "1.5.5", "0x10", "1e5.5", "Infinity", "-Infinity", "NaN", "1_0", "1 0",
};

std::string samples_with(const std::string& seq, const std::string& t, const std::string& hosts, const std::string& extra = "") {
    return R"({"type":"samples","seq":)" + seq + R"(,"t":)" + t + R"(,"hosts":)" + hosts + extra + "}";
}

}  // namespace

TEST_CASE("every number reads the same on both paths, bit for bit, and the fast path takes every finite one") {
    NumberWriter w(53);
    std::vector<std::string> numbers(std::begin(kNumberEdges), std::end(kNumberEdges));
    for (int i = 0; i < 4000; ++i) numbers.push_back(w.decimal());
    for (int i = 0; i < 3000; ++i) numbers.push_back(w.printed_double());
    for (int i = 0; i < 1500; ++i) numbers.push_back(w.tie());
    for (int i = 0; i < 1500; ++i) numbers.push_back(w.big());
    int mismatches = 0, finite = 0, fast = 0;
    for (const std::string& x : numbers) {
        if (mismatches >= 5) break;
        // As a metric value, as the time, as the seq, inside a skipped unknown field.
        const std::string as_value = samples_with("1", "1", R"({"h":{"x":)" + x + "}}");
        if (!check_same(as_value)) ++mismatches;
        if (!check_same(samples_with("1", x, "{}"))) ++mismatches;
        if (!check_same(samples_with(x, "1", "{}"))) ++mismatches;
        if (!check_same(samples_with("1", "1", "{}", R"(,"z":[)" + x + "]"))) ++mismatches;
        // The DOM takes it (a finite number): the scanner must not have given up.
        if (std::holds_alternative<Samples>(decode_hub_message_dom(as_value))) {
            ++finite;
            Samples out;
            if (decode_samples_fast(as_value, {}, out)) ++fast;
            else FAIL_CHECK("the fast path gave up on the number " << x);
        }
    }
    CHECK(mismatches == 0);
    CHECK(fast == finite);
    CHECK(finite > static_cast<int>(numbers.size()) * 9 / 10);
    MESSAGE(numbers.size() << " numbers, " << finite << " finite, all read by the fast path");
}

TEST_CASE("every string reads the same on both paths: escapes, surrogates, UTF-8, controls") {
    // Fragments of strings, right and wrong: escapes whole and cut, surrogates paired and lone,
    // UTF-8 lead and continuation bytes at each boundary of the well-formed ranges, controls.
    static const char* const kPieces[] = {
        "a", "Z", "0", " ", "/", "\x7f", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\x", "\\",
        "\\u0041", "\\u00e9", "\\u00E9", "\\u4e2d", "\\u0000", "\\u001f", "\\uD83D", "\\ude00", "\\uDBFF", "\\uDC00",
        "\\uDFFF", "\\ud800\\udc00", "\\udbff\\udfff", "\\u12", "\\u12G4", "u", "d83d", "\x01", "\x1f", "\t",
        "\xc2\x80", "\xdf\xbf", "\xc1\xbf", "\xc2", "\x80", "\xbf", "\xe0\xa0\x80", "\xe0\x9f\x80", "\xed\x9f\xbf",
        "\xed\xa0\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf0\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80", "\xe4\xb8", "\xff", "\xfe", "\xc3\xa9", "\"",
    };
    std::mt19937 rng(0x5eed);
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    auto text = [&] {
        std::string s;
        const std::size_t n = 1 + pick(5);
        for (std::size_t i = 0; i < n; ++i) s += kPieces[pick(std::size(kPieces))];
        return s;
    };
    int mismatches = 0, fast = 0, total = 0;
    for (int i = 0; i < 3000 && mismatches < 5; ++i) {
        const std::string s = text();
        const std::string frames[] = {
            samples_with("1", "1", "{\"" + s + "\":{\"x\":1}}"),
            samples_with("1", "1", "{\"h\":{\"" + s + "\":1}}"),
            samples_with("1", "1", "{}", ",\"" + s + "\":\"" + s + "\""),
            "{\"" + s + "\":\"samples\",\"seq\":1,\"t\":1,\"hosts\":{},\"type\":\"samples\"}",
        };
        for (const std::string& f : frames) {
            ++total;
            Samples out;
            if (decode_samples_fast(f, {}, out)) ++fast;
            if (!check_same(f)) ++mismatches;
            if (!check_same(f, tight_limits())) ++mismatches;
        }
    }
    CHECK(mismatches == 0);
    CHECK(fast > total / 10);  // both outcomes exercised
    CHECK(fast < total * 9 / 10);
    MESSAGE(total << " frames with odd strings, " << fast << " of them fast");
}
