// The samples fast path: a scanner for the strict JSON nlohmann accepts, shaped for one samples
// frame, with a number reader that needs strtod only where no exact shortcut exists. Every
// `return false` means "not for the fast path": the caller hands the text to the DOM decoder.
#include "protocol/samples_scan.h"

#include <algorithm>
#include <cfloat>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace vigil::protocol {

namespace {

// ---- numbers ----

// w * 10^e and w / 10^e with w and 10^e exact doubles is one correctly rounded IEEE operation,
// hence the double strtod gives (Clinger's fast path), but only where doubles are evaluated as
// doubles: FLT_EVAL_METHOD 0 (wasm, x86-64 SSE). x87's extended precision would round twice;
// there every fraction goes to strtod.
constexpr bool kExactDoubleArithmetic = FLT_EVAL_METHOD == 0;

// Every power of ten a double holds exactly (5^22 < 2^53).
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int kMaxExactPow10 = 22;

// 10^0 .. 10^19, every power of ten a uint64 holds.
constexpr std::uint64_t kPow10Int[] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
                                       100000000ull, 1000000000ull, 10000000000ull, 100000000000ull,
                                       1000000000000ull, 10000000000000ull, 100000000000000ull,
                                       1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
                                       1000000000000000000ull, 10000000000000000000ull};
constexpr int kMaxPow10Int = 19;
constexpr std::uint64_t kMaxExactSignificand = std::uint64_t{1} << 53;
constexpr int kMaxSignificantDigits = 19;  // always fits a uint64
constexpr std::int64_t kExponentCap = 100000;  // beyond: no shortcut, strtod decides

// A number token as nlohmann stores it and the DOM decoder reads it (get<double>()).
struct Number {
    double value = 0;
    bool integer = false;          // stored as int64 / uint64, not as a float
    std::uint64_t magnitude = 0;   // of an integer
    bool negative = false;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// nlohmann writes the locale's decimal point into the token it hands strtod; so do we.
char decimal_point() {
    const std::lconv* loc = std::localeconv();
    return loc->decimal_point == nullptr ? '.' : *loc->decimal_point;
}

// strtod on exactly the token nlohmann would pass it.
double strtod_token(const char* begin, const char* end) {
    const std::size_t n = static_cast<std::size_t>(end - begin);
    char small[64];
    std::string large;
    char* buf = small;
    if (n >= sizeof small) {
        large.resize(n + 1);
        buf = &large[0];
    }
    const char point = decimal_point();
    for (std::size_t i = 0; i < n; ++i) buf[i] = begin[i] == '.' ? point : begin[i];
    buf[n] = '\0';
    return std::strtod(buf, nullptr);
}

// w / 10^k rounded to the nearest double, ties to even, for 0 < w < 2^64 and 1 <= k <= 19: the
// 16-19 digit fractions Clinger's shortcut cannot take (w > 2^53), which a hub writing shortest
// round-trip doubles sends most. Integers only: the quotient to 54 significant bits by long
// division, whatever is left over as a sticky bit, then one rounding. The result lies within
// 2^-64 .. 2^64, far from subnormals and overflow, so scaling by ldexp is exact.
double divide_by_pow10(std::uint64_t w, int k) {
    const std::uint64_t d = kPow10Int[k];
    std::uint64_t q = w / d;
    std::uint64_t r = w % d;  // w / d = q + r / d
    int exp2 = 0;             // w / 10^k = (q + what is left) * 2^exp2
    bool sticky = false;      // something nonzero is left below q's last bit
    constexpr std::uint64_t kBit53 = std::uint64_t{1} << 53;
    constexpr std::uint64_t kBit54 = std::uint64_t{1} << 54;
    while (q >= kBit54) {  // too many bits already: shift the extra ones into sticky
        sticky = sticky || (q & 1) != 0;
        q >>= 1;
        ++exp2;
    }
    while (q < kBit53) {  // one more quotient bit: q = 2q + (2r >= d), r = 2r mod d, 2r never formed
        if (r >= d - r) {
            q = 2 * q + 1;
            r -= d - r;
        } else {
            q = 2 * q;
            r = 2 * r;
        }
        --exp2;
    }
    sticky = sticky || r != 0;
    // q holds 54 bits: 53 for the double and a guard bit; round half to even.
    std::uint64_t m = q >> 1;
    const bool guard = (q & 1) != 0;
    if (guard && (sticky || (m & 1) != 0)) ++m;  // m may become 2^53: still exact
    return std::ldexp(static_cast<double>(m), exp2 + 1);
}

// ---- duplicates ----

// Below this many names a pairwise check beats sorting.
constexpr std::size_t kPairwiseDuplicateCheck = 16;

// Whether two of `items` have the same `name(item)`. `scratch` is reused between calls.
template <class Range, class Name>
bool has_duplicate(const Range& items, Name name, std::vector<std::string_view>& scratch) {
    const std::size_t n = items.size();
    if (n <= kPairwiseDuplicateCheck) {
        for (std::size_t i = 1; i < n; ++i) {
            const std::string& a = name(items[i]);
            for (std::size_t k = 0; k < i; ++k) {
                if (name(items[k]) == a) return true;
            }
        }
        return false;
    }
    scratch.clear();
    for (const auto& item : items) scratch.emplace_back(name(item));
    std::sort(scratch.begin(), scratch.end());
    return std::adjacent_find(scratch.begin(), scratch.end()) != scratch.end();
}

// ---- the scanner ----

// Depth 1 is the frame object, 2 the `hosts` object (or an unknown field's array or object),
// 3 one host's values; the same depths the DOM's nesting check counts.
class SamplesScanner {
public:
    SamplesScanner(std::string_view text, const DecodeLimits& limits, Samples& out)
        : p_(text.data()), end_(text.data() + text.size()), limits_(limits), out_(out) {}

    bool frame() {
        if (limits_.max_depth < 1) return false;
        skip_ws();  // a byte-order mark is not whitespace: the DOM path takes it
        if (!at('{')) return false;
        ++p_;
        skip_ws();
        if (at('}')) return false;  // no fields at all
        unsigned seen = 0;
        for (;;) {
            std::string_view key;
            if (!at('"') || !string(key) || !colon()) return false;
            const Field field = field_of(key);  // before the next string() reuses the scratch
            if (field != Field::unknown) {
                const unsigned bit = 1u << static_cast<unsigned>(field);
                if (seen & bit) return false;  // a duplicate: the DOM keeps the last value, let it decide
                seen |= bit;
            }
            skip_ws();
            if (!field_value(field)) return false;
            bool more = false;
            if (!end_of_member(more)) return false;
            if (!more) break;
        }
        skip_ws();
        // Anything after the object is left to the DOM path, even a NUL, which nlohmann reads as
        // the end of the input.
        return p_ == end_ && seen == kAllFields;
    }

private:
    enum class Field : unsigned { type, seq, t, hosts, down, unknown };
    static constexpr unsigned kAllFields = 0xF;

    static Field field_of(std::string_view key) {
        if (key == "type") return Field::type;
        if (key == "seq") return Field::seq;
        if (key == "t") return Field::t;
        if (key == "hosts") return Field::hosts;
        if (key == "down") return Field::down;  // rare (a host is DOWN): the DOM path reads it
        return Field::unknown;  // ignored by the DOM decoder too, duplicates included
    }

    bool field_value(Field field) {
        switch (field) {
            case Field::type: {
                std::string_view type;
                return at('"') && string(type) && type == "samples";
            }
            case Field::seq: {
                // An integer token only (7.0 is refused: seqs are counted); -0 is nlohmann's int64 0.
                Number n;
                if (!number(n) || !n.integer || (n.negative && n.magnitude != 0) || n.magnitude > kMaxSeq) return false;
                out_.seq = static_cast<Seq>(n.magnitude);
                return true;
            }
            case Field::t: {
                Number n;
                if (!number(n) || n.value < -kMaxWholeMs || n.value > kMaxWholeMs) return false;
                out_.t = static_cast<std::int64_t>(std::llround(n.value));
                return true;
            }
            case Field::hosts: return hosts();
            case Field::down: return false;
            case Field::unknown: return skip_value();
        }
        return false;
    }

    bool hosts() {
        if (!at('{') || limits_.max_depth < 2) return false;
        ++p_;
        skip_ws();
        if (at('}')) {
            ++p_;
            return true;
        }
        for (;;) {
            std::string_view id;
            if (!at('"') || !string(id)) return false;
            if (id.size() > limits_.max_name_bytes || out_.hosts.size() >= limits_.max_hosts) return false;
            HostSamples& h = out_.hosts.emplace_back();
            h.host.assign(id.data(), id.size());
            if (!colon()) return false;
            skip_ws();
            if (!host_values(h.values)) return false;
            bool more = false;
            if (!end_of_member(more)) return false;
            if (!more) break;
        }
        return !has_duplicate(out_.hosts, [](const HostSamples& h) -> const std::string& { return h.host; }, scratch_names_);
    }

    bool host_values(std::vector<std::pair<std::string, double>>& values) {
        if (!at('{') || limits_.max_depth < 3) return false;
        ++p_;
        // Hosts of one frame usually carry the same metrics: size each like the last.
        values.reserve(value_hint_);
        skip_ws();
        if (at('}')) {
            ++p_;
            return true;
        }
        for (;;) {
            std::string_view key;
            if (!at('"') || !string(key)) return false;
            if (key.size() > limits_.max_name_bytes || values.size() >= limits_.max_metrics) return false;
            auto& kv = values.emplace_back(std::string(key.data(), key.size()), 0.0);
            if (!colon()) return false;
            skip_ws();
            Number n;
            if (!number(n)) return false;  // anything but a number gives up
            kv.second = n.value;
            bool more = false;
            if (!end_of_member(more)) return false;
            if (!more) break;
        }
        value_hint_ = values.size();
        return !has_duplicate(values, [](const auto& kv) -> const std::string& { return kv.first; }, scratch_names_);
    }

    // The value of an unknown top-level field, checked as strictly as nlohmann checks it and
    // otherwise ignored. Iterative: `skip_stack_` holds the open '{' and '['.
    bool skip_value() {
        skip_stack_.clear();
        for (;;) {
            // A value starts here.
            skip_ws();
            if (p_ == end_) return false;
            const char c = *p_;
            if (c == '{' || c == '[') {
                if (skip_stack_.size() + 2 > limits_.max_depth) return false;
                ++p_;
                skip_ws();
                if (at(c == '{' ? '}' : ']')) {
                    ++p_;  // empty: a whole value, closed below
                } else {
                    skip_stack_.push_back(c);
                    if (c == '{' && !member_name()) return false;
                    continue;
                }
            } else if (c == '"') {
                std::string_view ignored;
                if (!string(ignored)) return false;
            } else if (c == '-' || is_digit(c)) {
                Number ignored;
                if (!number(ignored)) return false;  // 1e400 is a parse error to nlohmann
            } else if (!literal()) {
                return false;
            }
            // A value ended: close what ends with it, up to the next value.
            for (;;) {
                if (skip_stack_.empty()) return true;
                skip_ws();
                const bool object = skip_stack_.back() == '{';
                if (at(',')) {
                    ++p_;
                    if (object && !member_name()) return false;
                    break;
                }
                if (!at(object ? '}' : ']')) return false;
                ++p_;
                skip_stack_.pop_back();
            }
        }
    }

    // `"name":` inside a skipped object.
    bool member_name() {
        skip_ws();
        std::string_view ignored;
        return at('"') && string(ignored) && colon();
    }

    bool literal() {
        for (std::string_view word : {std::string_view("true"), std::string_view("false"), std::string_view("null")}) {
            if (static_cast<std::size_t>(end_ - p_) >= word.size() && std::string_view(p_, word.size()) == word) {
                p_ += word.size();
                return true;
            }
        }
        return false;
    }

    // ---- tokens ----

    // nlohmann's whitespace: exactly these four.
    void skip_ws() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }

    bool at(char c) const { return p_ != end_ && *p_ == c; }

    // After an object member: ',' (another follows: `more`) or '}' (the object ends); anything
    // else is malformed.
    bool end_of_member(bool& more) {
        skip_ws();
        more = at(',');
        if (!more && !at('}')) return false;
        ++p_;
        if (more) skip_ws();
        return true;
    }

    bool colon() {
        skip_ws();
        if (!at(':')) return false;
        ++p_;
        return true;
    }

    // A string at `p_` (on its opening quote), decoded: a view into the text when it holds no
    // escape and no byte >= 0x80, else into scratch_ (valid until the next call).
    bool string(std::string_view& s) {
        const char* const begin = ++p_;
        for (const char* q = begin; q != end_; ++q) {
            const auto c = static_cast<unsigned char>(*q);
            if (c == '"') {
                s = std::string_view(begin, static_cast<std::size_t>(q - begin));
                p_ = q + 1;
                return true;
            }
            if (c == '\\' || c < 0x20 || c >= 0x80) {
                scratch_.assign(begin, q);
                p_ = q;
                return string_rest(s);
            }
        }
        return false;  // no closing quote
    }

    // The rest of a string with escapes or UTF-8, exactly as nlohmann's lexer decodes and
    // rejects it.
    bool string_rest(std::string_view& s) {
        while (p_ != end_) {
            const auto c = static_cast<unsigned char>(*p_++);
            if (c == '"') {
                s = scratch_;
                return true;
            }
            if (c < 0x20) return false;  // control characters must be escaped
            if (c == '\\') {
                if (!escape()) return false;
            } else if (c < 0x80) {
                scratch_ += static_cast<char>(c);
            } else if (!utf8_sequence(c)) {
                return false;
            }
        }
        return false;
    }

    // After a backslash.
    bool escape() {
        if (p_ == end_) return false;
        switch (*p_++) {
            case '"': scratch_ += '"'; return true;
            case '\\': scratch_ += '\\'; return true;
            case '/': scratch_ += '/'; return true;
            case 'b': scratch_ += '\b'; return true;
            case 'f': scratch_ += '\f'; return true;
            case 'n': scratch_ += '\n'; return true;
            case 'r': scratch_ += '\r'; return true;
            case 't': scratch_ += '\t'; return true;
            case 'u': break;
            default: return false;
        }
        long cp = hex4();
        if (cp < 0) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate: a low one must follow
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            const long low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) return false;
            cp = ((cp - 0xD800) << 10) + (low - 0xDC00) + 0x10000;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;  // a lone low surrogate
        }
        append_utf8(static_cast<std::uint32_t>(cp));
        return true;
    }

    // Four hex digits after \u, or -1.
    long hex4() {
        if (end_ - p_ < 4) return -1;
        long v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *p_++;
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else return -1;
            v = v * 16 + d;
        }
        return v;
    }

    void append_utf8(std::uint32_t cp) {
        if (cp < 0x80) {
            scratch_ += static_cast<char>(cp);
        } else if (cp <= 0x7FF) {
            scratch_ += static_cast<char>(0xC0u | (cp >> 6));
            scratch_ += static_cast<char>(0x80u | (cp & 0x3Fu));
        } else if (cp <= 0xFFFF) {
            scratch_ += static_cast<char>(0xE0u | (cp >> 12));
            scratch_ += static_cast<char>(0x80u | ((cp >> 6) & 0x3Fu));
            scratch_ += static_cast<char>(0x80u | (cp & 0x3Fu));
        } else {
            scratch_ += static_cast<char>(0xF0u | (cp >> 18));
            scratch_ += static_cast<char>(0x80u | ((cp >> 12) & 0x3Fu));
            scratch_ += static_cast<char>(0x80u | ((cp >> 6) & 0x3Fu));
            scratch_ += static_cast<char>(0x80u | (cp & 0x3Fu));
        }
    }

    // A multi-byte UTF-8 sequence whose lead byte was just read: well-formed per Unicode's
    // table 3-7, nlohmann's test byte for byte.
    bool utf8_sequence(unsigned lead) {
        const char* const from = p_ - 1;
        auto next_in = [this](unsigned lo, unsigned hi) {
            if (p_ == end_) return false;
            const auto b = static_cast<unsigned char>(*p_);
            if (b < lo || b > hi) return false;
            ++p_;
            return true;
        };
        bool ok = false;
        if (lead >= 0xC2 && lead <= 0xDF) ok = next_in(0x80, 0xBF);
        else if (lead == 0xE0) ok = next_in(0xA0, 0xBF) && next_in(0x80, 0xBF);
        else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) ok = next_in(0x80, 0xBF) && next_in(0x80, 0xBF);
        else if (lead == 0xED) ok = next_in(0x80, 0x9F) && next_in(0x80, 0xBF);
        else if (lead == 0xF0) ok = next_in(0x90, 0xBF) && next_in(0x80, 0xBF) && next_in(0x80, 0xBF);
        else if (lead >= 0xF1 && lead <= 0xF3) ok = next_in(0x80, 0xBF) && next_in(0x80, 0xBF) && next_in(0x80, 0xBF);
        else if (lead == 0xF4) ok = next_in(0x80, 0x8F) && next_in(0x80, 0xBF) && next_in(0x80, 0xBF);
        if (ok) scratch_.append(from, p_);
        return ok;
    }

    // A number at `p_` by JSON's grammar -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?, valued as
    // nlohmann + get<double>() value it. False on bad grammar and on a value out of double range
    // (nlohmann's parser rejects those).
    bool number(Number& n) {
        const char* const begin = p_;
        const char* q = p_;
        n.negative = q != end_ && *q == '-';
        if (n.negative) ++q;
        if (q == end_ || !is_digit(*q)) return false;
        // The significand: its digits without leading zeros, the first 19 of them in w.
        std::uint64_t w = 0;
        int digits = 0;
        bool dropped = false;  // more than 19 significant digits: w is not the significand
        auto take = [&](char c) {
            const auto d = static_cast<unsigned>(c - '0');
            if (w == 0 && d == 0) return;  // a leading zero
            if (digits < kMaxSignificantDigits) {
                w = w * 10 + d;
                ++digits;
            } else {
                dropped = true;
            }
        };
        const char* const int_begin = q;
        if (*q == '0') {
            ++q;  // 0 alone: "01" leaves "1" for the caller, which refuses it
        } else {
            while (q != end_ && is_digit(*q)) take(*q++);
        }
        const char* const int_end = q;
        bool is_float = false;
        std::int64_t fraction_digits = 0;
        if (q != end_ && *q == '.') {
            is_float = true;
            ++q;
            if (q == end_ || !is_digit(*q)) return false;
            while (q != end_ && is_digit(*q)) {
                take(*q++);
                ++fraction_digits;
            }
        }
        std::int64_t exponent = 0;
        bool huge_exponent = false;
        if (q != end_ && (*q == 'e' || *q == 'E')) {
            is_float = true;
            ++q;
            bool negative_exponent = false;
            if (q != end_ && (*q == '+' || *q == '-')) negative_exponent = *q++ == '-';
            if (q == end_ || !is_digit(*q)) return false;
            while (q != end_ && is_digit(*q)) {
                if (exponent < kExponentCap) exponent = exponent * 10 + (*q - '0');
                else huge_exponent = true;
                ++q;
            }
            if (negative_exponent) exponent = -exponent;
        }
        p_ = q;

        if (!is_float) {
            // nlohmann: strtoull (strtoll when negative) into a uint64 (int64); on overflow, a float
            // by strtod. get<double>() then casts the integer.
            std::uint64_t m = w;
            bool overflow = false;
            if (dropped) {
                m = 0;
                for (const char* d = int_begin; d != int_end; ++d) {
                    const auto v = static_cast<std::uint64_t>(*d - '0');
                    if (m > (std::numeric_limits<std::uint64_t>::max() - v) / 10) {
                        overflow = true;
                        break;
                    }
                    m = m * 10 + v;
                }
            }
            constexpr std::uint64_t kMinInt64Magnitude = std::uint64_t{1} << 63;
            if (!overflow && !n.negative) {
                n.integer = true;
                n.magnitude = m;
                n.value = static_cast<double>(m);
                return true;
            }
            if (!overflow && m <= kMinInt64Magnitude) {
                n.integer = true;
                n.magnitude = m;
                const std::int64_t i = m == kMinInt64Magnitude ? std::numeric_limits<std::int64_t>::min()
                                                               : -static_cast<std::int64_t>(m);
                n.value = static_cast<double>(i);  // -0 is int64 0: +0.0
                return true;
            }
            n.integer = false;
            n.value = strtod_token(begin, p_);
            return std::isfinite(n.value);
        }

        n.integer = false;
        const std::int64_t e = exponent - fraction_digits;  // value = w * 10^e
        if (kExactDoubleArithmetic && !dropped && !huge_exponent && w <= kMaxExactSignificand) {
            double v = 0;
            bool exact = true;
            if (w == 0) v = 0.0;
            else if (e >= 0 && e <= kMaxExactPow10) v = static_cast<double>(w) * kPow10[e];
            else if (e < 0 && e >= -kMaxExactPow10) v = static_cast<double>(w) / kPow10[-e];
            else exact = false;
            if (exact) {
                n.value = n.negative ? -v : v;  // the sign last: -0.0 stays -0.0, as from strtod
                return std::isfinite(n.value);
            }
        }
        if (!dropped && !huge_exponent && w > kMaxExactSignificand && e < 0 && e >= -kMaxPow10Int) {
            const double v = divide_by_pow10(w, static_cast<int>(-e));
            n.value = n.negative ? -v : v;
            return true;
        }
        n.value = strtod_token(begin, p_);
        return std::isfinite(n.value);
    }

    const char* p_;
    const char* const end_;
    const DecodeLimits& limits_;
    Samples& out_;
    std::string scratch_;      // a string with escapes or UTF-8, decoded
    std::string skip_stack_;   // open '{' / '[' of a skipped value
    std::size_t value_hint_ = 0;
    std::vector<std::string_view> scratch_names_;
};

}  // namespace

bool decode_samples_fast(std::string_view text, const DecodeLimits& limits, Samples& out) {
    if (text.size() > limits.max_bytes) return false;
    out = Samples{};
    SamplesScanner scanner(text, limits, out);
    return scanner.frame();
}

}  // namespace vigil::protocol
