// Glyph set: codepoints in use, new ones reported once, ImGui ranges, never thrown by bad UTF-8.
#include <doctest/doctest.h>

#include "model/glyph_set.h"
#include "model/i18n.h"

#include <string>
#include <vector>

using vigil::model::decode_utf8;
using vigil::model::GlyphSet;
using vigil::model::kReplacementChar;

TEST_CASE("valid UTF-8 of every length decodes to its codepoints") {
    CHECK(decode_utf8("A") == std::vector<char32_t>{0x41});
    CHECK(decode_utf8("°") == std::vector<char32_t>{0xB0});
    CHECK(decode_utf8("数据") == std::vector<char32_t>{0x6570, 0x636E});
    CHECK(decode_utf8("\xF0\x9F\x94\xA5") == std::vector<char32_t>{0x1F525});
    CHECK(decode_utf8("\xF4\x8F\xBF\xBF") == std::vector<char32_t>{0x10FFFF});
    CHECK(decode_utf8("").empty());
}

TEST_CASE("invalid UTF-8 becomes U+FFFD and decoding goes on after it") {
    const char32_t R = kReplacementChar;
    CHECK(decode_utf8("a\x80" "b") == std::vector<char32_t>{'a', R, 'b'});               // stray continuation
    CHECK(decode_utf8("\xC0\xAF") == std::vector<char32_t>{R, R});                        // overlong '/'
    CHECK(decode_utf8("\xE0\x80\x80") == std::vector<char32_t>{R, R, R});                 // overlong
    CHECK(decode_utf8("\xED\xA0\x80") == std::vector<char32_t>{R, R, R});                 // surrogate
    CHECK(decode_utf8("\xF4\x90\x80\x80") == std::vector<char32_t>{R, R, R, R});          // above U+10FFFF
    CHECK(decode_utf8("\xFF" "x") == std::vector<char32_t>{R, 'x'});                      // impossible byte
    CHECK(decode_utf8("x\xE6\x95") == std::vector<char32_t>{'x', R});                     // truncated at the end
    CHECK(decode_utf8("\xE6\x95" "A") == std::vector<char32_t>{R, 'A'});                  // truncated mid-text
    CHECK(decode_utf8("\xE6\x95\xE6\x95\xB0") == std::vector<char32_t>{R, 0x6570});       // then a good one
    std::string junk;
    for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 131) & 0xFF);
    CHECK_NOTHROW(decode_utf8(junk));
}

TEST_CASE("a new host name reports only its new characters, once") {
    GlyphSet glyphs;
    CHECK(glyphs.has_new());  // printable ASCII at first
    CHECK(glyphs.take_new().size() == 0x7E - 0x20 + 1 + 1);
    CHECK_FALSE(glyphs.has_new());
    CHECK(glyphs.add("数据库-01") == 3);
    CHECK(glyphs.take_new() == std::vector<char32_t>{0x5E93, 0x636E, 0x6570});  // ascending
    CHECK(glyphs.add("数据库-02") == 0);
    CHECK_FALSE(glyphs.has_new());
    CHECK(glyphs.add("网关-东") == 3);
    CHECK(glyphs.has_new());
}

TEST_CASE("control characters are not glyphs") {
    GlyphSet glyphs;
    const auto before = glyphs.size();
    CHECK(glyphs.add("\n\t\r\x7F\xC2\x85") == 0);
    CHECK(glyphs.size() == before);
}

TEST_CASE("ranges are ImGui pairs of consecutive codepoints, ending with 0") {
    GlyphSet glyphs;
    glyphs.add("数据库");
    const auto r = glyphs.ranges();
    REQUIRE(r.size() % 2 == 1);
    CHECK(r.back() == 0);
    CHECK(r[0] == 0x20);
    CHECK(r[1] == 0x7E);  // printable ASCII merged into one range
    bool has_6570 = false;
    for (std::size_t i = 0; i + 1 < r.size(); i += 2) {
        CHECK(r[i] <= r[i + 1]);
        if (i + 2 < r.size() - 1) CHECK(r[i + 1] + 1 < r[i + 2]);  // disjoint, not adjacent
        if (r[i] <= 0x6570 && 0x6570 <= r[i + 1]) has_6570 = true;
    }
    CHECK(has_6570);
}

TEST_CASE("the set is bounded: characters beyond the cap are counted, not stored") {
    GlyphSet glyphs(100);  // 96 taken by ASCII and U+FFFD
    std::string many;
    for (char32_t cp = 0x4E00; cp < 0x4E10; ++cp) {  // 16 CJK characters, 3 bytes each
        many += static_cast<char>(0xE0 | (cp >> 12));
        many += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        many += static_cast<char>(0x80 | (cp & 0x3F));
    }
    CHECK(glyphs.add(many) == 4);
    CHECK(glyphs.size() == 100);
    CHECK(glyphs.refused() == 12);
}

TEST_CASE("every UI text of both languages fits comfortably in a default glyph set") {
    GlyphSet glyphs;
    for (int i = 0; i < vigil::model::kTextCount; ++i) {
        glyphs.add(vigil::model::tr(vigil::model::Lang::en, static_cast<vigil::model::TextId>(i)));
        glyphs.add(vigil::model::tr(vigil::model::Lang::zh_CN, static_cast<vigil::model::TextId>(i)));
    }
    CHECK(glyphs.refused() == 0);
    CHECK(glyphs.size() < 300);
}
