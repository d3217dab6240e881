// The connection banner's judgement (see the header).
#include "model/banner_state.h"

#include "model/format.h"

#include <algorithm>

namespace vigil::model {

const char* banner_word(BannerKind kind) {
    switch (kind) {
        case BannerKind::Connecting: return "CONNECTING";
        case BannerKind::Waiting: return "WAITING";
        case BannerKind::CatchingUp: return "CATCHING_UP";
        case BannerKind::Live: return "LIVE";
        case BannerKind::Stale: return "STALE";
        case BannerKind::Reconnecting: return "RECONNECTING";
        case BannerKind::Maintenance: return "MAINTENANCE";
        case BannerKind::Offline: return "OFFLINE";
        case BannerKind::Unauthorized: return "UNAUTHORIZED";
    }
    return "?";
}

BannerKind banner_kind(const BannerInputs& in) {
    using core::LinkState;
    switch (in.status.state) {
        case LinkState::Open: {
            // Old frames being replayed are never LIVE, however recent the newest of them.
            if (in.replaying) return BannerKind::CatchingUp;
            if (!in.live_data) {
                // Connected, nothing live yet: not stale before the data had a chance to come.
                const double limit = std::max(0.0, in.stale_after_intervals) * std::max(1.0, in.interval_ms);
                return in.now_ms - in.waiting_since_ms <= limit ? BannerKind::Waiting : BannerKind::Stale;
            }
            return in.fleet.fresh() ? BannerKind::Live : BannerKind::Stale;
        }
        case LinkState::Maintenance: return BannerKind::Maintenance;
        case LinkState::Unauthorized: return BannerKind::Unauthorized;
        case LinkState::Offline: return BannerKind::Offline;
        case LinkState::Idle:
        case LinkState::Connecting:
        case LinkState::WaitingToRetry:
        case LinkState::Stopped:
            // A kiosk that boots before its hub is still making its first connection, however
            // many attempts that takes: CONNECTING, never RECONNECTING, until a socket opened.
            return in.ever_opened ? BannerKind::Reconnecting : BannerKind::Connecting;
    }
    return BannerKind::Reconnecting;
}

namespace {

std::string with_thousands(long long n) {
    std::string digits = std::to_string(std::max(0LL, n));
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

}  // namespace

Banner judge_banner(const BannerInputs& in, Lang lang) {
    Banner b;
    b.kind = banner_kind(in);
    const core::LinkStatus& s = in.status;
    const auto add = [&](const std::string& part) {
        if (!part.empty()) b.detail += (b.detail.empty() ? "" : " · ") + part;
    };
    switch (b.kind) {
        case BannerKind::Live: return b;
        case BannerKind::CatchingUp:
            add(fill(tr(lang, TextId::frames_of),
                     with_thousands(in.catch_up.done) + " / " + with_thousands(in.catch_up.total)));
            return b;
        case BannerKind::Waiting: add(tr(lang, TextId::waiting_for_data)); return b;
        case BannerKind::Stale:
            add(in.fleet.level == FreshnessLevel::never ? std::string(tr(lang, TextId::waiting_for_data))
                                                        : format_last_update(in.fleet.age_ms, lang));
            return b;
        case BannerKind::Offline:
            // Since when, in wall time: a screen seen hours later still tells when it went dark.
            add(fill(tr(lang, TextId::since_clock), in.offline_since_clock));
            return b;
        default: break;
    }
    if (s.attempt > 0 && b.kind != BannerKind::Maintenance) add(format_attempt(s.attempt, lang));
    if (s.next_try_at_ms) {
        const double wait = std::max(0.0, *s.next_try_at_ms - in.now_ms);
        add(b.kind == BannerKind::Reconnecting || b.kind == BannerKind::Connecting ? format_retry_in(wait, lang)
                                                                                   : format_in(wait, lang));
    }
    add(s.reason);
    return b;
}

}  // namespace vigil::model
