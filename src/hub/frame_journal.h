// The journal seam: what the hub (tick, sessions, replay, /healthz, /metrics) asks of the store
// of samples frames. Two implementations: the local Journal (one process, segment files; the
// default) and nats::JetStreamJournal (a JetStream stream several hubs share, --nats).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hub/latency_histogram.h"
#include "protocol/messages.h"
#include "protocol/replay_plan.h"

namespace vigil::hub {

using protocol::Seq;

struct JournalRecord {
    Seq seq = 0;
    std::int64_t t_ms = 0;
    std::string payload;
};

// A POST /ingest body one hub accepted, handed to the other hubs sharing the stream (only the
// writer samples, but a push may reach any hub behind the same address).
struct ForwardedPush {
    std::string content_type;
    std::optional<std::string> precision;  // the request's ?precision=
    std::string body;
    std::int64_t unix_ms = 0;  // when the receiving hub got it
};

// Runs a function on the hub's thread (asio::post onto its io_context), from any thread.
using PostToHub = std::function<void(std::function<void()>)>;
// What a shared journal calls on the hub's thread: a frame stored by any hub (seq, t and the
// payload as stored), and the writer's catalog when it changes.
struct SharedJournalHooks {
    PostToHub post;
    std::function<void(Seq, std::int64_t t_ms, const std::shared_ptr<const std::string>&)> on_frame;
    std::function<void(const std::shared_ptr<const std::string>&)> on_catalog;
    // The epoch changed (a journal that started waiting for its store has opened it): screens
    // welcomed under the old one must reconnect to learn the new one.
    std::function<void()> on_epoch;
    // A push another hub received (never one this hub forwarded itself).
    std::function<void(const ForwardedPush&)> on_push;
    // The writer's preview of a frame it sampled (an encoded `preview`, hub time t_ms): shown
    // to screens only when the stored frame of that tick is late (hub_server holds it briefly).
    std::function<void(std::int64_t t_ms, const std::shared_ptr<const std::string>&)> on_preview;
};

// Thread-safety: every call from the hub's thread (listeners are called there too).
class FrameJournal {
public:
    virtual ~FrameJournal() = default;

    // Identity and bounds. seqs are comparable only within one epoch.
    virtual const std::string& epoch() const = 0;
    // Newest seq issued in this epoch (0: none yet); every seq up to it was stored or is lost.
    virtual Seq head_seq() const = 0;
    // The seq the next append must use.
    virtual Seq next_seq() const { return head_seq() + 1; }
    virtual Seq oldest_seq() const = 0;  // 0: nothing retained
    virtual std::int64_t oldest_t_ms() const = 0;
    virtual std::uint64_t record_count() const = 0;
    virtual std::uint64_t byte_size() const = 0;
    virtual std::uint64_t appends() const = 0;

    // Appends one frame under `seq` (= next_seq()). false, with *error: nothing stored, the hub
    // must not broadcast it. A shared journal answers true when the frame was handed on: it is
    // stored (or refused) later, and stored frames come back through the frame listener.
    virtual bool append(Seq seq, std::int64_t t_ms, std::string_view payload, std::string* error = nullptr) = 0;
    // Durability bound (local journal: fsync when due). Called every tick.
    virtual bool sync_if_due(std::string* error = nullptr) = 0;
    // Stops appending; idempotent. A local journal records a clean shutdown.
    virtual void close() = 0;
    // (Shared) stops appending but keeps delivering what the stream stores: a stopping hub hands
    // its screens over meanwhile. A writer tells the other hubs it leaves, so one takes over at
    // once. close() follows. The local journal has no other writer: nothing to do.
    virtual void stop_writing() {}

    // Up to max_count retained records with seq >= from, ascending (holes: lost or retained away).
    virtual std::vector<JournalRecord> read_range(Seq from, std::size_t max_count) const = 0;
    // The first retained record with t >= t_ms.
    virtual std::optional<Seq> seq_at_or_after(std::int64_t t_ms) const = 0;
    protocol::JournalView view() const { return protocol::JournalView{epoch(), head_seq(), oldest_seq(), oldest_t_ms()}; }

    // Local details /healthz and /metrics show (a shared journal has none of them).
    virtual const std::vector<std::string>& quarantined() const = 0;
    virtual const LatencyHistogram& fsync_latency() const = 0;

    // (Optional) a journal other processes append to as well.
    // Shared: frames are broadcast when they come back through the listener, not when appended.
    virtual bool shared() const { return false; }
    // Whether this hub should sample and append this tick (shared: only while it is the writer,
    // or when the writer has been silent long enough to take over).
    virtual bool may_append() { return true; }
    // (Shared) whether this hub is the writer: it sends a preview of every frame it samples, and
    // samples for a preview only on a tick where may_append() says no because its previous
    // publish still waits for the stream (a stream leader's election takes seconds).
    virtual bool wants_preview() const { return false; }
    // Hands a preview of this tick's frame to every hub (their on_preview, this one's too); never blocks.
    virtual void publish_preview(std::int64_t, const std::shared_ptr<const std::string>&) {}
    // Wires the shared journal to the hub's thread; called once before the hub's loop runs.
    virtual void attach(SharedJournalHooks) {}
    // The catalog as the writer sees it: a shared journal hands it to every hub.
    virtual void publish_catalog(const std::shared_ptr<const std::string>&) {}
    // Hands a push this hub ingested to the other hubs (their on_push); never blocks.
    virtual void forward_push(ForwardedPush) {}
    // Name/value pairs /healthz shows under "journal_status" (none for the local journal).
    virtual std::vector<std::pair<std::string, std::string>> status() const { return {}; }
};

}  // namespace vigil::hub
