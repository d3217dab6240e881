// The page's wiring (see the header).
#include "app/page_app.h"

#include "platform/web/browser_page.h"
#include "platform/web/web_display.h"
#include "protocol/decode.h"
#include "protocol/encode.h"
#include "ui/screen.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <type_traits>

#ifndef VIGIL_BUILD_ID
#define VIGIL_BUILD_ID "dev"
#endif

namespace vigil::app {
namespace {

// How many expected intervals may pass without a frame before the screen calls its data stale.
constexpr double kStaleAfterIntervals = 3.0;

// The hub URL as window.vigil shows it: a token in its query is not for every script to read.
std::string redact_token(std::string url) {
    const auto at = url.find("token=");
    if (at == std::string::npos) return url;
    const auto end = url.find('&', at);
    return url.replace(at + 6, end == std::string::npos ? std::string::npos : end - at - 6, "***");
}

std::string wall_clock() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buf[16];
    std::strftime(buf, sizeof buf, "%H:%M:%S", &local);
    return buf;
}

}  // namespace

PageApp::PageApp(PageSettings settings) : settings_(std::move(settings)) {
    core::LinkConfig config;
    config.url = settings_.hub_url;
    link_ = std::make_unique<core::Link>(transport_, scheduler_, random_, config);
    link_->set_observer(this);
}

PageApp::~PageApp() { link_->stop(); }

void PageApp::start(bool online) {
    if (!online) link_->on_offline();  // first: the link then starts Offline instead of opening a socket
    link_->start();
}

void PageApp::on_link_state(const core::LinkStatus&) {}

void PageApp::on_link_open() {
    protocol::Hello hello;
    hello.build = VIGIL_BUILD_ID;
    hello.client = settings_.client_id;
    hello.resume = seqs_.cursor();
    // Asked for either way: the hub falls back to the window when it cannot resume.
    hello.history_s = settings_.history_s;
    link_->send(protocol::encode(hello));
}

void PageApp::on_link_message(std::string_view text, bool binary) {
    ++messages_;
    apply(text, binary);
}

void PageApp::apply(std::string_view text, bool binary) {
    const double now = scheduler_.now_ms();
    if (binary) {
        rejected_.add(protocol::reject_binary());
        link_->count_rejected();
        return;
    }
    const protocol::DecodeResult result = protocol::decode_hub_message(text);
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, protocol::Rejection>) {
                rejected_.add(m);
                link_->count_rejected();
            } else if constexpr (std::is_same_v<T, protocol::Welcome>) {
                seqs_.on_welcome(m);
                epoch_ = m.epoch;
                if (m.interval_ms > 0) interval_ms_ = static_cast<double>(m.interval_ms);
            } else if constexpr (std::is_same_v<T, protocol::Catalog>) {
                fleet_.apply_catalog(m);
            } else if constexpr (std::is_same_v<T, protocol::Samples>) {
                const protocol::SeqCheck check = seqs_.accept(m.seq);
                if (!check.applies()) {
                    if (auto kind = check.rejection()) rejected_.add(*kind);
                    link_->count_rejected();
                    return;
                }
                if (check.verdict == protocol::SeqVerdict::gap_before) {
                    ++gaps_;
                    missing_ += static_cast<long long>(check.missing.to - check.missing.from + 1);
                }
                ++frames_;
                fleet_.apply_samples(m, now);
                last_sample_local_ms_ = now;
            } else if constexpr (std::is_same_v<T, protocol::Gap>) {
                if (auto hole = seqs_.on_gap(m)) {
                    ++gaps_;
                    missing_ += static_cast<long long>(hole->to - hole->from + 1);
                }
            } else if constexpr (std::is_same_v<T, protocol::Pong>) {
                link_->on_pong(m.t);
            } else if constexpr (std::is_same_v<T, protocol::Shutdown>) {
                if (m.retry_ms > 0) link_->set_retry_hint(static_cast<double>(m.retry_ms));
            } else if constexpr (std::is_same_v<T, protocol::Legacy>) {
                ++legacy_;
                fleet_.apply_host(protocol::HostSamples{"backend", m.values}, 0, now);
                last_sample_local_ms_ = now;
            }
            // Live, Alarm and Error need nothing more here yet: they count as messages.
        },
        result);
}

const char* PageApp::banner_state() const {
    const double now = scheduler_.now_ms();
    switch (link_->state()) {
        case core::LinkState::Open: {
            const bool fresh = last_sample_local_ms_ >= 0 &&
                               now - last_sample_local_ms_ <= kStaleAfterIntervals * interval_ms_;
            return ui::banner_word(fresh ? ui::BannerKind::Live : ui::BannerKind::Stale);
        }
        case core::LinkState::Maintenance: return ui::banner_word(ui::BannerKind::Maintenance);
        case core::LinkState::Unauthorized: return ui::banner_word(ui::BannerKind::Unauthorized);
        case core::LinkState::Offline: return ui::banner_word(ui::BannerKind::Offline);
        case core::LinkState::Connecting:
            if (link_->stats().opens == 0) return ui::banner_word(ui::BannerKind::Connecting);
            return ui::banner_word(ui::BannerKind::Reconnecting);
        case core::LinkState::Idle:
        case core::LinkState::WaitingToRetry:
        case core::LinkState::Stopped: return ui::banner_word(ui::BannerKind::Reconnecting);
    }
    return "?";
}

void PageApp::frame() {
    const web::DisplayMetrics metrics = web::display_poll();
    if (web::display_context_lost()) return;
    web::display_begin_frame(metrics);
    const double now = scheduler_.now_ms();
    const core::LinkStatus& status = link_->status();

    ui::ScreenView view;
    view.title = settings_.title;
    const std::string word = banner_state();
    for (int k = 0; k <= static_cast<int>(ui::BannerKind::Unauthorized); ++k)
        if (word == ui::banner_word(static_cast<ui::BannerKind>(k))) view.banner = static_cast<ui::BannerKind>(k);
    std::string detail;
    if (status.state != core::LinkState::Open) {
        if (status.attempt > 0) detail += "attempt " + std::to_string(status.attempt);
        if (status.next_try_at_ms) {
            const double in_s = std::max(0.0, (*status.next_try_at_ms - now) / 1000.0);
            char buf[48];
            std::snprintf(buf, sizeof buf, "%sretry in %.0f s", detail.empty() ? "" : ", ", std::ceil(in_s));
            detail += buf;
        }
        if (!status.reason.empty()) detail += (detail.empty() ? "" : " — ") + status.reason;
    }
    view.banner_detail = detail;
    view.fleet = &fleet_;
    view.now_local_ms = now;
    view.wall_clock = wall_clock();
    view.rejected = static_cast<long long>(rejected_.total());
    view.messages = messages_;
    ui::draw_screen(view);
    web::display_end_frame(0.043f, 0.071f, 0.125f);
}

std::string PageApp::state_json() {
    const double now = scheduler_.now_ms();
    const core::LinkStatus& status = link_->status();
    const core::LinkStats& stats = link_->stats();
    nlohmann::json j;
    j["state"] = banner_state();
    j["link"] = core::to_string(status.state);
    j["reason"] = status.reason;
    j["attempt"] = status.attempt;
    j["nextTryInMs"] = status.next_try_at_ms ? nlohmann::json(std::max(0.0, *status.next_try_at_ms - now)) : nlohmann::json();
    j["attempts"] = stats.attempts;
    j["opens"] = stats.opens;
    std::uint64_t closes = 0;
    nlohmann::json by_code = nlohmann::json::object();
    for (const auto& [code, n] : stats.closes_by_code) {
        closes += n;
        by_code[std::to_string(code)] = n;
    }
    j["closes"] = closes;
    j["closesByCode"] = by_code;
    j["lastCloseCode"] = stats.last_close_code;
    j["lastCloseReason"] = stats.last_close_reason;
    j["messages"] = messages_;
    j["frames"] = frames_;
    j["legacy"] = legacy_;
    j["rejected"] = rejected_.total();
    nlohmann::json kinds = nlohmann::json::object();
    for (const auto& [name, n] : rejected_.by_name()) kinds[std::string(name)] = n;
    j["rejectedByKind"] = kinds;
    j["epoch"] = seqs_.epoch();
    j["seq"] = seqs_.last() ? nlohmann::json(*seqs_.last()) : nlohmann::json();
    j["gaps"] = gaps_;
    j["missing"] = missing_;
    j["lastSample"] = fleet_.last_sample_wall_ms();
    j["lastSampleAgeMs"] = last_sample_local_ms_ < 0 ? nlohmann::json() : nlohmann::json(now - last_sample_local_ms_);
    j["rttMs"] = stats.rtt_smoothed_ms ? nlohmann::json(*stats.rtt_smoothed_ms) : nlohmann::json();
    j["pingsSent"] = stats.pings_sent;
    j["deadPeers"] = stats.dead_peer_verdicts;
    j["liveSockets"] = transport_.live_sockets();
    j["pendingTimers"] = scheduler_.pending();
    j["hosts"] = fleet_.hosts().size();
    nlohmann::json values = nlohmann::json::object();
    if (!fleet_.hosts().empty())
        for (const auto& [key, v] : fleet_.hosts().front().latest) values[key] = v;
    j["values"] = values;
    j["url"] = redact_token(settings_.hub_url);
    j["heapBytes"] = web::heap_bytes();
    j["build"] = VIGIL_BUILD_ID;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace vigil::app
