// Hub messages into the page's model (see the header).
#include "model/hub_feed.h"

#include "protocol/decode.h"

#include <type_traits>
#include <variant>

namespace vigil::model {

FeedEffects HubFeed::apply(std::string_view text, bool binary, double now, double wall_ms) {
    ++counts_.messages;
    FeedEffects fx;
    const auto reject = [&](protocol::RejectionKind kind) {
        rejected_.add(kind);
        fx.rejected = kind;
    };
    if (binary) {
        reject(protocol::reject_binary().kind);
        return fx;
    }
    // DOWN reasons are drawn on their tiles: their glyphs are needed.
    const auto note_down_text = [&](const protocol::Samples& frame) {
        for (const auto& d : frame.down) fx.new_text.push_back(d.reason);
    };
    const protocol::DecodeResult result = protocol::decode_hub_message(text);
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, protocol::Rejection>) {
                reject(m.kind);
            } else if constexpr (std::is_same_v<T, protocol::Welcome>) {
                const auto resume = seqs_.cursor();  // what this connection's hello carried
                if (seqs_.on_welcome(m)) fleet_.on_new_epoch();
                epoch_ = m.epoch;
                welcomed_ = true;
                welcomed_here_ = true;
                if (m.interval_ms > 0) fleet_.set_interval_ms(static_cast<double>(m.interval_ms));
                replay_.on_welcome(m, resume, history_s_);
            } else if constexpr (std::is_same_v<T, protocol::Catalog>) {
                fleet_.apply_catalog(m);
                for (const auto& h : m.hosts) {
                    fx.new_text.push_back(h.name);
                    for (const auto& metric : h.metrics) fx.new_text.push_back(metric.label);
                    for (const auto& [name, value] : h.labels) fx.new_text.push_back(name + value);
                }
            } else if constexpr (std::is_same_v<T, protocol::Samples>) {
                const protocol::SeqCheck check = seqs_.accept(m.seq);
                if (!check.applies()) {
                    if (auto kind = check.rejection()) reject(*kind);
                    return;
                }
                if (check.verdict == protocol::SeqVerdict::gap_before) {
                    ++counts_.gaps;
                    counts_.missing += static_cast<long long>(check.missing.to - check.missing.from + 1);
                }
                ++counts_.frames;
                if (replay_.replaying()) ++counts_.replayed;
                else clock_.on_live_frame(m.t, now);  // a replayed frame's t is old by design
                replay_.on_frame(m.seq, now);
                fleet_.apply_samples(m, now);
                note_down_text(m);
            } else if constexpr (std::is_same_v<T, protocol::Preview>) {
                // Latest values only: no seq to check, no series point, no replay seq and no
                // hub clock sample (the stored frame of the tick brings all of those). During a
                // replay a preview would show live values under CATCHING UP: left out.
                if (!welcomed_here_ || replay_.replaying()) {
                    ++counts_.previews_ignored;
                    return;
                }
                ++counts_.previews;
                // Live data on this connection, as a frame after `live` is: a page that connects
                // during an election (only previews after its `live`) is LIVE, not WAITING.
                replay_.on_frame(0, now);
                fleet_.apply_samples(m.frame, now, /*history=*/false);
                note_down_text(m.frame);
            } else if constexpr (std::is_same_v<T, protocol::Gap>) {
                if (auto hole = seqs_.on_gap(m)) {
                    ++counts_.gaps;
                    counts_.missing += static_cast<long long>(hole->to - hole->from + 1);
                }
                replay_.on_gap(m.to);
            } else if constexpr (std::is_same_v<T, protocol::Live>) {
                replay_.on_live(now);
            } else if constexpr (std::is_same_v<T, protocol::Alarm>) {
                fleet_.apply_alarm(m, now);
            } else if constexpr (std::is_same_v<T, protocol::Pong>) {
                fx.pong_t = m.t;
                clock_.on_pong(m.t, now, m.hub_t);
            } else if constexpr (std::is_same_v<T, protocol::Shutdown>) {
                if (m.retry_ms > 0) fx.retry_hint_ms = static_cast<double>(m.retry_ms);
                if (m.handover_ms > 0) fx.handover_ms = static_cast<double>(m.handover_ms);
            } else if constexpr (std::is_same_v<T, protocol::Legacy>) {
                // Legacy mode is for a backend that speaks no protocol: after a welcome, an
                // object without `type` is a broken message, not a host called "backend".
                if (welcomed_) return reject(protocol::RejectionKind::bad_type);
                ++counts_.legacy;
                replay_.on_frame(0, now);
                fleet_.apply_host(protocol::HostSamples{"backend", m.values}, wall_ms, now);
            }
            // Error messages need nothing more: they count as messages.
        },
        result);
    return fx;
}

}  // namespace vigil::model
