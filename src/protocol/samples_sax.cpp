// The samples fast path: one SAX handler that fills protocol::Samples as the parser reads, and
// gives up (returns false to the parser) at the first thing the DOM decoder should judge.
#include "protocol/samples_sax.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace vigil::protocol {

namespace {

// The DOM decoder's lexer and parser (one instance per json type, same code): both paths accept
// exactly the same JSON text.
using Json = nlohmann::json;

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

// Depth 1 is the frame object, 2 the `hosts` object, 3 one host's values. Unknown top-level
// fields are skipped whole (their nesting is only counted). Every `return false` means "not for
// the fast path": the parser stops and the caller hands the text to the DOM decoder.
class SamplesHandler {
public:
    SamplesHandler(const DecodeLimits& limits, Samples& out) : limits_(limits), out_(out) {}

    // True once the frame object closed with all four fields seen (type checked on the way).
    bool complete() const { return closed_ && seen_ == kAllFields; }

    // ---- nlohmann's SAX interface ----

    bool null() { return ignored(); }
    bool boolean(bool) { return ignored(); }
    bool binary(Json::binary_t&) { return false; }  // never produced by the JSON parser

    bool number_integer(Json::number_integer_t v) {
        if (ignored()) return true;
        if (depth_ == 1 && field_ == Field::seq) {
            if (v < 0 || static_cast<std::uint64_t>(v) > kMaxSeq) return false;
            out_.seq = static_cast<Seq>(v);
            return field_done();
        }
        return number(static_cast<double>(v));
    }

    bool number_unsigned(Json::number_unsigned_t v) {
        if (ignored()) return true;
        if (depth_ == 1 && field_ == Field::seq) {
            if (v > kMaxSeq) return false;
            out_.seq = static_cast<Seq>(v);
            return field_done();
        }
        return number(static_cast<double>(v));
    }

    bool number_float(Json::number_float_t v, const Json::string_t&) {
        if (ignored()) return true;
        if (depth_ == 1 && field_ == Field::seq) return false;  // 7.0 is refused: seqs are counted
        return number(v);
    }

    bool string(Json::string_t& s) {
        if (ignored()) return true;
        if (depth_ != 1 || field_ != Field::type || s != "samples") return false;
        return field_done();
    }

    bool start_object(std::size_t) {
        if (++depth_ > limits_.max_depth) return false;
        if (skipping()) return true;
        switch (depth_) {
            case 1: return true;
            case 2:
                if (field_ == Field::unknown) return skip_value();
                return field_ == Field::hosts;
            case 3: return true;  // one host's values; its key was taken in key()
            default: return false;
        }
    }

    bool start_array(std::size_t) {
        if (++depth_ > limits_.max_depth) return false;
        if (skipping()) return true;
        if (depth_ == 2 && field_ == Field::unknown) return skip_value();
        return false;
    }

    bool key(Json::string_t& k) {
        if (skipping()) return true;
        switch (depth_) {
            case 1: return frame_key(k);
            case 2: return host_key(k);
            case 3: return metric_key(k);
            default: return false;
        }
    }

    bool end_object() {
        if (skipping()) return leave_skipped();
        switch (depth_--) {
            case 3: {
                const auto& values = out_.hosts.back().values;
                value_hint_ = values.size();
                return !has_duplicate(values, [](const auto& kv) -> const std::string& { return kv.first; }, scratch_);
            }
            case 2:
                if (has_duplicate(out_.hosts, [](const HostSamples& h) -> const std::string& { return h.host; }, scratch_)) {
                    return false;
                }
                return field_done();
            case 1: closed_ = true; return true;
            default: return false;
        }
    }

    bool end_array() { return skipping() && leave_skipped(); }

    bool parse_error(std::size_t, const std::string&, const Json::exception&) { return false; }

private:
    enum class Field { none, type, seq, t, hosts, unknown };
    static constexpr unsigned kAllFields = 0xF;

    static unsigned bit(Field f) {
        switch (f) {
            case Field::type: return 1;
            case Field::seq: return 2;
            case Field::t: return 4;
            case Field::hosts: return 8;
            default: return 0;
        }
    }

    bool skipping() const { return skip_from_ != 0; }

    // The value of an unknown top-level field opens at depth 2: skip until it closes.
    bool skip_value() {
        skip_from_ = depth_;
        return true;
    }

    bool leave_skipped() {
        if (depth_-- == skip_from_) {
            skip_from_ = 0;
            field_ = Field::none;
        }
        return true;
    }

    // Whether a scalar is part of what is skipped: inside an unknown field's value, or the
    // value itself. Every other scalar is judged by its caller.
    bool ignored() {
        if (skipping()) return true;
        if (depth_ == 1 && field_ == Field::unknown) return field_done();
        return false;
    }

    bool field_done() {
        field_ = Field::none;
        return true;
    }

    // Any number outside `seq`: `t`, or one metric value.
    bool number(double d) {
        if (!std::isfinite(d)) return false;
        if (depth_ == 3) {
            out_.hosts.back().values.back().second = d;
            return true;
        }
        if (depth_ != 1 || field_ != Field::t) return false;
        if (d < -kMaxWholeMs || d > kMaxWholeMs) return false;
        out_.t = static_cast<std::int64_t>(std::llround(d));
        return field_done();
    }

    bool frame_key(const std::string& k) {
        if (k == "type") field_ = Field::type;
        else if (k == "seq") field_ = Field::seq;
        else if (k == "t") field_ = Field::t;
        else if (k == "hosts") field_ = Field::hosts;
        else {
            field_ = Field::unknown;  // ignored by the DOM decoder too, duplicates included
            return true;
        }
        const unsigned b = bit(field_);
        if (seen_ & b) return false;  // a duplicate: the DOM keeps the last value, let it decide
        seen_ |= b;
        return true;
    }

    bool host_key(const std::string& id) {
        if (id.size() > limits_.max_name_bytes || out_.hosts.size() >= limits_.max_hosts) return false;
        HostSamples& h = out_.hosts.emplace_back();
        h.host = id;
        // Hosts of one frame usually carry the same metrics: size the next like the last.
        h.values.reserve(value_hint_);
        return true;
    }

    bool metric_key(const std::string& k) {
        auto& values = out_.hosts.back().values;
        if (k.size() > limits_.max_name_bytes || values.size() >= limits_.max_metrics) return false;
        values.emplace_back(k, 0.0);  // the value follows; anything but a number gives up
        return true;
    }

    const DecodeLimits& limits_;
    Samples& out_;
    std::size_t depth_ = 0;
    std::size_t skip_from_ = 0;  // depth of the unknown field's value being skipped, 0: none
    Field field_ = Field::none;  // the top-level field whose value comes next
    unsigned seen_ = 0;          // bits of the fields read
    bool closed_ = false;
    std::size_t value_hint_ = 0;
    std::vector<std::string_view> scratch_;
};

}  // namespace

bool decode_samples_fast(std::string_view text, const DecodeLimits& limits, Samples& out) {
    if (text.size() > limits.max_bytes) return false;
    out = Samples{};
    SamplesHandler handler(limits, out);
    // strict: trailing text is an error; the handler's parse_error returns false, so nothing is
    // thrown (under Emscripten a throw would abort the page).
    const bool parsed = Json::sax_parse(text.begin(), text.end(), &handler, nlohmann::json::input_format_t::json,
                                        /*strict=*/true, /*ignore_comments=*/false);
    return parsed && handler.complete();
}

}  // namespace vigil::protocol
