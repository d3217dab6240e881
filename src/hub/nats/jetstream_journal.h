// The shared journal: a JetStream stream several hubs read and exactly one collector appends
// to. seq is the stream sequence (contiguous); the epoch is the stream's name and creation time
// (a deleted and recreated stream is a new epoch). Reads are served from a copy of the retained
// frames kept in memory (bounded like the stream: --retention-frames, --retention-bytes), filled
// at start and then kept current by an ordered consumer, so no read blocks the hub's thread.
//
// Implemented features:
//  [X] the stream (file storage, replicas, limits from the retention flags) created when missing
//  [X] append = JetStream publish with Nats-Expected-Last-Sequence = seq - 1 (also for seq 1)
//      and Nats-Msg-Id: never two frames under one seq, never a seq reused
//  [X] one writer (WriterRole): a standby takes over after 2 silent intervals
//  [X] live frames and the writer's catalog (stream NAME_CATALOG) come back through ordered
//      consumers, posted onto the hub's thread
//  [X] resume/backfill by seq and by time from memory; retention holes replay as `gap`
//  [ ] a stream deleted while hubs run: they keep the old epoch until restarted
//  [ ] a hub cannot start while no NATS node answers (it keeps running when they go later)
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <string>
#include <vector>

#include "hub/frame_journal.h"
#include "hub/nats/writer_role.h"

#include <nats/nats.h>

namespace vigil::hub::nats {

class NatsBridge;

struct JetStreamOptions {
    std::vector<std::string> urls;
    std::string stream = "VIGIL";
    int replicas = 1;
    std::uint64_t max_records = 86400;  // 0: no limit
    std::uint64_t max_bytes = 256u << 20;  // 0: no limit
    int interval_ms = 1000;
    std::string writer_id;              // in each frame's Vigil-Writer header
    int catch_up_timeout_ms = 30000;    // reading the retained frames at start
};

// "js-<stream>-<creation time in ns, hex>": a recreated stream never reuses an epoch.
std::string stream_epoch(const std::string& stream, std::int64_t created_ns);

class JetStreamJournal final : public FrameJournal {
public:
    // Connects, creates or opens the streams, reads the retained frames. nullptr and *error
    // when NATS is unreachable or refuses.
    static std::unique_ptr<JetStreamJournal> open(JetStreamOptions options, std::string* error);
    ~JetStreamJournal() override;

    const std::string& epoch() const override { return epoch_; }
    Seq head_seq() const override;
    Seq next_seq() const override;
    Seq oldest_seq() const override { return cache_.empty() ? 0 : cache_.front().seq; }
    std::int64_t oldest_t_ms() const override { return cache_.empty() ? 0 : cache_.front().t_ms; }
    std::uint64_t record_count() const override { return cache_.size(); }
    std::uint64_t byte_size() const override { return cache_bytes_; }
    std::uint64_t appends() const override { return appends_; }

    bool append(Seq seq, std::int64_t t_ms, std::string_view payload, std::string* error = nullptr) override;
    bool sync_if_due(std::string*) override { return true; }  // JetStream acks a frame once stored
    void close() override;

    std::vector<JournalRecord> read_range(Seq from, std::size_t max_count) const override;
    std::optional<Seq> seq_at_or_after(std::int64_t t_ms) const override;
    const std::vector<std::string>& quarantined() const override { return no_files_; }
    const LatencyHistogram& fsync_latency() const override { return no_fsync_; }

    bool shared() const override { return true; }
    bool may_append() override;
    void attach(SharedJournalHooks hooks) override;
    void publish_catalog(const std::shared_ptr<const std::string>& catalog) override;
    std::vector<std::pair<std::string, std::string>> status() const override;

    // For the log line at start.
    std::uint64_t retained_at_start() const { return retained_at_start_; }

private:
    struct Frame {
        Seq seq;
        std::int64_t t_ms;
        std::shared_ptr<const std::string> payload;
    };
    struct Inbound {
        bool catalog;
        Seq seq;
        std::int64_t t_ms;
        std::shared_ptr<const std::string> payload;
    };

    explicit JetStreamJournal(JetStreamOptions options);
    bool start(std::string* error);
    static void on_frame_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* self);
    static void on_catalog_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* self);
    void receive(Inbound in);
    void drain();  // the hub's thread (or start(), before the hub runs)
    void keep(Frame f);
    void published(PublishOutcome outcome, Seq seq, const std::string& error);
    void send_catalog_if_new();
    std::int64_t now_ms() const;

    JetStreamOptions opt_;
    std::string frames_subject_, catalog_stream_, catalog_subject_;
    std::unique_ptr<NatsBridge> bridge_;
    natsSubscription* frames_sub_ = nullptr;
    natsSubscription* catalog_sub_ = nullptr;
    std::string epoch_;
    Seq stream_last_at_start_ = 0;  // the stream's last seq when opened (retained or not)
    std::uint64_t retained_at_start_ = 0;

    // Shared with nats.c's threads.
    std::mutex mu_;
    std::condition_variable arrived_;
    std::vector<Inbound> inbox_;
    Seq inbox_last_seq_ = 0;
    bool catalog_arrived_ = false;
    bool drain_posted_ = false;
    bool closed_ = false;
    PostToHub post_;

    // The hub's thread only.
    SharedJournalHooks hooks_;
    std::deque<Frame> cache_;
    std::uint64_t cache_bytes_ = 0;
    Seq last_stored_ = 0;  // newest seq this hub's publishes stored (may be ahead of the cache)
    WriterRole role_;
    std::uint64_t appends_ = 0;
    std::uint64_t publish_failures_ = 0;
    std::uint64_t failure_streak_ = 0;
    std::shared_ptr<const std::string> own_catalog_;   // the sampler's, as last given
    std::shared_ptr<const std::string> stream_catalog_;  // the newest the catalog stream holds
    bool catalog_in_flight_ = false;
    std::vector<std::string> no_files_;
    LatencyHistogram no_fsync_;
};

}  // namespace vigil::hub::nats
