// The screen's fonts (see the header).
#include "ui/font_set.h"

#include "imgui.h"

#include <algorithm>

namespace vigil::ui {

float font_design_px(FontSize size) {
    switch (size) {
        case FontSize::Small: return 20.0f;
        case FontSize::Body: return 26.0f;
        case FontSize::Title: return 38.0f;
        case FontSize::Huge: return 64.0f;
    }
    return 26.0f;
}

namespace {

// stb_truetype asserts (or reads garbage) on bytes that are not a font: check the magic first.
bool looks_like_font(const std::vector<unsigned char>& b) {
    if (b.size() < 12) return false;
    const unsigned tag = (unsigned(b[0]) << 24) | (unsigned(b[1]) << 16) | (unsigned(b[2]) << 8) | unsigned(b[3]);
    return tag == 0x00010000u || tag == 0x4F54544Fu /*OTTO*/ || tag == 0x74727565u /*true*/ ||
           tag == 0x74746366u /*ttcf*/;
}

}  // namespace

FontSet::FontSet(std::vector<unsigned char> face) : face_(std::move(face)) {
    if (!looks_like_font(face_)) face_.clear();  // ASCII fallback
}

void FontSet::build(float raster_scale, const std::vector<std::uint32_t>& ranges, int max_texture) {
    ranges_.clear();
    for (std::uint32_t c : ranges) ranges_.push_back(static_cast<std::uint16_t>(std::min<std::uint32_t>(c, 0xFFFF)));
    if (ranges_.empty() || ranges_.back() != 0) ranges_.push_back(0);

    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    for (float scale = std::max(0.5f, raster_scale);; scale *= 0.5f) {
        atlas->Clear();
        atlas->TexDesiredWidth = max_texture >= 2048 ? 2048 : 1024;
        for (int i = 0; i < kFontSizeCount; ++i) {
            const float design = font_design_px(static_cast<FontSize>(i));
            ImFontConfig cfg;
            cfg.OversampleH = 1;  // rasterised at the real density already: no need for sub-pixel copies
            cfg.OversampleV = 1;
            cfg.PixelSnapH = true;
            if (!face_.empty()) {
                cfg.FontDataOwnedByAtlas = false;  // the bytes live in face_ across rebuilds
                fonts_[i] = atlas->AddFontFromMemoryTTF(face_.data(), static_cast<int>(face_.size()),
                                                        design * scale, &cfg, reinterpret_cast<const ImWchar*>(ranges_.data()));
            } else {
                cfg.SizePixels = design * scale;
                fonts_[i] = atlas->AddFontDefault(&cfg);
            }
            // Glyphs are rasterised at design*scale pixels but laid out in design units.
            if (fonts_[i]) fonts_[i]->Scale = 1.0f / scale;
        }
        atlas->Build();
        atlas_w_ = atlas->TexWidth;
        atlas_h_ = atlas->TexHeight;
        raster_scale_ = scale;
        if ((atlas_w_ <= max_texture && atlas_h_ <= max_texture) || scale <= 0.5f) break;
    }
}

}  // namespace vigil::ui
