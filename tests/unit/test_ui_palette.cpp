// The palette under deuteranopia (the commonest colour-vision deficiency, ~5 % of men): the tile
// state colours stay apart, and every state has a word of its own beside its colour.
#include <doctest/doctest.h>

#include "model/i18n.h"
#include "ui/theme.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

namespace {

using Rgb = std::array<double, 3>;

double to_linear(double c) {
    c /= 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

Rgb linear_of(ImU32 c) {
    return {to_linear(c & 0xff), to_linear((c >> 8) & 0xff), to_linear((c >> 16) & 0xff)};
}

// Machado, Oliveira & Fernandes 2009, deuteranopia at severity 1.0, on linear RGB.
Rgb deuteranopia(const Rgb& l) {
    static constexpr double m[3][3] = {{0.367322, 0.860646, -0.227968},
                                       {0.280085, 0.672501, 0.047413},
                                       {-0.011820, 0.042940, 0.968881}};
    Rgb out{};
    for (int i = 0; i < 3; ++i) out[i] = std::fmin(1, std::fmax(0, m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]));
    return out;
}

// Linear sRGB to CIELAB (D65).
Rgb lab(const Rgb& l) {
    const double x = (0.4124 * l[0] + 0.3576 * l[1] + 0.1805 * l[2]) / 0.95047;
    const double y = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    const double z = (0.0193 * l[0] + 0.1192 * l[1] + 0.9505 * l[2]) / 1.08883;
    const auto f = [](double t) { return t > 216.0 / 24389 ? std::cbrt(t) : (24389.0 / 27 * t + 16) / 116; };
    return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

double delta_e76(const Rgb& a, const Rgb& b) {
    return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

struct Named {
    const char* name;
    ImU32 colour;
};

// The smallest distance between two of `colours`, seen normally or with deuteranopia; prints all.
template <std::size_t N>
double closest(const std::array<Named, N>& colours, bool simulated) {
    double worst = 1e9;
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = i + 1; j < N; ++j) {
            Rgb a = linear_of(colours[i].colour), b = linear_of(colours[j].colour);
            if (simulated) a = deuteranopia(a), b = deuteranopia(b);
            const double d = delta_e76(lab(a), lab(b));
            if (simulated) std::printf("deuteranopia dE76 %-12s %-12s %5.1f\n", colours[i].name, colours[j].name, d);
            worst = std::fmin(worst, d);
        }
    return worst;
}

}  // namespace

TEST_CASE("the tile state colours stay at least dE76 30 apart under deuteranopia") {
    using namespace vigil::ui::theme;
    const std::array<Named, 5> states{{{"ok", kOk}, {"warn", kWarn}, {"crit", kCrit}, {"stale", kStale}, {"down", kDown}}};
    CHECK(closest(states, false) >= 30);
    CHECK(closest(states, true) >= 30);
}

TEST_CASE("the overview's cell colours stay at least dE76 30 apart under deuteranopia too") {
    using namespace vigil::ui::theme;
    const std::array<Named, 5> cells{{{"ok", kCellOk}, {"warn", kWarn}, {"crit", kCrit}, {"stale", kStale}, {"down", kDown}}};
    CHECK(closest(cells, false) >= 30);
    CHECK(closest(cells, true) >= 30);
}

TEST_CASE("the simulation is Machado's: pure red and green come close, a grey stays itself") {
    // Guards the test itself: with no simulation red and green are far apart.
    const Rgb red = linear_of(vigil::ui::theme::rgba(255, 0, 0)), green = linear_of(vigil::ui::theme::rgba(0, 160, 0));
    CHECK(delta_e76(lab(deuteranopia(red)), lab(deuteranopia(green))) < delta_e76(lab(red), lab(green)) / 3);
    const Rgb grey = linear_of(vigil::ui::theme::rgba(128, 128, 128));
    CHECK(delta_e76(lab(deuteranopia(grey)), lab(grey)) < 1.0);
}

TEST_CASE("banner colours may come close under deuteranopia, but every banner and tile state has its own word") {
    using namespace vigil::ui::theme;
    const std::array<Named, 6> banners{{{"live", kBannerLive},
                                        {"stale", kBannerStale},
                                        {"catching_up", kBannerCatchingUp},
                                        {"down", kBannerDown},
                                        {"maintenance", kBannerMaintenance},
                                        {"unauthorized", kBannerUnauthorized}}};
    std::printf("banner colours: closest pair dE76 %.1f under deuteranopia (the words carry them)\n", closest(banners, true));
    using vigil::model::TextId;
    for (auto lang : {vigil::model::Lang::en, vigil::model::Lang::zh_CN}) {
        std::set<std::string> words;
        for (TextId id : {TextId::live, TextId::stale, TextId::reconnecting, TextId::maintenance, TextId::offline,
                          TextId::unauthorized, TextId::connecting, TextId::catching_up, TextId::waiting})
            words.insert(vigil::model::tr(lang, id));
        CHECK(words.size() == 9);
        // A tile's word (ui/screen.cpp): LIVE, WARN, CRIT, STALE, NO DATA or DOWN.
        std::set<std::string> tile_words;
        for (TextId id : {TextId::live, TextId::level_warn, TextId::level_crit, TextId::stale, TextId::no_data, TextId::host_down})
            tile_words.insert(vigil::model::tr(lang, id));
        CHECK(tile_words.size() == 6);
    }
}
