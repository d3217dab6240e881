// The nats.c connection, the worker thread for its blocking calls and the publisher thread for core publishes.
#include "hub/nats/nats_bridge.h"

#include <chrono>
#include <iostream>

namespace vigil::hub::nats {

std::string nats_error_text(natsStatus s) {
    const char* last = nats_GetLastError(nullptr);
    return (last && *last) ? std::string(last) : std::string(natsStatus_GetText(s));
}

std::unique_ptr<NatsBridge> NatsBridge::connect(const std::vector<std::string>& urls, const std::string& name,
                                                std::string* error) {
    std::unique_ptr<NatsBridge> b(new NatsBridge());
    std::vector<const char*> servers;
    for (const auto& u : urls) servers.push_back(u.c_str());
    natsStatus s = natsOptions_Create(&b->opts_);
    if (s == NATS_OK) s = natsOptions_SetServers(b->opts_, servers.data(), static_cast<int>(servers.size()));
    if (s == NATS_OK) s = natsOptions_SetName(b->opts_, name.c_str());
    // Forever, quickly: a hub keeps its screens while NATS is away and resumes as soon as a node is back.
    if (s == NATS_OK) s = natsOptions_SetMaxReconnect(b->opts_, -1);
    if (s == NATS_OK) s = natsOptions_SetReconnectWait(b->opts_, 250);
    if (s == NATS_OK) s = natsOptions_SetTimeout(b->opts_, 2000);
    // A dead node is noticed within ~2 s (pings every second, two unanswered), not nats.c's 4 minutes.
    if (s == NATS_OK) s = natsOptions_SetPingInterval(b->opts_, 1000);
    if (s == NATS_OK) s = natsOptions_SetMaxPingsOut(b->opts_, 2);
    // A forwarded POST /ingest body (core publish, from the publisher thread) goes into this
    // buffer for nats.c's flusher: bigger than a server's default 1 MiB max payload. (What does
    // not fit the room left in it, nats.c writes to the socket at once, on the publisher thread.)
    if (s == NATS_OK) s = natsOptions_SetIOBufSize(b->opts_, 2 << 20);
    if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(b->opts_, &NatsBridge::on_disconnected, b.get());
    if (s == NATS_OK) s = natsOptions_SetReconnectedCB(b->opts_, &NatsBridge::on_reconnected, b.get());
    if (s == NATS_OK) s = natsOptions_SetErrorHandler(b->opts_, &NatsBridge::on_error, b.get());
    // No node answering at start is an outage like any later one: the hub serves its screens
    // (STALE) and nats.c goes on trying with the reconnect settings above.
    if (s == NATS_OK) s = natsOptions_SetRetryOnFailedConnect(b->opts_, true, &NatsBridge::on_connected, b.get());
    if (s == NATS_OK) s = natsConnection_Connect(&b->nc_, b->opts_);
    if (s == NATS_NOT_YET_CONNECTED) {
        std::cerr << "vigil-hub: nats: no server answers yet; trying every 250 ms in the background\n";
    } else if (s != NATS_OK) {
        if (error) *error = "cannot connect to NATS: " + nats_error_text(s);
        return nullptr;
    } else {
        b->connected_ = true;
    }
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 2000;  // stream info and consumer requests; publishes set their own wait
    s = natsConnection_JetStream(&b->js_, b->nc_, &jo);
    if (s != NATS_OK) {
        if (error) *error = "no JetStream context: " + nats_error_text(s);
        return nullptr;
    }
    b->worker_ = std::thread([p = b.get()] { p->work(); });
    b->publisher_ = std::thread([p = b.get()] { p->publish_queued(); });
    return b;
}

NatsBridge::~NatsBridge() {
    join();
    if (js_) jsCtx_Destroy(js_);
    if (nc_) natsConnection_Destroy(nc_);  // closes it, waiting for its callbacks
    if (opts_) natsOptions_Destroy(opts_);
}

bool NatsBridge::run_blocking(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_ || jobs_.size() >= kMaxJobs) return false;
        jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
    return true;
}

void NatsBridge::stop() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
        jobs_.clear();
    }
    cv_.notify_all();
    core_cv_.notify_all();
}

void NatsBridge::join() {
    stop();
    if (worker_.joinable()) worker_.join();
    if (publisher_.joinable()) publisher_.join();
}

CoreQueued NatsBridge::publish_core(CoreMessage m) {
    if (!connected_.load()) return CoreQueued::disconnected;
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_) return CoreQueued::stopped;
        if (!core_.empty() && (core_.size() >= kMaxCoreMessages || core_bytes_ + m.body.size() > kMaxCoreBytes))
            return CoreQueued::full;
        core_bytes_ += m.body.size();
        core_.push_back(std::move(m));
    }
    core_cv_.notify_one();
    return CoreQueued::queued;
}

void NatsBridge::publish_queued() {
    for (;;) {
        CoreMessage m;
        {
            std::unique_lock<std::mutex> lock(mu_);
            core_cv_.wait(lock, [this] { return stopping_ || !core_.empty(); });
            // Stopping: what is queued still goes (a leaving note), then the thread ends.
            if (core_.empty()) return;
            m = std::move(core_.front());
            core_.pop_front();
            core_bytes_ -= m.body.size();
        }
        // Disconnected since it was queued: nats.c would wait for its lock behind the reconnect
        // (or keep it in its reconnect buffer for later); at most once means dropped now.
        natsStatus s = NATS_CONNECTION_DISCONNECTED;
        if (connected_.load()) {
            natsMsg* msg = nullptr;
            s = natsMsg_Create(&msg, m.subject.c_str(), nullptr, m.body.data(), static_cast<int>(m.body.size()));
            for (const auto& [k, v] : m.headers)
                if (s == NATS_OK) s = natsMsgHeader_Set(msg, k.c_str(), v.c_str());
            if (s == NATS_OK) s = natsConnection_PublishMsg(nc_, msg);
            if (msg) natsMsg_Destroy(msg);
        }
        if (m.sent) m.sent(s);
    }
}

bool NatsBridge::pause(int ms) {
    std::unique_lock<std::mutex> lock(mu_);
    return !cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void NatsBridge::work() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (stopping_) return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        job();
    }
}

void NatsBridge::on_connected(natsConnection* nc, void* self) {
    // The first connection after a start with no server answering (later ones are reconnects).
    char url[256] = "";
    natsConnection_GetConnectedUrl(nc, url, sizeof url);
    std::cerr << "vigil-hub: nats: connected to " << url << "\n";
    static_cast<NatsBridge*>(self)->connected_ = true;
}

void NatsBridge::on_disconnected(natsConnection*, void* self) {
    auto* b = static_cast<NatsBridge*>(self);
    ++b->disconnects_;
    if (b->connected_.exchange(false)) std::cerr << "vigil-hub: nats: disconnected, reconnecting\n";
}

void NatsBridge::on_reconnected(natsConnection* nc, void* self) {
    auto* b = static_cast<NatsBridge*>(self);
    ++b->reconnects_;
    char url[256] = "";
    natsConnection_GetConnectedUrl(nc, url, sizeof url);
    std::cerr << "vigil-hub: nats: reconnected to " << url << "\n";
    b->connected_ = true;
}

void NatsBridge::on_error(natsConnection*, natsSubscription*, natsStatus s, void* self) {
    // Missed heartbeats of an ordered consumer, slow consumer... While NATS is away this comes
    // every second: the first few, then every 100th.
    auto* b = static_cast<NatsBridge*>(self);
    const auto n = b->async_errors_++;
    if (n < 5 || n % 100 == 0)
        std::cerr << "vigil-hub: nats: " << natsStatus_GetText(s) << " (async error " << n + 1 << ")\n";
}

}  // namespace vigil::hub::nats
