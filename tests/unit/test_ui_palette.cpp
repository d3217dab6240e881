// The palette under deuteranopia (the commonest colour-vision deficiency, ~5 % of men),
// protanopia and tritanopia: the tile state colours stay apart, and every state has a word of
// its own beside its colour.
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

// Machado, Oliveira & Fernandes 2009, the three dichromacies at severity 1.0, on linear RGB:
// deuteranopia (~5 % of men), protanopia (~1 %: red also looks darker), tritanopia (rare:
// blue and yellow confused).
enum class Vision { normal, deuteranopia, protanopia, tritanopia };
const char* vision_name(Vision v) {
    switch (v) {
        case Vision::deuteranopia: return "deuteranopia";
        case Vision::protanopia: return "protanopia";
        case Vision::tritanopia: return "tritanopia";
        default: return "normal";
    }
}
Rgb simulate(Vision v, const Rgb& l) {
    static constexpr double deutan[3][3] = {{0.367322, 0.860646, -0.227968},
                                            {0.280085, 0.672501, 0.047413},
                                            {-0.011820, 0.042940, 0.968881}};
    static constexpr double protan[3][3] = {{0.152286, 1.052583, -0.204868},
                                            {0.114503, 0.786281, 0.099216},
                                            {-0.003882, -0.048116, 1.051998}};
    static constexpr double tritan[3][3] = {{1.255528, -0.076749, -0.178779},
                                            {-0.078411, 0.930809, 0.147602},
                                            {0.004733, 0.691367, 0.303900}};
    if (v == Vision::normal) return l;
    const auto& m = v == Vision::deuteranopia ? deutan : (v == Vision::protanopia ? protan : tritan);
    Rgb out{};
    for (int i = 0; i < 3; ++i) out[i] = std::fmin(1, std::fmax(0, m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]));
    return out;
}
Rgb deuteranopia(const Rgb& l) { return simulate(Vision::deuteranopia, l); }

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

// The smallest distance between two of `colours`, seen as `vision` does; prints all pairs.
template <std::size_t N>
double closest(const std::array<Named, N>& colours, Vision vision) {
    double worst = 1e9;
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = i + 1; j < N; ++j) {
            const Rgb a = simulate(vision, linear_of(colours[i].colour)), b = simulate(vision, linear_of(colours[j].colour));
            const double d = delta_e76(lab(a), lab(b));
            if (vision != Vision::normal)
                std::printf("%s dE76 %-12s %-12s %5.1f\n", vision_name(vision), colours[i].name, colours[j].name, d);
            worst = std::fmin(worst, d);
        }
    return worst;
}

constexpr Vision kDichromacies[] = {Vision::deuteranopia, Vision::protanopia, Vision::tritanopia};

}  // namespace

TEST_CASE("the tile state colours stay at least dE76 30 apart under deuteranopia, protanopia and tritanopia") {
    using namespace vigil::ui::theme;
    const std::array<Named, 5> states{{{"ok", kOk}, {"warn", kWarn}, {"crit", kCrit}, {"stale", kStale}, {"down", kDown}}};
    CHECK(closest(states, Vision::normal) >= 30);
    for (Vision v : kDichromacies) {
        CAPTURE(vision_name(v));
        CHECK(closest(states, v) >= 30);
    }
}

TEST_CASE("the overview's cell colours stay at least dE76 30 apart under the three dichromacies too") {
    using namespace vigil::ui::theme;
    const std::array<Named, 5> cells{{{"ok", kCellOk}, {"warn", kWarn}, {"crit", kCrit}, {"stale", kStale}, {"down", kDown}}};
    CHECK(closest(cells, Vision::normal) >= 30);
    for (Vision v : kDichromacies) {
        CAPTURE(vision_name(v));
        CHECK(closest(cells, v) >= 30);
    }
}

TEST_CASE("the overview's ok cell: dE76 32.5 from warn, crit, stale and DOWN, 15.5 from never heard, 18.5 from the background") {
    // What README says of the ok cell (a dark teal, meant to be the quiet one), under normal vision
    // and the three dichromacies. The never-heard cell is the panel colour with a dash in it: the
    // dash, not the colour, tells it from ok; the background is what every cell sits on.
    using namespace vigil::ui::theme;
    const std::array<Named, 6> others{{{"warn", kWarn}, {"crit", kCrit}, {"stale", kStale}, {"down", kDown},
                                       {"never", kPanel}, {"background", kBackground}}};
    for (Vision v : {Vision::normal, Vision::deuteranopia, Vision::protanopia, Vision::tritanopia}) {
        CAPTURE(vision_name(v));
        const Rgb ok = lab(simulate(v, linear_of(kCellOk)));
        for (const Named& o : others) {
            CAPTURE(o.name);
            const double d = delta_e76(ok, lab(simulate(v, linear_of(o.colour))));
            std::printf("%s dE76 ok-cell %-10s %5.1f\n", vision_name(v), o.name, d);
            const std::string name = o.name;
            CHECK(d >= (name == "never" ? 15.5 : name == "background" ? 18.5 : 32.5));
        }
    }
}

TEST_CASE("the simulation is Machado's: pure red and green come close, a grey stays itself") {
    // Guards the test itself: with no simulation red and green are far apart.
    const Rgb red = linear_of(vigil::ui::theme::rgba(255, 0, 0)), green = linear_of(vigil::ui::theme::rgba(0, 160, 0));
    CHECK(delta_e76(lab(deuteranopia(red)), lab(deuteranopia(green))) < delta_e76(lab(red), lab(green)) / 3);
    const Rgb grey = linear_of(vigil::ui::theme::rgba(128, 128, 128));
    CHECK(delta_e76(lab(deuteranopia(grey)), lab(grey)) < 1.0);
    // Protanopia: red and green close too; tritanopia: blue and green close (violet and
    // blue drift), red and green stay apart. Greys stay themselves under each.
    CHECK(delta_e76(lab(simulate(Vision::protanopia, red)), lab(simulate(Vision::protanopia, green))) < delta_e76(lab(red), lab(green)) / 3);
    const Rgb blue = linear_of(vigil::ui::theme::rgba(0, 90, 255)), teal = linear_of(vigil::ui::theme::rgba(0, 150, 150));
    CHECK(delta_e76(lab(simulate(Vision::tritanopia, blue)), lab(simulate(Vision::tritanopia, teal))) < delta_e76(lab(blue), lab(teal)));
    CHECK(delta_e76(lab(simulate(Vision::tritanopia, red)), lab(simulate(Vision::tritanopia, green))) > 30);
    for (Vision v : kDichromacies) CHECK(delta_e76(lab(simulate(v, grey)), lab(grey)) < 1.0);
}

TEST_CASE("banner colours may come close under deuteranopia, but every banner and tile state has its own word") {
    using namespace vigil::ui::theme;
    const std::array<Named, 6> banners{{{"live", kBannerLive},
                                        {"stale", kBannerStale},
                                        {"catching_up", kBannerCatchingUp},
                                        {"down", kBannerDown},
                                        {"maintenance", kBannerMaintenance},
                                        {"unauthorized", kBannerUnauthorized}}};
    std::printf("banner colours: closest pair dE76 %.1f under deuteranopia (the words carry them)\n", closest(banners, Vision::deuteranopia));
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
