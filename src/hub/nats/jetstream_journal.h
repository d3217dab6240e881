// The shared journal: a JetStream stream several hubs read and exactly one collector appends
// to. seq is the stream sequence (contiguous); the epoch is the stream's name and creation time
// (a deleted and recreated stream is a new epoch). Reads are served from a copy of the retained
// frames kept in memory (bounded like the stream: --retention-frames, --retention-bytes), filled
// at start and then kept current by an ordered consumer, so no read blocks the hub's thread.
//
// Implemented features:
//  [X] the stream (file storage, replicas, limits from the retention flags) created when missing
//  [X] append = JetStream publish with Nats-Expected-Last-Sequence = seq - 1 (also for seq 1)
//      and Nats-Msg-Id <epoch>:<seq>:<hub id>: never two frames under one seq, never a seq
//      reused. A publish whose answer came too late (a failure) is published again at the next
//      tick; stored meanwhile, it is answered "duplicate" at that seq: stored (late_stores), the
//      hub writes on, and the stream keeps the first try's content (the frame that comes back)
//  [X] caught up at open when the retained frames have come: up to the stream's last seq, or a
//      frame sent with nothing pending after it (the last seq may hold no frame: a deleted
//      message leaves LastSeq where it was)
//  [X] one writer (WriterRole): a standby takes over after 2 silent intervals, or at its next
//      tick when the writer said it leaves (core NATS <stream>.writer: its id and last seq; no
//      note when its last publish got no answer: that seq may be stored late)
//  [X] the hub's id in message ids and headers is --hub-id plus a random suffix per process:
//      two hubs given one --hub-id (one hostname, PID 1 in containers) stay two writers' ids
//  [X] a hub whose NATS connection dropped stands by; back, it takes over only by the rule above
//  [X] live frames and the writer's catalog (stream NAME_CATALOG) come back through ordered
//      consumers, posted onto the hub's thread
//  [X] resume/backfill by seq and by time from memory; retention holes replay as `gap`
//  [X] no NATS node answering at start (or no stream to be had: no JetStream quorum): the hub
//      serves under a placeholder epoch with no frames (screens STALE) while the bridge's
//      worker keeps trying; once the stream is open and read, the epoch is the stream's and the
//      screens are told to reconnect now (they backfill: another epoch). Nothing is appended
//      before, so no seq is reused
//  [X] POST /ingest on any hub reaches every other hub's push store (core NATS subject
//      <stream>.ingest, at most once: a push is a gauge reading the next one replaces, and
//      while NATS is away no frame is stored anyway), so whichever hub writes samples it
//  [X] the hub's thread never calls into nats.c (whose reconnect holds the connection's lock for
//      seconds): pushes, previews and the leaving note go through the bridge's publisher thread,
//      dropped and counted while not connected or when its queue is full; subscriptions are
//      destroyed on the worker
//  [X] each open attempt's subscriptions carry its generation: what an earlier attempt's
//      subscription still delivers after a reopen is dropped (ConsumerInbox)
//  [X] previews: the writer sends every frame it samples on core NATS <stream>.preview as well
//      (a `preview`: no seq, never stored), also on ticks where its previous publish still waits
//      for the stream; each hub hands them to hub_server, which shows one to its screens only
//      when the stored frame of that tick is late. A stream leader killed (kill -9) leaves the
//      stream unable to store for 4-9 s (nats-server 2.9's raft election): the walls keep
//      showing fresh values meanwhile, and the stored frames fill the history after
//  [X] a stream deleted (or deleted and recreated) while hubs run: every hub asks for the
//      stream's identity every 5 s; another creation time, or no stream, and it reopens: its
//      copy, role and cursor go, it opens (creating it when missing) and reads the stream as at
//      start, and its screens reconnect into the new epoch (a standby takes the role by the
//      silence rule, seq 1 of the new stream after expected last seq 0)
//  [X] a stream back with fewer frames than it had acknowledged (a node's disk lost writes not
//      yet synced: a power cut on a one-replica stream, or on every node at once): the identity
//      check (at once after a publish refused for its expected sequence) sees a last seq below
//      what this hub holds, and the hub publishes the missing frames again from its copy, byte
//      for byte, each with the expected last sequence before it, so the seqs screens received
//      keep their contents and no seq is reused; then the writer writes on. Seqs this hub
//      stored but never got back are not restored (no screen got them either)
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <deque>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <string>
#include <vector>

#include "hub/frame_journal.h"
#include "hub/nats/consumer_inbox.h"
#include "hub/nats/nats_bridge.h"
#include "hub/nats/writer_role.h"

#include <nats/nats.h>

namespace vigil::hub::nats {

struct JetStreamOptions {
    std::vector<std::string> urls;
    std::string stream = "VIGIL";
    int replicas = 1;
    std::uint64_t max_records = 86400;  // 0: no limit
    std::uint64_t max_bytes = 256u << 20;  // 0: no limit
    int interval_ms = 1000;
    std::string writer_id;              // --hub-id: the readable part of this hub's id (writer_id())
    int catch_up_timeout_ms = 30000;    // reading the retained frames at start
};

// "js-<stream>-<creation time in ns, hex>": a recreated stream never reuses an epoch.
std::string stream_epoch(const std::string& stream, std::int64_t created_ns);
// "js-<stream>-pending": served while the stream is not open yet (never a stream's: not hex).
std::string pending_epoch(const std::string& stream);
// "<hub id>~<8 random hex digits>": this process's id in message ids and headers.
std::string instance_id(const std::string& hub_id);
// A frame's Nats-Msg-Id: "<epoch>:<seq>:<hub id>". The hub's id in it tells a repeat of this
// hub's own publish (the stream answers "duplicate" with the seq it stored) from another hub's
// frame under that seq (another id: refused by the expected last sequence).
std::string frame_msg_id(const std::string& epoch, Seq seq, const std::string& hub_id);

// What a frame's publish answer says.
struct PublishAnswer {
    PublishOutcome outcome = PublishOutcome::failed;
    bool earlier = false;  // stored, by this hub's earlier publish of that seq (a late answer)
    std::string why;       // for the log (lost_race; failed: filled in by the caller)
};
PublishAnswer read_publish_answer(natsStatus s, const jsPubAck* ack, jsErrCode jerr, Seq seq);

class JetStreamJournal final : public FrameJournal {
public:
    // Connects, creates or opens the streams, reads the retained frames. When NATS does not
    // answer (or the stream cannot be had yet) the journal is returned anyway, waiting: epoch
    // pending_epoch(), nothing to read, never the writer, until the worker thread has opened the
    // stream (status() "state"). nullptr and *error only when no connection can be made at all.
    static std::unique_ptr<JetStreamJournal> open(JetStreamOptions options, std::string* error);
    ~JetStreamJournal() override;

    const std::string& epoch() const override { return epoch_; }
    Seq head_seq() const override;
    Seq next_seq() const override;
    Seq oldest_seq() const override { return open_ && !cache_.empty() ? cache_.front().seq : 0; }
    std::int64_t oldest_t_ms() const override { return open_ && !cache_.empty() ? cache_.front().t_ms : 0; }
    std::uint64_t record_count() const override { return cache_.size(); }
    std::uint64_t byte_size() const override { return cache_bytes_; }
    std::uint64_t appends() const override { return appends_; }

    bool append(Seq seq, std::int64_t t_ms, std::string_view payload, std::string* error = nullptr) override;
    bool sync_if_due(std::string*) override { return true; }  // JetStream acks a frame once stored
    void close() override;
    void stop_writing() override;

    std::vector<JournalRecord> read_range(Seq from, std::size_t max_count) const override;
    std::optional<Seq> seq_at_or_after(std::int64_t t_ms) const override;
    const std::vector<std::string>& quarantined() const override { return no_files_; }
    const LatencyHistogram& fsync_latency() const override { return no_fsync_; }

    bool shared() const override { return true; }
    bool may_append() override;
    void attach(SharedJournalHooks hooks) override;
    void publish_catalog(const std::shared_ptr<const std::string>& catalog) override;
    void forward_push(ForwardedPush push) override;
    bool wants_preview() const override { return open_ && !leaving_ && role_.active(); }
    void publish_preview(std::int64_t t_ms, const std::shared_ptr<const std::string>& text) override;
    std::vector<std::pair<std::string, std::string>> status() const override;

    // For the log line at start.
    std::uint64_t retained_at_start() const { return retained_at_start_; }
    // In message ids and headers: --hub-id plus this process's random suffix (instance_id()).
    const std::string& writer_id() const { return id_; }
    bool is_open() const { return open_; }

private:
    struct Frame {
        Seq seq;
        std::int64_t t_ms;
        std::shared_ptr<const std::string> payload;
    };
    using Inbound = Delivery;
    // What the stream said when it was opened.
    struct StreamFacts {
        std::int64_t created_ns = 0;
        Seq last_seq = 0;         // the stream's last seq (retained or not)
        std::uint64_t msgs = 0;   // retained
        bool has_catalog = false;
    };
    enum State { state_connecting = 0, state_opening = 1, state_open = 2 };

    explicit JetStreamJournal(JetStreamOptions options);
    bool start(std::string* error);
    // One try: both streams created or found, both ordered consumers subscribed. Any thread
    // but the hub's (it waits for NATS answers).
    bool open_streams(StreamFacts* facts, std::string* error);
    // s: a subscribe's status; on success `fresh` goes into `slot`, else *error = what + the reason.
    bool keep_subscription(natsStatus s, natsSubscription* fresh, natsSubscription*& slot, const std::string& what,
                           std::string* error);
    // delete_consumers: also delete the consumers nats.c created (a JetStream request waited
    // for); else only unsubscribe. Never on the hub's thread (reopen() hands them to the worker).
    void drop_subscriptions(bool delete_consumers = true);
    // Under the lock: the subscriptions go, with what they delivered; a new open attempt begins.
    std::vector<natsSubscription*> take_subscriptions();
    static void destroy_subscriptions(const std::vector<natsSubscription*>& subs, bool delete_consumers);
    // The closure of this open attempt's subscriptions: this journal's id and the attempt's
    // generation as a number (closure_registry.h), since nats.c may call back with it after a
    // subscription's destruction, or after the journal's.
    void* attempt_closure();
    // Queues the worker job that retries open_streams until it works or the journal closes.
    void open_in_background();
    bool caught_up() const;
    void become_open();
    // nats.c's handlers; `closure` is attempt_closure()'s.
    static void on_frame_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure);
    static void on_catalog_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure);
    static void on_push_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure);
    static void on_writer_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure);
    static void on_preview_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure);
    void send_leaving_note();
    void check_connection();  // the hub's thread: a drop seen by nats.c makes this hub stand by
    // What the handlers read, for the attempt whose generation's low bits are `generation_low`
    // (ClosureRegistry::complete); an earlier attempt's is dropped.
    void receive(std::uint64_t generation_low, Inbound in);
    void receive_push(std::uint64_t generation_low, ForwardedPush push);
    void receive_writer_note(std::uint64_t generation_low, const std::string& writer, Seq last);
    void drain();  // the hub's thread (or start(), before the hub runs)
    // The publisher thread's answer for a push or a preview (counted; logged now and then).
    void core_sent(natsStatus s, bool push, std::size_t bytes);
    void core_not_queued(CoreQueued why, bool push, std::size_t bytes);
    void keep(Frame f);
    void published(const PublishAnswer& answer, Seq seq);
    void send_catalog_if_new();
    // Every 5 s (from may_append, on every hub): the stream's creation time, on the worker.
    void check_identity();
    // The stream is gone or another: back to opening, as at start (the hub's thread).
    void reopen(const std::string& why);
    // The stream's last seq is below `known`, what this hub held when it asked: the stream lost
    // frames it had stored. Publishes this hub's copies of them again (the hub's thread).
    void restore_lost(Seq stream_last, Seq known);
    // On the worker: one frame published under `seq` with Nats-Expected-Last-Sequence seq - 1.
    // writer: the Vigil-Writer header (empty: none, a restored frame names no writer).
    PublishAnswer publish_frame(Seq seq, std::int64_t t_ms, const std::string& payload, const std::string& msg_id,
                                const std::string& writer, const std::string& restored_by);
    std::int64_t now_ms() const;

    JetStreamOptions opt_;
    std::string id_;  // instance_id(opt_.writer_id)
    std::string frames_subject_, catalog_stream_, catalog_subject_, ingest_subject_, writer_subject_, preview_subject_;
    std::unique_ptr<NatsBridge> bridge_;
    natsSubscription* frames_sub_ = nullptr;
    natsSubscription* catalog_sub_ = nullptr;
    natsSubscription* ingest_sub_ = nullptr;
    natsSubscription* writer_sub_ = nullptr;
    natsSubscription* preview_sub_ = nullptr;
    std::string epoch_;
    Seq stream_last_at_start_ = 0;  // the stream's last seq when opened (retained or not)
    std::uint64_t retained_at_start_ = 0;

    // Shared with nats.c's threads.
    mutable std::mutex mu_;
    std::condition_variable arrived_;
    ConsumerInbox inbox_;
    std::uint32_t closure_id_ = 0;  // ClosureRegistry's, for this journal's lifetime
    std::vector<natsSubscription*> orphan_subs_;  // the worker's queue was full: destroyed at the end
    std::optional<StreamFacts> opened_;  // from the worker, taken by drain()
    std::vector<ForwardedPush> pushes_in_;  // from other hubs, taken by drain(); bounded
    std::optional<std::pair<std::string, Seq>> writer_left_;  // another hub's leaving note, taken by drain()
    std::size_t pushes_in_bytes_ = 0;
    std::uint64_t pushes_received_ = 0, pushes_dropped_ = 0;
    std::string open_error_;             // the last try's, while not open
    std::atomic<int> state_{state_connecting};
    bool drain_posted_ = false;
    bool closed_ = false;
    PostToHub post_;

    // The hub's thread only.
    SharedJournalHooks hooks_;
    bool open_ = false;  // the stream is open and read: the real epoch is served
    std::optional<StreamFacts> facts_;
    std::deque<Frame> cache_;
    std::uint64_t cache_bytes_ = 0;
    bool read_all_ = false;  // a frame drained came with nothing pending after it (caught_up)
    Seq last_stored_ = 0;  // newest seq this hub's publishes stored (may be ahead of the cache)
    WriterRole role_;
    bool leaving_ = false;              // stop_writing(): the note goes out once no publish is in flight
    std::uint64_t disconnects_seen_ = 0;
    std::uint64_t appends_ = 0;
    std::uint64_t publish_failures_ = 0;
    std::uint64_t late_stores_ = 0;  // stored by an earlier publish whose answer came late (PublishAnswer::earlier)
    std::uint64_t previews_received_ = 0;
    // Core publishes, counted on the publisher thread (and the hub's, for drops before queuing).
    std::atomic<std::uint64_t> pushes_forwarded_{0}, previews_published_{0};
    std::atomic<std::uint64_t> preview_failures_{0};
    std::atomic<std::uint64_t> push_forward_failures_{0};
    std::atomic<std::uint64_t> push_forward_drops_{0}, preview_drops_{0};  // not sent: NATS away or queue full
    std::atomic<std::uint64_t> core_queue_full_{0};  // of those drops, for a full publisher queue
    std::uint64_t failure_streak_ = 0;
    std::shared_ptr<const std::string> own_catalog_;   // the sampler's, as last given
    std::shared_ptr<const std::string> stream_catalog_;  // the newest the catalog stream holds
    bool catalog_in_flight_ = false;
    std::uint64_t generation_ = 0;  // +1 per reopen: answers about the old stream are dropped
    bool identity_check_in_flight_ = false;
    std::int64_t identity_checked_ms_ = 0;
    std::uint64_t reopens_ = 0;
    bool restore_in_flight_ = false;  // restore_lost()'s publishes run on the worker: no tick published meanwhile
    std::uint64_t restores_ = 0;      // restore_lost() found frames to publish again
    std::uint64_t frames_restored_ = 0;
    std::uint64_t restore_failures_ = 0;  // refused, failed, or this hub's copy does not reach back far enough
    std::vector<std::string> no_files_;
    LatencyHistogram no_fsync_;
};

}  // namespace vigil::hub::nats
