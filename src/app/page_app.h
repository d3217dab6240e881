// The page's wiring: the connection core over the browser's WebSocket and timers, the protocol
// decoder feeding the fleet model, the screen, and window.vigil.
#pragma once

#include "core/link.h"
#include "model/fleet.h"
#include "platform/web/web_scheduler.h"
#include "platform/web/web_socket_transport.h"
#include "protocol/rejection.h"
#include "protocol/seq_tracker.h"

#include <memory>
#include <string>

namespace vigil::app {

struct PageSettings {
    std::string hub_url;
    std::string title = "Vigil";
    double history_s = 600;
    std::string client_id;
    bool debug = false;
};

class PageApp final : public core::LinkObserver {
public:
    explicit PageApp(PageSettings settings);
    ~PageApp() override;

    void start(bool online);
    void frame();                 // one ImGui frame
    std::string state_json();     // window.vigil

    core::Link& link() { return *link_; }

    // core::LinkObserver
    void on_link_state(const core::LinkStatus& status) override;
    void on_link_open() override;
    void on_link_message(std::string_view text, bool binary) override;

private:
    void apply(std::string_view text, bool binary);
    const char* banner_state() const;

    PageSettings settings_;
    web::WebSocketTransport transport_;
    web::WebScheduler scheduler_;
    web::WebRandom random_;
    std::unique_ptr<core::Link> link_;

    model::Fleet fleet_;
    protocol::SeqTracker seqs_;
    protocol::RejectionCounters rejected_;
    std::string epoch_;
    double interval_ms_ = 1000;
    double last_sample_local_ms_ = -1;
    long long messages_ = 0, frames_ = 0, gaps_ = 0, missing_ = 0, legacy_ = 0;
};

}  // namespace vigil::app
