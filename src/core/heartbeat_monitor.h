// Dead-peer detection for an open socket, decided from the clock: any inbound message proves liveness.
// Pure bookkeeping; Link owns the single timer and asks this class what to do whenever it fires.
#pragma once

namespace vigil::core {

// Why "from the clock": browsers throttle timers in background tabs (a timer may fire a minute
// late), so counting firings would declare a live connection dead. Each check compares
// now - last inbound instead, and recording a message is just a store (no timer churn), so a burst
// of bulk data costs nothing and never postpones a check that is due.
class HeartbeatMonitor {
public:
    enum class Verdict {
        Quiet,     // nothing to do; check again at next_check_at()
        SendPing,  // silent for ping_after since the last message and the last ping
        Dead,      // silent for dead_after since the last message
    };

    HeartbeatMonitor(double ping_after_ms, double dead_after_ms);

    void restart(double now_ms);     // the socket just opened: silence counts from now
    void saw_inbound(double now_ms);
    void sent_ping(double now_ms);

    Verdict check(double now_ms) const;
    double next_check_at() const;  // when the verdict can next change, absent inbound messages
    double silence_ms(double now_ms) const { return now_ms - last_inbound_; }

private:
    double ping_after_;
    double dead_after_;
    double last_inbound_ = 0;
    double last_ping_ = 0;
};

}  // namespace vigil::core
