// The page's wiring (see the header).
#include "app/page_app.h"

#include "model/draw_cadence.h"
#include "model/format.h"
#include "model/i18n.h"
#include "platform/web/browser_page.h"
#include "platform/web/web_display.h"
#include "protocol/decode.h"
#include "protocol/encode.h"

#include <nlohmann/json.hpp>

#include "imgui.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <type_traits>

#ifndef VIGIL_BUILD_ID
#define VIGIL_BUILD_ID "dev"
#endif

namespace vigil::app {
namespace {

// The hub URL as window.vigil shows it: a token in its query is not for every script to read.
std::string redact_token(std::string url) {
    const auto at = url.find("token=");
    if (at == std::string::npos) return url;
    const auto end = url.find('&', at);
    return url.replace(at + 6, end == std::string::npos ? std::string::npos : end - at - 6, "***");
}

std::string local_time(std::time_t t, const char* format) {
    std::tm local{};
    localtime_r(&t, &local);
    char buf[32];
    std::strftime(buf, sizeof buf, format, &local);
    return buf;
}

core::LinkConfig link_config(const PageSettings& s) {
    core::LinkConfig c;
    c.url = s.hub_url;
    c.ping_after_ms = s.config.heartbeat.ping_after_ms;
    c.dead_after_ms = s.config.heartbeat.dead_after_ms;
    c.backoff.base_ms = s.config.backoff.base_ms;
    c.backoff.cap_ms = s.config.backoff.cap_ms;
    return c;
}

}  // namespace

PageApp::PageApp(PageSettings settings, std::vector<unsigned char> font_face)
    : settings_(std::move(settings)), fonts_(std::move(font_face)), screen_(fonts_) {
    settings_.font_loaded = fonts_.has_face();
    // Without the CJK font only ASCII can be drawn: the English texts then, whatever was asked.
    lang_ = settings_.font_loaded ? settings_.config.lang : model::Lang::en;
    link_ = std::make_unique<core::Link>(transport_, scheduler_, random_, link_config(settings_));
    link_->set_observer(this);

    debug_overlay_ = settings_.config.debug;
    fleet_.set_history_s(settings_.config.history_s);
    fleet_.set_stale_after_intervals(settings_.config.stale_after_intervals);
    fleet_.set_alarm_rules(settings_.config.alarm_rules());
    screen_.pin_focus(settings_.config.focus_host);  // config focus_host or ?focus=; "" rotates

    // The atlas holds what the screen can show: every text of the language, the title, notices.
    for (int i = 0; i < model::kTextCount; ++i) glyphs_.add(model::tr(lang_, static_cast<model::TextId>(i)));
    glyphs_.add(settings_.config.title);
    glyphs_.add("→↓↑•·…—▲°%");
    for (const auto& e : settings_.config.errors) glyphs_.add(e.text());
}

PageApp::~PageApp() { link_->stop(); }

void PageApp::start(bool online) {
    if (!online) link_->on_offline();  // first: the link then starts Offline instead of opening a socket
    link_->start();
}

void PageApp::on_link_state(const core::LinkStatus& status) {
    glyphs_.add(status.reason);  // a close reason may carry any text
    // A replay belongs to its connection: one cut short must not keep the screen on the replay's
    // slow draw cadence while it reconnects (the next welcome starts the next replay).
    if (status.state != core::LinkState::Open) replaying_ = false;
    dirty_ = true;
}

void PageApp::on_link_open() {
    protocol::Hello hello;
    hello.build = VIGIL_BUILD_ID;
    hello.client = settings_.client_id;
    hello.resume = seqs_.cursor();
    // Asked for either way: the hub falls back to the window when it cannot resume.
    hello.history_s = settings_.config.history_s;
    link_->send(protocol::encode(hello));
}

void PageApp::on_link_message(std::string_view text, bool binary) {
    ++messages_;
    dirty_ = true;
    apply(text, binary);
}

void PageApp::reject(protocol::RejectionKind kind) {
    rejected_.add(kind);
    link_->count_rejected();
}

void PageApp::apply(std::string_view text, bool binary) {
    const double now = scheduler_.now_ms();
    if (binary) return reject(protocol::reject_binary().kind);
    const protocol::DecodeResult result = protocol::decode_hub_message(text);
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, protocol::Rejection>) {
                reject(m.kind);
            } else if constexpr (std::is_same_v<T, protocol::Welcome>) {
                if (seqs_.on_welcome(m)) fleet_.on_new_epoch();
                epoch_ = m.epoch;
                if (m.interval_ms > 0) fleet_.set_interval_ms(static_cast<double>(m.interval_ms));
                replaying_ = true;
            } else if constexpr (std::is_same_v<T, protocol::Catalog>) {
                fleet_.apply_catalog(m);
                for (const auto& h : m.hosts) {
                    glyphs_.add(h.name);
                    for (const auto& metric : h.metrics) glyphs_.add(metric.label);
                }
            } else if constexpr (std::is_same_v<T, protocol::Samples>) {
                const protocol::SeqCheck check = seqs_.accept(m.seq);
                if (!check.applies()) {
                    if (auto kind = check.rejection()) reject(*kind);
                    return;
                }
                if (check.verdict == protocol::SeqVerdict::gap_before) {
                    ++gaps_;
                    missing_ += static_cast<long long>(check.missing.to - check.missing.from + 1);
                }
                ++frames_;
                if (replaying_) ++replayed_;
                fleet_.apply_samples(m, now);
            } else if constexpr (std::is_same_v<T, protocol::Gap>) {
                if (auto hole = seqs_.on_gap(m)) {
                    ++gaps_;
                    missing_ += static_cast<long long>(hole->to - hole->from + 1);
                }
            } else if constexpr (std::is_same_v<T, protocol::Live>) {
                replaying_ = false;
            } else if constexpr (std::is_same_v<T, protocol::Alarm>) {
                fleet_.apply_alarm(m, now);
            } else if constexpr (std::is_same_v<T, protocol::Pong>) {
                link_->on_pong(m.t);
            } else if constexpr (std::is_same_v<T, protocol::Shutdown>) {
                if (m.retry_ms > 0) link_->set_retry_hint(static_cast<double>(m.retry_ms));
            } else if constexpr (std::is_same_v<T, protocol::Legacy>) {
                // A backend that speaks no protocol: its numbers, shown raw, as one host.
                ++legacy_;
                const double wall = static_cast<double>(std::time(nullptr)) * 1000.0;
                fleet_.apply_host(protocol::HostSamples{"backend", m.values}, wall, now);
            }
            // Error messages need nothing more: they count as messages.
        },
        result);
}

PageApp::FrameTimes PageApp::frame_times() const {
    std::array<float, 256> sorted = frame_ms_;
    const std::size_t n = std::min(frame_count_, sorted.size());
    if (n == 0) return {};
    std::sort(sorted.begin(), sorted.begin() + static_cast<long>(n));
    return {sorted[n / 2], sorted[std::min(n - 1, n * 99 / 100)]};
}

void PageApp::reset_frame_stats() {
    frame_ms_.fill(0);
    frame_count_ = 0;
}

long PageApp::ingest_bench(std::string_view text, int count) {
    // The live path's work (strict decode, seq check, model update) on a scratch model, with
    // seqs rewritten so every copy applies.
    model::Fleet fleet;
    protocol::SeqTracker seqs;
    long applied = 0;
    const double now = scheduler_.now_ms();
    for (int i = 0; i < count; ++i) {
        protocol::DecodeResult r = protocol::decode_hub_message(text);
        auto* frame = std::get_if<protocol::Samples>(&r);
        if (!frame) continue;
        frame->seq = static_cast<protocol::Seq>(i + 1);
        frame->t += i;
        if (!seqs.accept(frame->seq).applies()) continue;
        fleet.apply_samples(*frame, now);
        ++applied;
    }
    return applied;
}

ui::BannerKind PageApp::banner() const {
    switch (link_->state()) {
        case core::LinkState::Open:
            return fleet_.link_freshness(scheduler_.now_ms()).fresh() ? ui::BannerKind::Live : ui::BannerKind::Stale;
        case core::LinkState::Maintenance: return ui::BannerKind::Maintenance;
        case core::LinkState::Unauthorized: return ui::BannerKind::Unauthorized;
        case core::LinkState::Offline: return ui::BannerKind::Offline;
        case core::LinkState::Connecting:
            return link_->stats().opens == 0 ? ui::BannerKind::Connecting : ui::BannerKind::Reconnecting;
        case core::LinkState::Idle:
        case core::LinkState::WaitingToRetry:
        case core::LinkState::Stopped: return ui::BannerKind::Reconnecting;
    }
    return ui::BannerKind::Reconnecting;
}

std::string PageApp::banner_detail() const {
    const double now = scheduler_.now_ms();
    const core::LinkStatus& s = link_->status();
    std::string detail;
    const auto add = [&](const std::string& part) {
        if (!part.empty()) detail += (detail.empty() ? "" : " · ") + part;
    };
    switch (banner()) {
        case ui::BannerKind::Live: return {};
        case ui::BannerKind::Stale: {
            const model::Freshness f = fleet_.link_freshness(now);
            return f.level == model::FreshnessLevel::never ? model::tr(lang_, model::TextId::waiting_for_data)
                                                           : model::format_last_update(f.age_ms, lang_);
        }
        case ui::BannerKind::Offline: {
            // Since when, in wall time: a screen seen hours later still tells when it went dark.
            const double ago_s = (now - s.since_ms) / 1000.0;
            add(model::fill(model::tr(lang_, model::TextId::since_clock),
                            local_time(std::time(nullptr) - static_cast<std::time_t>(ago_s), "%H:%M:%S")));
            return detail;
        }
        default: break;
    }
    if (s.attempt > 0 && banner() != ui::BannerKind::Maintenance) add(model::format_attempt(s.attempt, lang_));
    if (s.next_try_at_ms) {
        const double in = std::max(0.0, *s.next_try_at_ms - now);
        add(banner() == ui::BannerKind::Reconnecting || banner() == ui::BannerKind::Connecting
                ? model::format_retry_in(in, lang_)
                : model::format_in(in, lang_));
    }
    add(s.reason);
    return detail;
}

void PageApp::frame() {
    ++loops_;
    const double now = scheduler_.now_ms();
    const web::DisplayMetrics metrics = web::display_poll();
    if (web::display_context_lost()) return;
    if (web::display_take_restored() || metrics.changed) urgent_ = true;
    if (web::display_release_pending()) urgent_ = true;  // a click's release, so the next click counts

    // Rebuild the atlas when the density changed or new text brought new characters.
    if (metrics.raster_scale != font_scale_ || glyphs_.has_new()) {
        glyphs_.take_new();
        fonts_.build(metrics.raster_scale, glyphs_.ranges());
        web::display_fonts_changed();
        font_scale_ = metrics.raster_scale;
        urgent_ = true;
    }

    // Draw when something changed, when the clock's second turned (so a frozen page shows, and
    // ages and staleness move on), or for an animation, at the rates of model/draw_cadence.h (a
    // replay twice a second, animations included). Otherwise: nothing.
    const long long second = static_cast<long long>(std::time(nullptr));
    model::DrawInputs due;
    due.since_last_draw_ms = now - last_draw_ms_;
    due.urgent = urgent_;
    due.second_turned = second != last_second_;
    due.dirty = dirty_;
    due.animating = screen_.animating(now);
    due.live = banner() == ui::BannerKind::Live;
    due.replaying = replaying_;
    if (!model::draw_due(due)) return;
    dirty_ = false;
    urgent_ = false;
    last_second_ = second;
    last_draw_ms_ = now;
    draw(now, metrics);
    frame_ms_[frame_count_++ % frame_ms_.size()] = static_cast<float>(scheduler_.now_ms() - now);
    ++draws_;
}

void PageApp::draw(double now, const web::DisplayMetrics& m) {
    fleet_.tick(now);
    design_scale_ = m.design_scale;
    web::display_begin_frame(m);
    // D toggles the debug overlay for whoever stands at the screen; a kiosk has no keyboard user.
    if (!settings_.config.kiosk)
        for (ImWchar c : ImGui::GetIO().InputQueueCharacters)
            if (c == 'd' || c == 'D') debug_overlay_ = !debug_overlay_;

    ui::ScreenView view;
    view.lang = lang_;
    view.title = settings_.config.title;
    view.banner = banner();
    view.banner_detail = banner_detail();
    view.fleet = &fleet_;
    view.now_local_ms = now;
    const std::time_t t = std::time(nullptr);
    view.clock = local_time(t, "%H:%M:%S");
    view.date = local_time(t, "%Y-%m-%d");
    view.rotate_s = settings_.config.rotate_s;
    view.motion = view.banner == ui::BannerKind::Live;
    for (const auto& e : settings_.config.errors) view.notices.push_back("config.json " + e.text());
    if (!settings_.font_loaded) view.notices.push_back("font not loaded: ASCII text only");

    const core::LinkStats& st = link_->stats();
    char line[160];
    std::snprintf(line, sizeof line, "rtt %s  ·  msgs %lld  ·  rejected %llu  ·  %s", 
                  st.rtt_smoothed_ms ? (std::to_string(static_cast<int>(*st.rtt_smoothed_ms)) + " ms").c_str() : "—",
                  messages_, static_cast<unsigned long long>(rejected_.total()), VIGIL_BUILD_ID);
    view.status_line = line;
    if (debug_overlay_) {
        view.debug = true;
        const auto add = [&](std::string s) { view.debug_lines.push_back(std::move(s)); };
        add(std::string("link ") + core::to_string(link_->state()) + "  attempts " + std::to_string(st.attempts) +
            "  opens " + std::to_string(st.opens) + "  pings " + std::to_string(st.pings_sent) + "  dead " +
            std::to_string(st.dead_peer_verdicts));
        add("in " + std::to_string(st.messages_in) + " msgs / " + std::to_string(st.bytes_in / 1024) + " KiB   out " +
            std::to_string(st.messages_out) + "   outbox drops " + std::to_string(st.outbox_drops));
        std::string kinds = "rejected";
        for (const auto& [name, n] : rejected_.by_name())
            if (n) kinds += " " + std::string(name) + "=" + std::to_string(n);
        add(kinds);
        add("epoch " + epoch_ + "  seq " + (seqs_.last() ? std::to_string(*seqs_.last()) : "—") + "  gaps " +
            std::to_string(gaps_) + "  missing " + std::to_string(missing_));
        const FrameTimes ft = frame_times();
        char buf[160];
        std::snprintf(buf, sizeof buf, "frame %.2f ms p50 / %.2f ms p99   draws %lld / loops %lld   heap %zu MiB",
                      ft.p50, ft.p99, draws_, loops_,
                      web::heap_bytes() >> 20);
        add(buf);
        std::snprintf(buf, sizeof buf, "atlas %dx%d  raster x%.2f  glyphs %zu  series %zu x %zu pts", fonts_.atlas_width(),
                      fonts_.atlas_height(), fonts_.raster_scale(), glyphs_.size(), fleet_.series_count(),
                      fleet_.points_per_series());
        add(buf);
    }
    screen_.draw(view);
    web::display_end_frame(0.043f, 0.071f, 0.125f);
}

std::string PageApp::state_json() {
    const double now = scheduler_.now_ms();
    const core::LinkStatus& status = link_->status();
    const core::LinkStats& stats = link_->stats();
    using nlohmann::json;
    json j;
    j["state"] = ui::banner_word(banner());
    j["link"] = core::to_string(status.state);
    j["reason"] = status.reason;
    j["attempt"] = status.attempt;
    j["nextTryInMs"] = status.next_try_at_ms ? json(std::max(0.0, *status.next_try_at_ms - now)) : json();
    j["attempts"] = stats.attempts;
    j["opens"] = stats.opens;
    std::uint64_t closes = 0;
    json by_code = json::object();
    for (const auto& [code, n] : stats.closes_by_code) {
        closes += n;
        by_code[std::to_string(code)] = n;
    }
    j["closes"] = closes;
    j["closesByCode"] = by_code;
    j["lastCloseCode"] = stats.last_close_code;
    j["lastCloseReason"] = stats.last_close_reason;
    j["connectTimeouts"] = stats.connect_timeouts;
    j["messages"] = messages_;
    j["bytesIn"] = stats.bytes_in;
    j["messagesOut"] = stats.messages_out;
    j["outboxDrops"] = stats.outbox_drops;
    j["frames"] = frames_;
    j["replayed"] = replayed_;
    j["legacy"] = legacy_;
    j["rejected"] = rejected_.total();
    json kinds = json::object();
    for (const auto& [name, n] : rejected_.by_name()) kinds[std::string(name)] = n;
    j["rejectedByKind"] = kinds;
    j["epoch"] = seqs_.epoch();
    j["seq"] = seqs_.last() ? json(*seqs_.last()) : json();
    j["gaps"] = gaps_;
    j["missing"] = missing_;
    j["lastSample"] = fleet_.last_sample_wall_ms();
    j["lastSampleAgeMs"] = fleet_.head_local_ms() < 0 ? json() : json(now - fleet_.head_local_ms());
    j["rttMs"] = stats.rtt_smoothed_ms ? json(*stats.rtt_smoothed_ms) : json();
    j["pingsSent"] = stats.pings_sent;
    j["deadPeers"] = stats.dead_peer_verdicts;
    j["liveSockets"] = transport_.live_sockets();
    j["pendingTimers"] = scheduler_.pending();
    j["heapBytes"] = web::heap_bytes();
    j["heapUsedBytes"] = web::heap_used_bytes();

    // What the screen shows.
    const ui::ScreenReport& r = screen_.report();
    j["hosts"] = fleet_.hosts().size();
    json host_states = json::object();
    int stale = 0;
    for (const auto& h : fleet_.hosts()) {
        const model::Freshness f = fleet_.freshness(h, now);
        const char* s = f.level == model::FreshnessLevel::fresh ? "fresh" : (f.level == model::FreshnessLevel::stale ? "stale" : "never");
        if (f.level == model::FreshnessLevel::stale) ++stale;
        if (host_states.size() < 256) host_states[h.id] = s;
    }
    j["hostStates"] = host_states;
    j["hostsStale"] = stale;
    const model::AlarmCounts counts = fleet_.alarms().counts();
    j["alarms"] = counts.total();
    j["alarmsCrit"] = counts.crit;
    j["alarmsWarn"] = counts.warn;
    j["page"] = r.page;
    j["pages"] = r.pages;
    j["tilesOnPage"] = r.tiles_on_page;
    j["focusHost"] = r.focus_host;
    j["focusPinned"] = r.focus_pinned;
    j["focusPin"] = r.focus_pin;
    // Where things are, in CSS pixels from the canvas's top-left corner: what a test clicks.
    const auto css = [&](const ui::DesignRect& d) {
        const auto px = [&](float v) { return std::round(double{v} * design_scale_ * 10.0) / 10.0; };
        return json{{"x", px(d.x)}, {"y", px(d.y)}, {"w", px(d.w)}, {"h", px(d.h)}};
    };
    json tiles = json::array();
    for (const auto& t : r.tiles) {
        json tile = css(t.rect);
        tile["host"] = t.host;
        tiles.push_back(std::move(tile));
    }
    j["tiles"] = tiles;
    j["focusPanel"] = css(r.focus_panel);
    json values = json::object();
    if (!fleet_.hosts().empty())
        for (const auto& [key, v] : fleet_.hosts().front().latest) values[key] = v;
    j["values"] = values;

    // The page itself.
    j["lang"] = model::lang_code(lang_);
    j["kiosk"] = settings_.config.kiosk;
    j["debug"] = debug_overlay_;
    j["fontLoaded"] = settings_.font_loaded;
    j["atlas"] = {fonts_.atlas_width(), fonts_.atlas_height()};
    j["glyphs"] = glyphs_.size();
    json errors = json::array();
    for (const auto& e : settings_.config.errors) errors.push_back({{"key", e.key}, {"message", e.message}});
    j["configErrors"] = errors;
    j["draws"] = draws_;
    j["loops"] = loops_;
    const FrameTimes ft = frame_times();
    j["frameMsP50"] = ft.p50;
    j["frameMsP99"] = ft.p99;
    j["url"] = redact_token(settings_.hub_url);
    j["clientId"] = settings_.client_id;
    j["build"] = VIGIL_BUILD_ID;
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vigil::app
