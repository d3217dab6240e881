// A hub's nats.c connection, bridged into the hub's single thread without blocking it: nats.c
// runs its own threads (socket reads, reconnects, subscription callbacks); calls that wait for a
// server answer (JetStream publish) run on this bridge's one worker thread, in order, and core
// publishes (no answer) on its publisher thread. Whatever comes back reaches the hub only through
// the PostToHub its owner passes on. The hub's thread never calls into nats.c: nats.c 3.4.1's
// reconnect thread holds the connection's lock while it opens TCP and waits for a server's INFO
// (up to the 2 s timeout per node), and every publish needs that lock.
//
// Implemented features:
//  [X] several server URLs, reconnecting forever (every 250 ms), connection state as an atomic
//  [X] no server answering at start: the bridge is made anyway and nats.c keeps trying in the
//      background (RetryOnFailedConnect); connected() turns true when one answers
//  [X] a bounded job queue for blocking calls; stop() refuses new jobs, the destructor joins
//  [X] core publishes (at most once) queued for the publisher thread, bounded (messages, bytes);
//      refused at once while not connected; what stop() finds queued still goes out (a leaving note)
//  [ ] TLS, credentials (nats.c supports them; no flag passes them yet)
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nats/nats.h>

namespace vigil::hub::nats {

// A core NATS message (no answer waited for), built and published on the publisher thread.
struct CoreMessage {
    std::string subject;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // On the publisher thread once nats.c took it (NATS_OK) or refused it; not connected any more
    // when its turn came: NATS_CONNECTION_DISCONNECTED, nothing sent. Optional.
    std::function<void(natsStatus)> sent;
};

enum class CoreQueued {
    queued,        // `sent` runs later
    disconnected,  // not connected now: dropped at once (at most once anyway)
    full,          // kMaxCoreMessages / kMaxCoreBytes waiting: dropped
    stopped,
};

class NatsBridge {
public:
    // Connects to the first reachable of `urls`. When none answers the bridge is returned
    // anyway, not connected, and nats.c keeps trying in the background. nullptr and *error only
    // for what retrying cannot mend (a malformed URL, no memory).
    static std::unique_ptr<NatsBridge> connect(const std::vector<std::string>& urls, const std::string& name,
                                               std::string* error);
    ~NatsBridge();
    NatsBridge(const NatsBridge&) = delete;
    NatsBridge& operator=(const NatsBridge&) = delete;

    natsConnection* connection() const { return nc_; }
    jsCtx* jetstream() const { return js_; }
    bool connected() const { return connected_.load(); }
    std::uint64_t reconnects() const { return reconnects_.load(); }
    // Disconnections seen (nats.c's disconnected callback): a change tells the owner the
    // connection dropped, even when it is back before the owner looks.
    std::uint64_t disconnects() const { return disconnects_.load(); }

    // Runs `job` on the worker thread after the jobs before it. false when stopping or when
    // kMaxJobs are already waiting (the caller counts it as a failure: nothing was sent).
    bool run_blocking(std::function<void()> job);
    // No new jobs; the one running finishes. The destructor joins.
    void stop();
    // stop(), then waits for the job running to end (the destructor does it too).
    void join();
    // For a job that retries: waits `ms` (false at once when stop() was called meanwhile).
    bool pause(int ms);
    // Any thread, never waits: queues `m` for the publisher thread (see CoreQueued). One message
    // larger than kMaxCoreBytes is taken when nothing else waits.
    CoreQueued publish_core(CoreMessage m);

    static constexpr std::size_t kMaxJobs = 16;
    static constexpr std::size_t kMaxCoreMessages = 1024;
    static constexpr std::size_t kMaxCoreBytes = 16u << 20;

private:
    NatsBridge() = default;
    void work();
    void publish_queued();
    static void on_connected(natsConnection*, void* self);
    static void on_disconnected(natsConnection*, void* self);
    static void on_reconnected(natsConnection*, void* self);
    static void on_error(natsConnection*, natsSubscription*, natsStatus, void* self);

    natsOptions* opts_ = nullptr;
    natsConnection* nc_ = nullptr;
    jsCtx* js_ = nullptr;
    std::atomic<bool> connected_{false};
    std::atomic<std::uint64_t> reconnects_{0};
    std::atomic<std::uint64_t> disconnects_{0};
    std::atomic<std::uint64_t> async_errors_{0};
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::thread worker_;
    std::condition_variable core_cv_;
    std::deque<CoreMessage> core_;
    std::size_t core_bytes_ = 0;
    std::thread publisher_;
};

// nats.c's text for the last error on this thread (or the status's text).
std::string nats_error_text(natsStatus s);

}  // namespace vigil::hub::nats
