// UTF-8 decoding and the glyph set (see the header).
#include "model/glyph_set.h"

namespace vigil::model {

std::vector<char32_t> decode_utf8(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char b = s[i];
        if (b < 0x80) {
            out.push_back(b);
            ++i;
            continue;
        }
        // Lead byte: sequence length and the valid range of the second byte (Unicode table 3-7),
        // which rules out overlong forms, surrogates and codepoints above U+10FFFF.
        int len = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        char32_t cp = 0;
        if (b >= 0xC2 && b <= 0xDF) { len = 2; cp = b & 0x1F; }
        else if (b == 0xE0) { len = 3; cp = b & 0x0F; lo = 0xA0; }
        else if (b >= 0xE1 && b <= 0xEC) { len = 3; cp = b & 0x0F; }
        else if (b == 0xED) { len = 3; cp = b & 0x0F; hi = 0x9F; }
        else if (b >= 0xEE && b <= 0xEF) { len = 3; cp = b & 0x0F; }
        else if (b == 0xF0) { len = 4; cp = b & 0x07; lo = 0x90; }
        else if (b >= 0xF1 && b <= 0xF3) { len = 4; cp = b & 0x07; }
        else if (b == 0xF4) { len = 4; cp = b & 0x07; hi = 0x8F; }
        if (len == 0) {  // a stray continuation byte or an impossible lead
            out.push_back(kReplacementChar);
            ++i;
            continue;
        }
        std::size_t j = 1;
        for (; j < static_cast<std::size_t>(len); ++j) {
            if (i + j >= n) break;
            const unsigned char c = s[i + j];
            const unsigned char min = j == 1 ? lo : 0x80, max = j == 1 ? hi : 0xBF;
            if (c < min || c > max) break;
            cp = (cp << 6) | (c & 0x3F);
        }
        if (j < static_cast<std::size_t>(len)) {
            // One U+FFFD for the maximal valid prefix; the offending byte starts over.
            out.push_back(kReplacementChar);
            i += j;
            continue;
        }
        out.push_back(cp);
        i += static_cast<std::size_t>(len);
    }
    return out;
}

GlyphSet::GlyphSet(std::size_t max_codepoints) : max_(max_codepoints) {
    for (char32_t cp = 0x20; cp <= 0x7E; ++cp) add_codepoint(cp);
    add_codepoint(kReplacementChar);
}

void GlyphSet::add_codepoint(char32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp > 0x10FFFF) return;  // controls draw nothing
    if (all_.count(cp)) return;
    if (all_.size() >= max_) {
        ++refused_;  // the atlas would grow without end: such text shows as missing glyphs instead
        return;
    }
    all_.insert(cp);
    fresh_.insert(cp);
}

std::size_t GlyphSet::add(std::string_view text) {
    const std::size_t before = all_.size();
    for (char32_t cp : decode_utf8(text)) add_codepoint(cp);
    return all_.size() - before;
}

std::vector<char32_t> GlyphSet::take_new() {
    std::vector<char32_t> out(fresh_.begin(), fresh_.end());
    fresh_.clear();
    return out;
}

std::vector<std::uint32_t> GlyphSet::ranges() const {
    std::vector<std::uint32_t> out;
    for (char32_t cp : all_) {
        const auto c = static_cast<std::uint32_t>(cp);
        if (!out.empty() && out.back() + 1 == c) out.back() = c;
        else {
            out.push_back(c);
            out.push_back(c);
        }
    }
    out.push_back(0);
    return out;
}

}  // namespace vigil::model
