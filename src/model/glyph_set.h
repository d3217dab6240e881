// The Unicode codepoints the screen's text uses, so the UI builds its font atlas from what it
// shows and rebuilds it only when new text (a new host name) brings new characters. UTF-8 is
// decoded without ever throwing: invalid bytes become U+FFFD. Bounded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>
#include <vector>

namespace vigil::model {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes UTF-8; each invalid or truncated sequence (overlong forms, surrogates, > U+10FFFF,
// stray continuation bytes) becomes one U+FFFD and decoding goes on after it.
std::vector<char32_t> decode_utf8(std::string_view text);

class GlyphSet {
public:
    static constexpr std::size_t kDefaultMaxCodepoints = 8192;

    // Starts with printable ASCII and U+FFFD (always needed; counted as new at first).
    explicit GlyphSet(std::size_t max_codepoints = kDefaultMaxCodepoints);

    // Adds the characters of `text` (controls are skipped). Returns how many were new.
    std::size_t add(std::string_view text);
    void add_codepoint(char32_t cp);

    // Whether codepoints were added since the last take_new(): time to rebuild the atlas.
    bool has_new() const { return !fresh_.empty(); }
    // The codepoints added since the last call, ascending; clears them.
    std::vector<char32_t> take_new();

    // ImGui-style ranges: pairs [first, last] of consecutive codepoints, then a 0 terminator.
    // (ImGui 1.86 without IMGUI_USE_WCHAR32 holds only codepoints up to U+FFFF: drop the rest.)
    std::vector<std::uint32_t> ranges() const;

    bool contains(char32_t cp) const { return all_.count(cp) != 0; }
    std::size_t size() const { return all_.size(); }
    std::size_t refused() const { return refused_; }  // distinct-or-not codepoints turned away when full

private:
    std::size_t max_;
    std::set<char32_t> all_;
    std::set<char32_t> fresh_;
    std::size_t refused_ = 0;
};

}  // namespace vigil::model
