// The page's wiring (see the header).
#include "app/page_app.h"

#include "core/redaction.h"

#include "model/draw_cadence.h"
#include "model/format.h"
#include "model/i18n.h"
#include "platform/web/browser_page.h"
#include "platform/web/time_zone.h"
#include "platform/web/web_display.h"
#include "protocol/decode.h"
#include "protocol/encode.h"
#include "ui/host_health_json.h"
#include "ui/overview_json.h"

#include <nlohmann/json.hpp>

#include "imgui.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

#ifndef VIGIL_BUILD_ID
#define VIGIL_BUILD_ID "dev"
#endif

namespace vigil::app {
namespace {

// The display PC's own wall clock (Date.now() in the page), Unix ms: only for the skew and as
// the fallback before the hub's time is known.
double page_wall_ms() {
    using namespace std::chrono;
    return static_cast<double>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

core::LinkConfig link_config(const PageSettings& s) {
    core::LinkConfig c;
    c.url = s.hub_url;
    c.ping_after_ms = s.config.heartbeat.ping_after_ms;
    c.dead_after_ms = s.config.heartbeat.dead_after_ms;
    c.backoff.base_ms = s.config.backoff.base_ms;
    c.backoff.cap_ms = s.config.backoff.cap_ms;
    if (const model::SourceConfig& src = s.config.source; src.present) {
        // The backend's own heartbeat: its text every every_ms ("" sends nothing), and with a
        // text or field rule only that reply proves it alive (core/link_config.h says why).
        c.ping_after_ms = src.heartbeat_every_ms;
        c.dead_after_ms = src.dead_after();
        c.make_ping = [send = src.heartbeat_send](double) { return send; };
        c.any_message_proves_liveness = src.alive == model::AliveRule::any;
    }
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
    if (settings_.config.source.present) {
        source_ = std::make_unique<model::SourceFeed>(settings_.config.source);
        fleet_.set_interval_ms(settings_.config.source.interval_ms);  // no welcome tells it
    }
    fleet_.set_history_s(settings_.config.history_s);
    feed_.set_history_s(settings_.config.history_s);
    fleet_.set_stale_after_intervals(settings_.config.stale_after_intervals);
    fleet_.set_alarm_rules(settings_.config.alarm_rules());
    screen_.pin_focus(settings_.config.focus_host);  // config focus_host or ?focus=; "" rotates

    // The atlas holds what the screen can show: every text of the language, the title, notices.
    for (int i = 0; i < model::kTextCount; ++i) glyphs_.add(model::tr(lang_, static_cast<model::TextId>(i)));
    glyphs_.add(settings_.config.title);
    glyphs_.add("→↓↑•·…—▲°%");
    // The site's build id (build.json, which a new build changes); the compiled one without it.
    build_id_ = web::site_build();
    if (build_id_.empty()) build_id_ = VIGIL_BUILD_ID;
    // The wall's time zone by IANA name: the browser's Intl checks it (an unknown one is named on
    // screen and the browser's own zone stays).
    if (!settings_.config.time_zone.empty()) {
        if (web::set_time_zone(settings_.config.time_zone)) model::set_utc_offset_source(web::time_zone_offset_min);
        else if (settings_.config.errors.size() < model::PageConfig::kMaxErrors)
            settings_.config.errors.push_back({"time_zone", "unknown time zone \"" + settings_.config.time_zone.substr(0, 64) +
                                                                "\" (this browser's zone is used)"});
    }
    for (const auto& e : settings_.config.errors) glyphs_.add(e.text());
}

double PageApp::hub_now_ms() const {
    const model::HubClock& c = feed_.clock();
    return c.known() ? c.now(scheduler_.now_ms()) : page_wall_ms();
}

std::optional<double> PageApp::clock_skew_ms() const {
    if (!feed_.clock().known()) return std::nullopt;
    return page_wall_ms() - hub_now_ms();
}

void PageApp::clock_ping(double now) {
    // Pings go out only on silence, and a hub at 1 Hz is never silent: one ping a minute (and
    // one per connection) gives pong.hub_t with a measured round trip for the clock.
    if (source_ || link_->state() != core::LinkState::Open || !feed_.welcomed()) return;
    const long long opens = link_->stats().opens;
    if (opens == clock_ping_opens_ && now - last_clock_ping_ms_ < 60000) return;
    clock_ping_opens_ = opens;
    last_clock_ping_ms_ = now;
    protocol::Ping ping;
    ping.t = now;
    link_->send(protocol::encode(ping));
}

PageApp::~PageApp() { link_->stop(); }

void PageApp::start(bool online) {
    // A source whose url, hosts, id or values are bad has nothing to connect to or map: the
    // config errors on screen say why, and no socket is opened.
    if (source_ && !settings_.config.source.usable) return;
    if (!online) link_->on_offline();  // first: the link then starts Offline instead of opening a socket
    link_->start();
}

void PageApp::on_link_state(const core::LinkStatus& status) {
    glyphs_.add(status.reason);  // a close reason may carry any text
    // A replay belongs to its connection: one cut short must not keep the screen on the replay's
    // slow draw cadence while it reconnects (the next welcome starts the next replay).
    if (status.state != core::LinkState::Open) feed_.on_close();
    swapped_ = status.state == core::LinkState::Open && last_link_state_ == core::LinkState::Open;
    last_link_state_ = status.state;
    if (status.state != core::LinkState::Open) carried_live_ = false;
    dirty_ = true;
}

void PageApp::on_link_open() {
    carried_live_ = swapped_ && feed_.replay().live_data() && !feed_.replay().replaying();
    feed_.on_open(scheduler_.now_ms());
    web::report_connected();  // the loader looks for a new build of the site
    if (source_) return;  // a backend of one's own gets no hello (there is no resume to ask for)
    protocol::Hello hello;
    hello.build = build_id_;
    hello.client = settings_.client_id;
    hello.resume = feed_.seqs().cursor();
    // Asked for either way: the hub falls back to the window when it cannot resume. No more than
    // the series hold at this fleet's size (a 5,000-host page keeps 26 s: 600 s of 0.74 MB frames
    // would be replayed to be thrown away); a fresh page does not know its fleet yet.
    hello.history_s = fleet_.kept_history_s();
    // While the hub's stream cannot store (a NATS node lost), the hub sends each frame it sampled
    // as a preview: the screen stays LIVE on them, and the stored frames fill the history later.
    hello.previews = true;
    link_->send(protocol::encode(hello));
}

void PageApp::on_link_message(std::string_view text, bool binary) {
    dirty_ = true;
    if (!source_) return apply(text, binary);
    const double wall = static_cast<double>(std::time(nullptr)) * 1000.0;  // when the message has no time
    const std::string before = source_->counts().last_problem;
    if (source_->apply(text, binary, scheduler_.now_ms(), wall, fleet_, feed_.replay())) link_->on_alive();
    if (source_->counts().last_problem != before) glyphs_.add(source_->counts().last_problem);
    // Host names come with the data (there is no catalog); hosts are only ever added here.
    if (fleet_.hosts().size() != source_hosts_seen_)
        for (std::size_t i = source_hosts_seen_; i < fleet_.hosts().size(); ++i) glyphs_.add(fleet_.hosts()[i].id);
    source_hosts_seen_ = fleet_.hosts().size();
}

void PageApp::apply(std::string_view text, bool binary) {
    const double wall = static_cast<double>(std::time(nullptr)) * 1000.0;  // legacy pushes carry no time
    const model::FeedEffects fx = feed_.apply(text, binary, scheduler_.now_ms(), wall);
    if (carried_live_ && feed_.replay().live_data()) carried_live_ = false;  // the new connection is live itself
    if (fx.rejected) link_->count_rejected();
    if (fx.pong_t) link_->on_pong(*fx.pong_t);
    if (fx.retry_hint_ms) link_->set_retry_hint(*fx.retry_hint_ms);
    if (fx.handover_ms) link_->begin_handover(*fx.handover_ms);
    for (const auto& t : fx.new_text) glyphs_.add(t);
}

PageApp::FrameTimes PageApp::frame_times(const std::array<float, 256>& ring) const {
    std::array<float, 256> sorted = ring;
    const std::size_t n = std::min(frame_count_, sorted.size());
    if (n == 0) return {};
    std::sort(sorted.begin(), sorted.begin() + static_cast<long>(n));
    return {sorted[n / 2], sorted[std::min(n - 1, n * 99 / 100)]};
}

void PageApp::reset_frame_stats() {
    frame_ms_.fill(0);
    screen_ms_.fill(0);
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

model::BannerInputs PageApp::banner_inputs() const {
    const double now = scheduler_.now_ms();
    model::BannerInputs in;
    in.status = link_->status();
    in.now_ms = now;
    in.ever_opened = link_->stats().opens > 0;
    const model::ReplayProgress& replay = feed_.replay();
    in.replaying = replay.replaying();
    in.catch_up = replay.progress();
    in.live_data = replay.live_data();
    in.waiting_since_ms = replay.waiting_since_ms();
    if (carried_live_) {  // a handover's swap: the data shown is the previous connection's live data
        in.replaying = false;
        in.live_data = true;
    }
    in.fleet = fleet_.link_freshness(now);
    in.interval_ms = fleet_.interval_ms();
    in.stale_after_intervals = fleet_.stale_after_intervals();
    if (in.status.state == core::LinkState::Offline) {
        const double ago_s = (now - in.status.since_ms) / 1000.0;
        in.offline_since_clock = model::format_local_clock(static_cast<std::int64_t>(hub_now_ms() - ago_s * 1000.0));
    }
    return in;
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
    // ages and staleness move on), or on a half-second step while something moves, at the rates
    // of model/draw_cadence.h (a replay twice a second). Otherwise: nothing.
    clock_ping(now);
    const double hub_ms = hub_now_ms();  // the clock shows hub time; the steps count on it too
    const long long second = static_cast<long long>(std::floor(hub_ms / 1000.0));
    const long long step = static_cast<long long>(std::floor(hub_ms / model::DrawCadence{}.step_ms));
    model::DrawInputs due;
    due.since_last_draw_ms = now - last_draw_ms_;
    due.urgent = urgent_;
    due.second_turned = second != last_second_;
    due.step_turned = step != last_step_;
    due.dirty = dirty_;
    due.animating = screen_.animating(now);
    feed_.replay().settle(now, fleet_.stale_after_intervals() * fleet_.interval_ms());
    due.replaying = feed_.replay().replaying();
    if (!model::draw_due(due)) return;
    dirty_ = false;
    urgent_ = false;
    last_second_ = second;
    last_step_ = step;
    last_draw_ms_ = now;
    drawn_frames_ = feed_.counts().frames;
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
    const model::Banner banner = model::judge_banner(banner_inputs(), lang_);
    view.banner = banner.kind;
    view.banner_detail = banner.detail;
    view.fleet = &fleet_;
    view.now_local_ms = now;
    // Hub time (pong.hub_t, samples.t), so a display PC whose clock is off still shows the right time.
    const auto hub_ms = static_cast<std::int64_t>(std::floor(hub_now_ms()));
    view.clock = model::format_local_clock(hub_ms);
    view.date = model::format_local_date(hub_ms);
    clock_text_ = view.clock;
    clock_date_ = view.date;
    view.rotate_s = settings_.config.rotate_s;
    if (!settings_.config.wall.name.empty()) view.wall = &settings_.config.wall;
    if (burn_in_start_ms_ < 0) burn_in_start_ms_ = now;
    burn_in_ = ui::burn_in_offset(now - burn_in_start_ms_, settings_.config.burn_in.period_s,
                                  settings_.config.burn_in.amplitude_px);
    view.burn_in = burn_in_;
    view.motion = view.banner == model::BannerKind::Live;
    view.motion_step = static_cast<long long>(std::floor(static_cast<double>(hub_ms) / model::DrawCadence{}.step_ms));
    // What the limits and the catalog leave out is said on screen, never dropped silently, and
    // before the config errors (the screen draws 4 rows, "+N more" past them).
    for (const auto& e : settings_.config.errors) view.config_notices.push_back("config.json " + e.text());
    if (const auto n = fleet_.hosts_not_shown())
        view.notices.push_back(model::fill(model::tr(lang_, model::TextId::hosts_not_shown), std::to_string(n)));
    if (const auto n = fleet_.alarms().not_shown_count())
        view.notices.push_back(model::fill(model::tr(lang_, model::TextId::alarms_not_shown), std::to_string(n)));
    if (!settings_.font_loaded) view.notices.push_back("font not loaded: ASCII text only");
    if (const auto n = fleet_.metrics_not_shown())
        view.notices.push_back(model::fill(model::tr(lang_, model::TextId::metrics_not_shown), std::to_string(n)));
    if (const auto n = fleet_.unknown_hosts())
        view.notices.push_back(model::fill(model::tr(lang_, model::TextId::unknown_hosts), std::to_string(n)));
    if (source_) {
        if (!settings_.config.source.usable) view.config_notices.push_back("source: not connected until the config errors above are fixed");
        const model::SourceFeed::Counts& sc = source_->counts();
        if (sc.unmatched || sc.skipped_hosts || sc.skipped_values)
            view.notices.push_back("source: " + std::to_string(sc.unmatched) + " messages not matched, " +
                                   std::to_string(sc.skipped_hosts) + " hosts and " + std::to_string(sc.skipped_values) +
                                   " values left out; last: " + sc.last_problem);
    }

    const core::LinkStats& st = link_->stats();
    char line[160];
    std::snprintf(line, sizeof line, "rtt %s  ·  msgs %lld  ·  rejected %llu  ·  %s", 
                  st.rtt_smoothed_ms ? (std::to_string(static_cast<int>(*st.rtt_smoothed_ms)) + " ms").c_str() : "—",
                  feed_.counts().messages, static_cast<unsigned long long>(feed_.rejected().total()), build_id_.c_str());
    view.status_line = line;
    status_line_ = view.status_line;
    // A display PC's clock more than 2 s off the hub's is said in the footer (the screen shows hub
    // time), in a slot of its own that the status line's clipping never cuts.
    if (const auto skew = clock_skew_ms(); skew && std::fabs(*skew) > kSkewShownMs) {
        const model::TextId id = *skew < 0 ? model::TextId::clock_slow : model::TextId::clock_fast;
        view.clock_skew = model::fill(model::tr(lang_, id), model::format_age(std::fabs(*skew), lang_));
        status_line_ += "  ·  " + view.clock_skew;
    }
    if (debug_overlay_) {
        view.debug = true;
        const auto add = [&](std::string s) { view.debug_lines.push_back(std::move(s)); };
        add(std::string("link ") + core::to_string(link_->state()) + "  attempts " + std::to_string(st.attempts) +
            "  opens " + std::to_string(st.opens) + "  pings " + std::to_string(st.pings_sent) + "  dead " +
            std::to_string(st.dead_peer_verdicts));
        add("in " + std::to_string(st.messages_in) + " msgs / " + std::to_string(st.bytes_in / 1024) + " KiB   out " +
            std::to_string(st.messages_out) + "   outbox drops " + std::to_string(st.outbox_drops));
        if (source_) {
            const model::SourceFeed::Counts& sc = source_->counts();
            add("source (own backend): no seq, no resume: after a reconnect only what it pushes next is shown");
            add("source msgs " + std::to_string(sc.messages) + "  frames " + std::to_string(sc.frames) + "  unmatched " +
                std::to_string(sc.unmatched) + "  alive replies " + std::to_string(sc.alive) + "  hosts left out " +
                std::to_string(sc.skipped_hosts) + "  values left out " + std::to_string(sc.skipped_values));
        }
        std::string kinds = "rejected";
        for (const auto& [name, n] : feed_.rejected().by_name())
            if (n) kinds += " " + std::string(name) + "=" + std::to_string(n);
        add(kinds);
        const auto last = feed_.seqs().last();
        add("epoch " + feed_.epoch() + "  seq " + (last ? std::to_string(*last) : "—") + "  gaps " +
            std::to_string(feed_.counts().gaps) + "  missing " + std::to_string(feed_.counts().missing));
        add("unknown hosts " + std::to_string(fleet_.unknown_hosts()) + " (" + std::to_string(fleet_.unknown_host_samples()) +
            " samples)  not shown: hosts " + std::to_string(fleet_.hosts_not_shown()) + ", metrics " +
            std::to_string(fleet_.metrics_not_shown()));
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
    const double screen_t0 = scheduler_.now_ms();
    screen_.draw(view);
    screen_ms_[frame_count_ % screen_ms_.size()] = static_cast<float>(scheduler_.now_ms() - screen_t0);
    web::display_end_frame(0.043f, 0.071f, 0.125f);
    // What this frame asked of the GPU (window.vigil drawCalls, drawVertices): ImGui's draw data
    // stays valid until the next NewFrame.
    if (const ImDrawData* dd = ImGui::GetDrawData()) {
        long calls = 0;
        for (int i = 0; i < dd->CmdListsCount; ++i) calls += dd->CmdLists[i]->CmdBuffer.Size;
        draw_calls_ = calls;
        draw_vertices_ = dd->TotalVtxCount;
        draw_indices_ = dd->TotalIdxCount;
    }
}

std::string PageApp::state_json() {
    const double now = scheduler_.now_ms();
    const core::LinkStatus& status = link_->status();
    const core::LinkStats& stats = link_->stats();
    using nlohmann::json;
    json j;
    const model::BannerInputs banner_in = banner_inputs();
    const model::BannerKind banner_now = model::banner_kind(banner_in);
    j["state"] = model::banner_word(banner_now);
    j["link"] = core::to_string(status.state);
    j["reason"] = status.reason;
    j["attempt"] = status.attempt;
    j["nextTryInMs"] = status.next_try_at_ms ? json(std::max(0.0, *status.next_try_at_ms - now)) : json();
    j["retryDelayMs"] = stats.last_retry_delay_ms ? json(*stats.last_retry_delay_ms) : json();
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
    const model::HubFeed::Counts& feed = feed_.counts();
    j["messages"] = feed.messages;
    j["bytesIn"] = stats.bytes_in;
    j["messagesOut"] = stats.messages_out;
    j["outboxDrops"] = stats.outbox_drops;
    j["frames"] = feed.frames;
    j["replayed"] = feed.replayed;
    j["legacy"] = feed.legacy;
    j["previews"] = feed.previews;
    j["previewsIgnored"] = feed.previews_ignored;
    j["rejected"] = feed_.rejected().total();
    json kinds = json::object();
    for (const auto& [name, n] : feed_.rejected().by_name()) kinds[std::string(name)] = n;
    j["rejectedByKind"] = kinds;
    j["epoch"] = feed_.seqs().epoch();
    j["seq"] = feed_.seqs().last() ? json(*feed_.seqs().last()) : json();
    j["gaps"] = feed.gaps;
    j["missing"] = feed.missing;
    j["catchUp"] = banner_now == model::BannerKind::CatchingUp
                       ? json{{"done", banner_in.catch_up.done}, {"total", banner_in.catch_up.total}}
                       : json();
    j["lastSample"] = fleet_.last_sample_wall_ms();
    j["lastSampleAgeMs"] = fleet_.head_local_ms() < 0 ? json() : json(now - fleet_.head_local_ms());
    j["rttMs"] = stats.rtt_smoothed_ms ? json(*stats.rtt_smoothed_ms) : json();
    j["pingsSent"] = stats.pings_sent;
    j["deadPeers"] = stats.dead_peer_verdicts;
    j["handovers"] = stats.handovers;
    j["handoverFailures"] = stats.handover_failures;
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
    j["alarmsKey"] = model::alarm_set_key(fleet_.alarms().active());  // the loader's quiet moment (web/vigil_loader.js)
    j["alarmsCrit"] = counts.crit;
    j["alarmsWarn"] = counts.warn;
    j["alarmsNotShown"] = fleet_.alarms().not_shown_count();
    j["notices"] = r.notices;
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
    ui::add_host_health(j, fleet_, r);  // hostsDown, downCount, hostLabels, tiles[].state/text
    j["focusPanel"] = css(r.focus_panel);
    ui::add_overview(j, r, design_scale_);  // layout, wallHosts, overview{cells, groups, ...}
    j["wall"] = settings_.config.wall.name;
    j["drawCalls"] = draw_calls_;
    j["drawVertices"] = draw_vertices_;
    j["drawIndices"] = draw_indices_;
    j["focusKeys"] = r.focus_keys;
    json values = json::object(), values_stale = json::array(), value_ages = json::object();
    if (!fleet_.hosts().empty()) {
        const model::HostState& first = fleet_.hosts().front();
        for (const auto& [key, v] : first.latest) {
            values[key] = v;
            const model::Freshness f = fleet_.metric_freshness(first, key, now);
            value_ages[key] = std::round(f.age_ms);
            if (!f.fresh()) values_stale.push_back(key);
        }
    }
    j["values"] = values;
    j["valuesStale"] = values_stale;  // keys of `values` with no reading for stale_after intervals
    j["valueAgesMs"] = value_ages;
    json metrics_stale = json::object();
    std::size_t looked = 0;
    for (const auto& h : fleet_.hosts()) {
        if (++looked > 256) break;
        json keys = json::array();
        for (const auto& kv : h.latest)
            if (!fleet_.metric_freshness(h, kv.first, now).fresh()) keys.push_back(kv.first);
        if (!keys.empty()) metrics_stale[h.id] = std::move(keys);
    }
    j["metricsStale"] = metrics_stale;
    j["hostsNotShown"] = fleet_.hosts_not_shown();
    j["metricsNotShown"] = fleet_.metrics_not_shown();
    j["unknownHosts"] = fleet_.unknown_hosts();
    j["unknownHostSamples"] = fleet_.unknown_host_samples();
    json host_values = json::object();
    for (const auto& h : fleet_.hosts()) {
        if (host_values.size() >= 256) break;
        host_values[h.id] = h.latest;
    }
    j["hostValues"] = host_values;

    // A backend of one's own (config.json `source`).
    j["source"] = source_ != nullptr;
    j["resume"] = !source_;  // a backend of one's own has no seq: nothing is resumed after a reconnect
    const model::SourceFeed::Counts no_source{};
    const model::SourceFeed::Counts& sc = source_ ? source_->counts() : no_source;
    j["sourceMessages"] = sc.messages;
    j["sourceFrames"] = sc.frames;
    j["sourceUnmatched"] = sc.unmatched;
    j["sourceAlive"] = sc.alive;
    j["sourceSkippedHosts"] = sc.skipped_hosts;
    j["sourceSkippedValues"] = sc.skipped_values;
    j["sourceLastProblem"] = sc.last_problem;
    j["sourceBadTimes"] = sc.bad_times;

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
    j["drawnFrames"] = drawn_frames_;
    j["loops"] = loops_;
    const FrameTimes ft = frame_times();
    j["frameMsP50"] = ft.p50;
    j["frameMsP99"] = ft.p99;
    const FrameTimes st_ms = frame_times(screen_ms_);
    j["screenMsP50"] = st_ms.p50;
    j["screenMsP99"] = st_ms.p99;
    j["url"] = core::redact_credentials(settings_.hub_url);  // a token is not for every script to read
    j["clientId"] = settings_.client_id;
    j["build"] = build_id_;
    j["wasmBuild"] = VIGIL_BUILD_ID;
    // Time (issue 13): the clock drawn, from hub time; the display PC's skew against it.
    const model::HubClock& hc = feed_.clock();
    j["hubTime"] = hc.known() ? json(std::round(hub_now_ms())) : json();
    j["clockSource"] = hc.known() ? hc.source() : "page";
    j["clockSkewMs"] = clock_skew_ms() ? json(std::round(*clock_skew_ms())) : json();
    j["clockUncertaintyMs"] = std::round(hc.uncertainty_ms());
    j["clock"] = clock_text_;
    j["clockDate"] = clock_date_;
    j["timeZone"] = web::time_zone_name();
    j["statusLine"] = status_line_;
    j["statusDrawn"] = r.status;
    j["burnIn"] = {{"dx", burn_in_.dx}, {"dy", burn_in_.dy}, {"step", burn_in_.step},
                   {"periodS", settings_.config.burn_in.period_s}, {"amplitudePx", settings_.config.burn_in.amplitude_px}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vigil::app
