// The screen's fonts: one face (the CJK subset, or ImGui's built-in ASCII font as the fallback)
// in a few sizes, rasterised at the real pixel density so text is crisp at any scale, from
// glyph ranges built out of the strings actually shown (so the atlas stays small).
#pragma once

#include <cstdint>
#include <vector>

struct ImFont;

namespace vigil::ui {

enum class FontSize { Small, Body, Title, Huge };
inline constexpr int kFontSizeCount = 4;

// Design pixels (on the 1920x1080 design canvas) of each size.
float font_design_px(FontSize size);

class FontSet {
public:
    // `face` is an OpenType/TrueType file's bytes (empty or not a font: ASCII fallback). Kept alive here.
    explicit FontSet(std::vector<unsigned char> face);

    // (Re)builds ImGui's font atlas for `raster_scale` physical pixels per design pixel and the
    // given codepoint ranges (pairs, 0-terminated, as ImGui takes them). Halves the raster scale
    // until the atlas fits in max_texture x max_texture. The caller re-uploads the texture.
    void build(float raster_scale, const std::vector<std::uint32_t>& ranges, int max_texture = 2048);

    ImFont* font(FontSize size) const { return fonts_[static_cast<int>(size)]; }
    bool has_face() const { return !face_.empty(); }
    float raster_scale() const { return raster_scale_; }
    int atlas_width() const { return atlas_w_; }
    int atlas_height() const { return atlas_h_; }

private:
    std::vector<unsigned char> face_;
    std::vector<std::uint16_t> ranges_;  // ImWchar is 16-bit in a default build
    ImFont* fonts_[kFontSizeCount] = {};
    float raster_scale_ = 1;
    int atlas_w_ = 0, atlas_h_ = 0;
};

}  // namespace vigil::ui
