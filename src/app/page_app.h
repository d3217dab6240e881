// The page's wiring: the connection core over the browser's WebSocket and timers, the protocol
// decoder feeding the fleet model, the screen (drawn only when something changed), fonts built
// from the text in use, and window.vigil.
#pragma once

#include "app/page_settings.h"
#include "core/link.h"
#include "model/banner_state.h"
#include "model/glyph_set.h"
#include "model/hub_feed.h"
#include "model/source_feed.h"
#include "platform/web/web_display.h"
#include "platform/web/web_scheduler.h"
#include "platform/web/web_socket_transport.h"
#include "ui/font_set.h"
#include "ui/screen.h"

#include <array>
#include <memory>
#include <optional>
#include <string>

namespace vigil::app {

class PageApp final : public core::LinkObserver {
public:
    PageApp(PageSettings settings, std::vector<unsigned char> font_face);
    ~PageApp() override;

    void start(bool online);
    void frame();              // called on every animation frame; draws only when needed
    void wake() { urgent_ = true; }  // input: the person at the screen sees the answer at once
    std::string state_json();  // window.vigil
    // Benchmarks (?debug=1): decode `text` count times and apply it to a scratch model.
    long ingest_bench(std::string_view text, int count);
    void reset_frame_stats();  // (?debug=1) frameMsP50/P99 start over: exact benchmark windows

    core::Link& link() { return *link_; }

    // core::LinkObserver
    void on_link_state(const core::LinkStatus& status) override;
    void on_link_open() override;
    void on_link_message(std::string_view text, bool binary) override;

private:
    void apply(std::string_view text, bool binary);
    model::BannerInputs banner_inputs() const;
    model::BannerKind banner() const { return model::banner_kind(banner_inputs()); }
    void draw(double now, const web::DisplayMetrics& metrics);
    struct FrameTimes {
        float p50 = 0, p99 = 0;
    };
    FrameTimes frame_times(const std::array<float, 256>& ring) const;  // over the last 256 drawn frames
    FrameTimes frame_times() const { return frame_times(frame_ms_); }
    // Hub time now (Unix ms; the page's own clock until the hub's is known), and the display
    // PC's clock minus it.
    double hub_now_ms() const;
    std::optional<double> clock_skew_ms() const;
    void clock_ping(double now);  // a ping now and then, for pong.hub_t with a round trip
    static constexpr double kSkewShownMs = 2000;

    PageSettings settings_;
    model::Lang lang_;
    web::WebSocketTransport transport_;
    web::WebScheduler scheduler_;
    web::WebRandom random_;
    std::unique_ptr<core::Link> link_;

    model::HubFeed feed_;  // fleet, seqs, replay progress, counters (portable: model/hub_feed.h)
    model::Fleet& fleet_ = feed_.fleet();
    // config.json `source`: a backend of one's own instead of a hub (README); null with a hub.
    std::unique_ptr<model::SourceFeed> source_;
    std::size_t source_hosts_seen_ = 0;  // hosts whose names are in the atlas

    ui::FontSet fonts_;
    model::GlyphSet glyphs_;
    ui::Screen screen_;
    float font_scale_ = 0;
    float design_scale_ = 1;  // CSS pixels per design unit in the last drawn frame
    bool dirty_ = true;   // data changed: redraw soon (model/draw_cadence.h)
    bool urgent_ = true;  // input, resize, fonts, context restored: redraw on the next frame
    bool debug_overlay_ = false;  // ?debug=1, or the D key (not in kiosk mode)
    long long last_second_ = -1;
    long long last_step_ = -1;         // the half-second animation step last drawn (hub time)
    long long drawn_frames_ = 0;       // sample frames applied when the last draw happened
    long long clock_ping_opens_ = -1;
    // Make before break (Link::begin_handover): the link swapped sockets while Open, and the
    // screen was showing live data. The new connection's welcome and short replay would say
    // CATCHING UP, then WAITING until its first live frame, though the data on screen never
    // stopped being fresh: LIVE carries over (still STALE when the data gets old) until the new
    // connection's live data comes or the link leaves Open.
    core::LinkState last_link_state_ = core::LinkState::Idle;
    bool swapped_ = false;       // the last Open followed an Open: a handover's swap
    bool carried_live_ = false;
    double last_clock_ping_ms_ = -1e12;
    std::string clock_text_, clock_date_, status_line_;  // as last drawn (window.vigil)
    double burn_in_start_ms_ = -1;
    std::string build_id_;  // the site's (build.json), else the compiled VIGIL_BUILD_ID
    ui::BurnInOffset burn_in_;  // as last drawn
    double last_draw_ms_ = -1e9;

    // Frame statistics: CPU time of drawn frames (ring), loops and draws.
    std::array<float, 256> frame_ms_{};
    std::array<float, 256> screen_ms_{};  // of which building the screen (ui::Screen::draw)
    std::size_t frame_count_ = 0;
    long long loops_ = 0, draws_ = 0;
    long draw_calls_ = 0, draw_vertices_ = 0, draw_indices_ = 0;  // of the last drawn frame
};

}  // namespace vigil::app
