// The JetStream journal: streams, catch-up at start, the publish path and the ordered consumers.
#include "hub/nats/jetstream_journal.h"

#include "hub/nats/closure_registry.h"
#include "hub/nats/nats_bridge.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

namespace vigil::hub::nats {

namespace {

constexpr const char* kWriterHeader = "Vigil-Writer";
constexpr const char* kTimeHeader = "Vigil-T";
constexpr const char* kHubHeader = "Vigil-Hub";             // a forwarded push: who received it
constexpr const char* kRestoredHeader = "Vigil-Restored-By";  // a frame the stream had lost, published again
constexpr std::size_t kMaxRestorePerJob = 1000;  // frames; the rest at the next identity check
constexpr const char* kContentTypeHeader = "Content-Type";  // ... its request's content type
constexpr const char* kPrecisionHeader = "Vigil-Precision";  // ... and ?precision=
constexpr std::size_t kMaxPushesQueued = 4096;
constexpr std::size_t kMaxPushBytesQueued = 64u << 20;

void log(const std::string& line) { std::cerr << "vigil-hub: nats: " << line << "\n"; }

// Creates the stream when it does not exist; either way returns its info (caller destroys).
jsStreamInfo* ensure_stream(jsCtx* js, const jsStreamConfig& wanted, std::string* error) {
    jsStreamInfo* info = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&info, js, wanted.Name, nullptr, &jerr);
    if (s == NATS_OK) return info;
    if (s != NATS_NOT_FOUND && jerr != JSStreamNotFoundErr) {
        if (error) *error = std::string("stream ") + wanted.Name + ": " + nats_error_text(s);
        return nullptr;
    }
    s = js_AddStream(&info, js, const_cast<jsStreamConfig*>(&wanted), nullptr, &jerr);
    if (s == NATS_OK) {
        log(std::string("created stream ") + wanted.Name + " (file storage, " + std::to_string(wanted.Replicas) +
            " replica(s))");
        return info;
    }
    // Another hub created it at the same moment: use theirs.
    s = js_GetStreamInfo(&info, js, wanted.Name, nullptr, &jerr);
    if (s == NATS_OK) return info;
    if (error) *error = std::string("cannot create stream ") + wanted.Name + ": " + nats_error_text(s);
    return nullptr;
}

// The JetStream stream sequence, how many messages the stream held after it when it was sent,
// and our t header of a delivered message.
bool read_meta(natsMsg* msg, Seq* seq, std::uint64_t* pending, std::int64_t* t_ms) {
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) return false;
    *seq = meta->Sequence.Stream;
    *pending = meta->NumPending;
    *t_ms = meta->Timestamp / 1000000;
    jsMsgMetaData_Destroy(meta);
    const char* t = nullptr;
    if (natsMsgHeader_Get(msg, kTimeHeader, &t) == NATS_OK && t) *t_ms = std::strtoll(t, nullptr, 10);
    return true;
}

}  // namespace

std::string pending_epoch(const std::string& stream) { return "js-" + stream + "-pending"; }

std::string stream_epoch(const std::string& stream, std::int64_t created_ns) {
    static const char* hex = "0123456789abcdef";
    std::string h;
    auto v = static_cast<std::uint64_t>(created_ns);
    do {
        h.insert(h.begin(), hex[v & 0xF]);
        v >>= 4;
    } while (v);
    return "js-" + stream + "-" + h;
}

std::string instance_id(const std::string& hub_id) {
    std::random_device rd;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "~%08x", static_cast<unsigned>(rd()));
    return hub_id + suffix;
}

std::string frame_msg_id(const std::string& epoch, Seq seq, const std::string& hub_id) {
    return epoch + ":" + std::to_string(seq) + ":" + hub_id;
}

PublishAnswer read_publish_answer(natsStatus s, const jsPubAck* ack, jsErrCode jerr, Seq seq) {
    PublishAnswer a;
    if (s == NATS_OK && ack && !ack->Duplicate && ack->Sequence == seq) {
        a.outcome = PublishOutcome::stored;
    } else if (s == NATS_OK && ack && ack->Duplicate && ack->Sequence == seq) {
        // The id is this hub's own (it names the hub): what the stream holds under seq is our
        // earlier publish, whose answer was lost or late. Another hub's frame under seq has
        // another id and is refused by the expected last sequence instead (below).
        a.outcome = PublishOutcome::stored;
        a.earlier = true;
    } else if (s == NATS_OK && ack) {
        a.outcome = PublishOutcome::lost_race;  // not expected (the seq is in the id): never the writer on it
        a.why = std::string(ack->Duplicate ? "duplicate id" : "stored") + " as seq " + std::to_string(ack->Sequence);
    } else if (jerr == JSStreamWrongLastSequenceErr) {
        a.outcome = PublishOutcome::lost_race;
        a.why = "wrong last sequence";
    }
    return a;
}

JetStreamJournal::JetStreamJournal(JetStreamOptions options)
    : opt_(std::move(options)), id_(instance_id(opt_.writer_id)), role_(opt_.interval_ms, 0) {
    frames_subject_ = opt_.stream + ".frames";
    catalog_stream_ = opt_.stream + "_CATALOG";
    catalog_subject_ = opt_.stream + ".catalog";
    ingest_subject_ = opt_.stream + ".ingest";
    writer_subject_ = opt_.stream + ".writer";
    preview_subject_ = opt_.stream + ".preview";
    role_ = WriterRole(opt_.interval_ms, now_ms());
    closure_id_ = ClosureRegistry::add(this);
}

std::unique_ptr<JetStreamJournal> JetStreamJournal::open(JetStreamOptions options, std::string* error) {
    std::unique_ptr<JetStreamJournal> j(new JetStreamJournal(std::move(options)));
    if (!j->start(error)) return nullptr;
    return j;
}

JetStreamJournal::~JetStreamJournal() {
    close();
    ClosureRegistry::remove(closure_id_);  // after a handler running now; none reaches this journal after it
    // The worker first (it may be opening the streams), then the subscriptions, then the
    // connection they belong to.
    if (bridge_) bridge_->join();
    drop_subscriptions();
    destroy_subscriptions(orphan_subs_, false);
    bridge_.reset();
}

std::int64_t JetStreamJournal::now_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool JetStreamJournal::start(std::string* error) {
    bridge_ = NatsBridge::connect(opt_.urls, "vigil-hub " + id_, error);
    if (!bridge_) return false;
    epoch_ = pending_epoch(opt_.stream);
    if (!bridge_->connected()) {
        open_in_background();
        return true;
    }
    // NATS answers: open and read the stream before the hub serves anything, so its very first
    // welcome already names the stream's epoch. A cluster just started has no JetStream meta
    // leader for a few seconds: try for 15 s (before the hub runs: nothing else to do).
    state_ = state_opening;
    StreamFacts facts;
    std::string why;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    bool opened = false;
    while (!(opened = open_streams(&facts, &why)) && std::chrono::steady_clock::now() < give_up) {
        drop_subscriptions();
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    // Serve nothing before holding what the stream retained: a welcome's head must be readable.
    // Nor with its own catalog when the writer's is there to be read.
    if (opened && (facts.msgs > 0 || facts.has_catalog)) {
        std::unique_lock<std::mutex> lock(mu_);
        opened = arrived_.wait_for(lock, std::chrono::milliseconds(opt_.catch_up_timeout_ms), [&] {
            return (facts.msgs == 0 || inbox_.last_seq() >= facts.last_seq || inbox_.read_all()) &&
                   (!facts.has_catalog || inbox_.catalog_arrived());
        });
        if (!opened)
            why = "stream " + opt_.stream + ": read up to seq " + std::to_string(inbox_.last_seq()) + " of " +
                  std::to_string(facts.last_seq) + " in " + std::to_string(opt_.catch_up_timeout_ms) + " ms";
    }
    if (!opened) {
        // Not fatal: the hub comes up waiting, like one started with every NATS node down.
        log(why + "; serving without frames, trying again in the background");
        drop_subscriptions();
        {
            std::lock_guard<std::mutex> lock(mu_);
            open_error_ = why;  // shown at once, not only after the first background try
        }
        open_in_background();
        return true;
    }
    {
        std::lock_guard<std::mutex> lock(mu_);
        opened_ = facts;
    }
    drain();  // takes the facts and the retained frames: open
    return true;
}

bool JetStreamJournal::open_streams(StreamFacts* facts, std::string* error) {
    jsCtx* js = bridge_->jetstream();
    const char* frames_subjects[] = {frames_subject_.c_str()};
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    sc.Name = opt_.stream.c_str();
    sc.Subjects = frames_subjects;
    sc.SubjectsLen = 1;
    sc.Storage = js_FileStorage;
    sc.Replicas = opt_.replicas;
    sc.Discard = js_DiscardOld;
    sc.MaxMsgs = opt_.max_records ? static_cast<std::int64_t>(opt_.max_records) : -1;
    sc.MaxBytes = opt_.max_bytes ? static_cast<std::int64_t>(opt_.max_bytes) : -1;
    jsStreamInfo* info = ensure_stream(js, sc, error);
    if (!info) return false;
    facts->created_ns = info->Created;
    facts->last_seq = info->State.LastSeq;
    facts->msgs = info->State.Msgs;
    jsStreamInfo_Destroy(info);

    const char* catalog_subjects[] = {catalog_subject_.c_str()};
    jsStreamConfig cc;
    jsStreamConfig_Init(&cc);
    cc.Name = catalog_stream_.c_str();
    cc.Subjects = catalog_subjects;
    cc.SubjectsLen = 1;
    cc.Storage = js_FileStorage;
    cc.Replicas = opt_.replicas;
    cc.MaxMsgs = 1;  // only the newest catalog matters
    cc.Discard = js_DiscardOld;
    info = ensure_stream(js, cc, error);
    if (!info) return false;
    facts->has_catalog = info->State.Msgs > 0;
    jsStreamInfo_Destroy(info);

    // Every subscription of this attempt calls back with its closure: a reopen (or a failed try)
    // begins another generation, and what these still deliver then is dropped. Nothing is
    // allocated per attempt (a cluster refusing consumers is retried every 0.5 s for months).
    void* closure = attempt_closure();

    // Ordered consumers: in order, no acks, recreated by nats.c 3.4 from the next seq when a gap
    // says the server lost track. Missed heartbeats (0.5 s) are only reported: a consumer whose
    // leader died waits for its own raft election (README: the leader kill's figures).
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Ordered = true;
    so.Stream = opt_.stream.c_str();
    so.Config.DeliverPolicy = js_DeliverAll;
    so.Config.Heartbeat = 500LL * 1000 * 1000;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsSubscription* fresh = nullptr;
    natsStatus s = js_Subscribe(&fresh, js, frames_subject_.c_str(), &JetStreamJournal::on_frame_msg, closure,
                                nullptr, &so, &jerr);
    if (!keep_subscription(s, fresh, frames_sub_, "cannot consume stream " + opt_.stream, error)) return false;
    jsSubOptions co;
    jsSubOptions_Init(&co);
    co.Ordered = true;
    co.Stream = catalog_stream_.c_str();
    co.Config.DeliverPolicy = js_DeliverLast;
    co.Config.Heartbeat = 500LL * 1000 * 1000;
    fresh = nullptr;
    s = js_Subscribe(&fresh, js, catalog_subject_.c_str(), &JetStreamJournal::on_catalog_msg, closure, nullptr,
                     &co, &jerr);
    if (!keep_subscription(s, fresh, catalog_sub_, "cannot consume stream " + catalog_stream_, error)) return false;
    // Pushes other hubs received (core NATS: nats.c subscribes again after each reconnect).
    fresh = nullptr;
    s = natsConnection_Subscribe(&fresh, bridge_->connection(), ingest_subject_.c_str(), &JetStreamJournal::on_push_msg,
                                 closure);
    if (!keep_subscription(s, fresh, ingest_sub_, "cannot subscribe to " + ingest_subject_, error)) return false;
    // A writer's leaving note (core NATS: a standby that misses it falls back on the silence rule).
    fresh = nullptr;
    s = natsConnection_Subscribe(&fresh, bridge_->connection(), writer_subject_.c_str(), &JetStreamJournal::on_writer_msg,
                                 closure);
    if (!keep_subscription(s, fresh, writer_sub_, "cannot subscribe to " + writer_subject_, error)) return false;
    // The writer's previews (core NATS, like the note: they need no stream leader to get here).
    fresh = nullptr;
    s = natsConnection_Subscribe(&fresh, bridge_->connection(), preview_subject_.c_str(),
                                 &JetStreamJournal::on_preview_msg, closure);
    return keep_subscription(s, fresh, preview_sub_, "cannot subscribe to " + preview_subject_, error);
}

bool JetStreamJournal::keep_subscription(natsStatus s, natsSubscription* fresh, natsSubscription*& slot,
                                         const std::string& what, std::string* error) {
    if (s != NATS_OK) {
        if (error) *error = what + ": " + nats_error_text(s);
        return false;
    }
    std::lock_guard<std::mutex> lock(mu_);  // the subscriptions are read and dropped under the lock
    slot = fresh;
    return true;
}

void* JetStreamJournal::attempt_closure() {
    std::lock_guard<std::mutex> lock(mu_);
    return ClosureRegistry::closure(closure_id_, inbox_.generation());
}

std::vector<natsSubscription*> JetStreamJournal::take_subscriptions() {
    // A try that subscribed and then failed: what it delivered is delivered again by the next.
    // One whose subscriptions are destroyed later (reopen: on the worker) or go on delivering
    // meanwhile: dropped by the inbox (another generation), never kept under the new stream.
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<natsSubscription*> subs = {frames_sub_, catalog_sub_, ingest_sub_, writer_sub_, preview_sub_};
    frames_sub_ = catalog_sub_ = ingest_sub_ = writer_sub_ = preview_sub_ = nullptr;
    inbox_.reset();
    return subs;
}

void JetStreamJournal::drop_subscriptions(bool delete_consumers) {
    destroy_subscriptions(take_subscriptions(), delete_consumers);
}

void JetStreamJournal::destroy_subscriptions(const std::vector<natsSubscription*>& subs, bool delete_consumers) {
    // Outside the lock: destroying waits for a callback that may be taking it.
    for (auto* sub : subs) {
        if (!sub) continue;
        // nats.c 3.4.1: Unsubscribe of a consumer it created deletes that consumer, a JetStream
        // request waited for (up to 2 s). Destroy alone only sends UNSUB (buffered, as any core
        // publish); the server drops an ephemeral push consumer with no interest by itself.
        if (delete_consumers) natsSubscription_Unsubscribe(sub);
        natsSubscription_Destroy(sub);
    }
}

void JetStreamJournal::open_in_background() {
    state_ = state_connecting;
    const bool queued = bridge_->run_blocking([this] {
        // On the bridge's worker: nothing else runs there before the stream is open (no publish
        // while not open), and stop() ends the pauses at once.
        std::uint64_t failures = 0;
        for (;;) {
            if (!bridge_->connected()) {
                state_ = state_connecting;
                if (!bridge_->pause(100)) return;
                continue;
            }
            state_ = state_opening;
            StreamFacts facts;
            std::string why;
            if (open_streams(&facts, &why)) {
                log("stream " + opt_.stream + " opened after " + std::to_string(failures) +
                    " failed tries; reading it");
                std::lock_guard<std::mutex> lock(mu_);
                opened_ = facts;
                if (post_ && !drain_posted_) {
                    drain_posted_ = true;
                    post_([this] { drain(); });
                }
                return;
            }
            drop_subscriptions();
            {
                std::lock_guard<std::mutex> lock(mu_);
                open_error_ = why;
            }
            // The first failure, then every 60th: a cluster without quorum for an hour must not fill the log.
            if (failures++ % 60 == 0) log(why + " (trying every 0.5 s)");
            if (!bridge_->pause(500)) return;
        }
    });
    if (!queued) log("cannot queue the stream's opening");
}

bool JetStreamJournal::caught_up() const {
    if (!facts_) return false;
    // The stream's last seq may be gone (a message deleted keeps LastSeq): a frame sent with
    // nothing pending after it says everything retained has come too.
    const bool frames = facts_->msgs == 0 || read_all_ || (!cache_.empty() && cache_.back().seq >= facts_->last_seq);
    return frames && (!facts_->has_catalog || stream_catalog_);
}

void JetStreamJournal::become_open() {
    open_ = true;
    epoch_ = stream_epoch(opt_.stream, facts_->created_ns);
    stream_last_at_start_ = facts_->last_seq;
    retained_at_start_ = facts_->msgs;
    role_.frame_seen(now_ms());  // a writer alive elsewhere shows itself before this hub tries
    state_ = state_open;
    {
        std::lock_guard<std::mutex> lock(mu_);
        open_error_.clear();
    }
    if (hooks_.on_epoch) {  // not at start: there the hub serves nothing before this
        log("stream " + opt_.stream + " read: epoch " + epoch_ + ", head " + std::to_string(head_seq()) +
            "; screens of the waiting epoch reconnect");
        hooks_.on_epoch();
    }
}

// Each handler reads the message first, then reaches its journal through the closure registry:
// not at all once the journal went (a late call after the subscription's destruction).

void JetStreamJournal::on_frame_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
    Inbound in;
    const bool read = read_meta(msg, &in.seq, &in.pending, &in.t_ms);
    if (read) {
        in.payload = std::make_shared<const std::string>(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
        const char* writer = nullptr;
        if (natsMsgHeader_Get(msg, kWriterHeader, &writer) == NATS_OK && writer) in.writer = writer;
    }
    natsMsg_Destroy(msg);
    if (!read) return;
    ClosureRegistry::with(closure, [&](void* owner, std::uint64_t generation) {
        static_cast<JetStreamJournal*>(owner)->receive(generation, std::move(in));
    });
}

void JetStreamJournal::on_catalog_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
    Inbound in;
    in.catalog = true;
    in.payload = std::make_shared<const std::string>(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    natsMsg_Destroy(msg);
    ClosureRegistry::with(closure, [&](void* owner, std::uint64_t generation) {
        static_cast<JetStreamJournal*>(owner)->receive(generation, std::move(in));
    });
}

void JetStreamJournal::on_push_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
    ClosureRegistry::with(closure, [&](void* owner, std::uint64_t generation) {
        auto* j = static_cast<JetStreamJournal*>(owner);
        const char* v = nullptr;
        // Our own forwards come back too (core NATS echoes): this hub ingested them already.
        if (natsMsgHeader_Get(msg, kHubHeader, &v) == NATS_OK && v && j->id_ == v) return;
        ForwardedPush p;
        if (natsMsgHeader_Get(msg, kContentTypeHeader, &v) == NATS_OK && v) p.content_type = v;
        if (natsMsgHeader_Get(msg, kPrecisionHeader, &v) == NATS_OK && v) p.precision = std::string(v);
        if (natsMsgHeader_Get(msg, kTimeHeader, &v) == NATS_OK && v) p.unix_ms = std::strtoll(v, nullptr, 10);
        p.body.assign(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
        j->receive_push(generation, std::move(p));
    });
    natsMsg_Destroy(msg);
}

void JetStreamJournal::receive_push(std::uint64_t generation_low, ForwardedPush p) {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_ || ClosureRegistry::complete(generation_low, inbox_.generation()) != inbox_.generation())
        return;  // an earlier attempt's subscription
    ++pushes_received_;
    // Bounded: a hub thread that cannot keep up loses pushes (counted), never its memory.
    if (pushes_in_.size() >= kMaxPushesQueued || pushes_in_bytes_ + p.body.size() > kMaxPushBytesQueued) {
        ++pushes_dropped_;
        return;
    }
    pushes_in_bytes_ += p.body.size();
    pushes_in_.push_back(std::move(p));
    if (post_ && !drain_posted_) {
        drain_posted_ = true;
        post_([this] { drain(); });
    }
}

void JetStreamJournal::on_writer_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
    const char* from = nullptr;
    std::string writer;
    if (natsMsgHeader_Get(msg, kHubHeader, &from) == NATS_OK && from) writer = from;
    const std::string body(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
    natsMsg_Destroy(msg);
    char* end = nullptr;
    const unsigned long long last = std::strtoull(body.c_str(), &end, 10);
    if (writer.empty() || end == body.c_str() || last == 0) return;
    ClosureRegistry::with(closure, [&](void* owner, std::uint64_t generation) {
        static_cast<JetStreamJournal*>(owner)->receive_writer_note(generation, writer, static_cast<Seq>(last));
    });
}

void JetStreamJournal::receive_writer_note(std::uint64_t generation_low, const std::string& writer, Seq last) {
    if (writer == id_) return;  // our own note comes back too
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_ || ClosureRegistry::complete(generation_low, inbox_.generation()) != inbox_.generation())
        return;  // about the old stream
    writer_left_ = std::make_pair(writer, static_cast<Seq>(last));
    if (post_ && !drain_posted_) {
        drain_posted_ = true;
        post_([this] { drain(); });
    }
}

void JetStreamJournal::on_preview_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
    Inbound in;
    in.preview = true;
    const char* v = nullptr;
    if (natsMsgHeader_Get(msg, kTimeHeader, &v) == NATS_OK && v) in.t_ms = std::strtoll(v, nullptr, 10);
    if (natsMsgHeader_Get(msg, kWriterHeader, &v) == NATS_OK && v) in.writer = v;
    in.payload = std::make_shared<const std::string>(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    natsMsg_Destroy(msg);
    if (in.t_ms <= 0) return;
    ClosureRegistry::with(closure, [&](void* owner, std::uint64_t generation) {
        static_cast<JetStreamJournal*>(owner)->receive(generation, std::move(in));
    });
}

// nats.c's thread: queue it, and have the hub's thread drain the queue (one post per batch).
void JetStreamJournal::receive(std::uint64_t generation_low, Inbound in) {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    const bool preview = in.preview;
    // Of an earlier open attempt (a subscription being destroyed): dropped, counted.
    if (!inbox_.add(ClosureRegistry::complete(generation_low, inbox_.generation()), std::move(in))) return;
    if (!preview) arrived_.notify_all();
    if (post_ && !drain_posted_) {
        drain_posted_ = true;
        post_([this] { drain(); });
    }
}

void JetStreamJournal::drain() {
    std::vector<Inbound> batch;
    std::optional<StreamFacts> opened;
    std::vector<ForwardedPush> pushes;
    std::optional<std::pair<std::string, Seq>> left;
    std::optional<Inbound> preview;
    {
        std::lock_guard<std::mutex> lock(mu_);
        batch = inbox_.take_items();  // of the current open attempt only (ConsumerInbox)
        preview = inbox_.take_preview();
        opened.swap(opened_);
        left.swap(writer_left_);
        pushes.swap(pushes_in_);
        pushes_in_bytes_ = 0;
        drain_posted_ = false;
        if (closed_) return;
    }
    if (opened) facts_ = opened;
    for (auto& in : batch) {
        if (in.catalog) {
            stream_catalog_ = in.payload;
            if (hooks_.on_catalog) hooks_.on_catalog(in.payload);
            continue;
        }
        if (in.pending == 0) read_all_ = true;
        // An ordered consumer recreated after a reset may repeat what was delivered.
        if (!cache_.empty() && in.seq <= cache_.back().seq) continue;
        keep(Frame{in.seq, in.t_ms, in.payload});
        // Before the stream is open and read, screens are in the waiting epoch: no frame for them.
        if (!open_) continue;
        role_.frame_seen(now_ms());
        // Two hubs can both hold the role: a standby took over while an election silenced the
        // stream, and the old writer's publish of that seq failed with no answer (not refused),
        // which keeps its role; its next publishes then succeed in turn with the other's, each
        // with the right expected sequence. (browser.ha_failover saw both hubs say "writer" in
        // /healthz twice; which path led there is not established.) The hub with the greater id
        // gives way when it sees the other's frame; the smaller keeps on. Only a frame after this
        // hub's own last one counts: a late delivery of the old writer's frames is no rival.
        if (role_.active() && in.seq > last_stored_ && !in.writer.empty() && in.writer < id_ &&
            role_.other_writer_seen(now_ms()))
            log("hub " + in.writer + " stored seq " + std::to_string(in.seq) + " too: standing by");
        if (hooks_.on_frame) hooks_.on_frame(in.seq, in.t_ms, in.payload);
    }
    if (!open_ && caught_up()) become_open();
    if (left && open_ && !leaving_) {
        role_.writer_left(left->second);
        log("hub " + left->first + " leaves after seq " + std::to_string(left->second) +
            (role_.active() ? "" : ": taking over at the next tick once that seq is here"));
    }
    if (hooks_.on_push)
        for (const auto& p : pushes) hooks_.on_push(p);
    // After the frames of this batch: a preview of a tick already stored is dropped there.
    if (preview) {
        ++previews_received_;
        if (open_ && hooks_.on_preview) hooks_.on_preview(preview->t_ms, preview->payload);
    }
}

void JetStreamJournal::publish_preview(std::int64_t t_ms, const std::shared_ptr<const std::string>& text) {
    // Core NATS, at most once, through the publisher thread (the hub's thread never calls into
    // nats.c). Lost while NATS is away, like the screens' view of it: never stored anyway.
    CoreMessage m;
    m.subject = preview_subject_;
    m.headers = {{kTimeHeader, std::to_string(t_ms)}, {kWriterHeader, id_}};
    m.body = *text;
    const std::size_t bytes = m.body.size();
    m.sent = [this, bytes](natsStatus s) { core_sent(s, false, bytes); };
    const CoreQueued q = bridge_->publish_core(std::move(m));
    if (q != CoreQueued::queued) core_not_queued(q, false, bytes);
}

void JetStreamJournal::forward_push(ForwardedPush push) {
    // Core NATS, at most once: the publisher thread hands it to nats.c's write buffer (2 MiB,
    // bigger than the 1 MiB a nats-server takes by default) for its flusher; no server answer is
    // waited for. Not here: nats.c's connection lock is held for seconds while it reconnects to
    // a node that does not answer, and a write buffer that cannot take the body is written to
    // the socket on the publishing thread. While NATS is away the push is dropped and counted.
    if (!bridge_->connected()) return core_not_queued(CoreQueued::disconnected, true, push.body.size());
    CoreMessage m;
    m.subject = ingest_subject_;
    m.headers = {{kHubHeader, id_}, {kTimeHeader, std::to_string(push.unix_ms)}};
    if (!push.content_type.empty()) m.headers.emplace_back(kContentTypeHeader, push.content_type);
    if (push.precision) m.headers.emplace_back(kPrecisionHeader, *push.precision);
    m.body = std::move(push.body);
    const std::size_t bytes = m.body.size();
    m.sent = [this, bytes](natsStatus s) { core_sent(s, true, bytes); };
    const CoreQueued q = bridge_->publish_core(std::move(m));
    if (q != CoreQueued::queued) core_not_queued(q, true, bytes);
}

void JetStreamJournal::core_sent(natsStatus s, bool push, std::size_t bytes) {
    if (s == NATS_OK) {
        ++(push ? pushes_forwarded_ : previews_published_);
        return;
    }
    if (s == NATS_CONNECTION_DISCONNECTED) return core_not_queued(CoreQueued::disconnected, push, bytes);
    // The first failure, then every 100th.
    if (push ? push_forward_failures_++ % 100 == 0 : preview_failures_++ % 100 == 0)
        log(push ? "push not forwarded to the other hubs (" + std::to_string(bytes) + " bytes): " + nats_error_text(s)
                 : "preview not sent to the other hubs: " + nats_error_text(s));
}

void JetStreamJournal::core_not_queued(CoreQueued why, bool push, std::size_t bytes) {
    if (why == CoreQueued::full) ++core_queue_full_;
    // The first drop, then every 100th (NATS away: every push and preview is dropped).
    if ((push ? push_forward_drops_++ : preview_drops_++) % 100 != 0) return;
    const char* reason = why == CoreQueued::full ? "the publisher's queue is full" :
                         why == CoreQueued::stopped ? "stopping" : "NATS is not connected";
    log(std::string(push ? "push not forwarded to the other hubs (" + std::to_string(bytes) + " bytes)"
                         : "preview not sent to the other hubs") +
        ": " + reason + " (dropped, counted)");
}

void JetStreamJournal::keep(Frame f) {
    cache_bytes_ += f.payload->size();
    cache_.push_back(std::move(f));
    // The stream drops its oldest frames by the same limits; the copy follows.
    while (cache_.size() > 1 && ((opt_.max_records && cache_.size() > opt_.max_records) ||
                                 (opt_.max_bytes && cache_bytes_ > opt_.max_bytes))) {
        cache_bytes_ -= cache_.front().payload->size();
        cache_.pop_front();
    }
}

Seq JetStreamJournal::head_seq() const {
    if (!open_) return 0;  // the waiting epoch has no frames
    // What can be read: a seq stored but not yet come back through the consumer is not served.
    return std::max(cache_.empty() ? Seq{0} : cache_.back().seq, stream_last_at_start_);
}

Seq JetStreamJournal::next_seq() const { return std::max(head_seq(), last_stored_) + 1; }

void JetStreamJournal::attach(SharedJournalHooks hooks) {
    hooks_ = std::move(hooks);
    // The writer's catalog read at start: served instead of this hub's own from the first screen on.
    if (stream_catalog_ && hooks_.on_catalog) hooks_.on_catalog(stream_catalog_);
    std::lock_guard<std::mutex> lock(mu_);
    post_ = hooks_.post;
    if ((!inbox_.empty() || opened_) && !drain_posted_) {
        drain_posted_ = true;
        post_([this] { drain(); });
    }
}

void JetStreamJournal::check_connection() {
    // Reading 1 of the double writer (README): a writer whose connection drops cannot know whether
    // another hub took over meanwhile, and a publish that failed with no answer keeps the role.
    // So it stands by at once, and once connected again takes over only by the standby's rule.
    const auto drops = bridge_->disconnects();
    if (drops != disconnects_seen_) {
        disconnects_seen_ = drops;
        if (role_.connection_lost()) log("NATS connection lost: standing by (the writer role is taken again only after silence)");
    }
    // Back within the takeover delay with its own frame still the newest: no standby can have
    // taken over, so it writes on (the expected-sequence check refuses it if one did anyway).
    if (role_.waiting_for_connection() && bridge_->connected() &&
        role_.connection_back(now_ms(), /*stream_moved=*/head_seq() > last_stored_))
        log("NATS connection back within the takeover delay, no other writer seen: writing on");
}

bool JetStreamJournal::may_append() {
    if (!open_ || leaving_) return false;  // never a seq before the stream's last one is known
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (closed_) return false;
    }
    check_identity();
    if (!open_) return false;  // (a reopen cannot start here: its answer comes later, posted)
    check_connection();
    if (restore_in_flight_) return false;  // the stream's last seq is below ours until the copies are back
    return role_.may_publish(now_ms(), bridge_->connected(), head_seq());
}

void JetStreamJournal::stop_writing() {
    if (leaving_) return;
    leaving_ = true;
    // A publish in flight may still store its seq: the note names the last stored one, so it
    // waits for the answer (published() sends it).
    if (!role_.in_flight()) send_leaving_note();
}

void JetStreamJournal::send_leaving_note() {
    const bool was_writer = role_.active();
    if (!role_.leave()) {  // a standby leaving changes nothing for the others
        if (was_writer)
            log("leaving: no note to the other hubs (the last publish got no answer: that seq may be stored late); "
                "they take over after the silence");
        return;
    }
    const std::string last = std::to_string(last_stored_);
    CoreMessage m;
    m.subject = writer_subject_;
    m.headers = {{kHubHeader, id_}};
    m.body = last;
    m.sent = [last](natsStatus s) {
        if (s == NATS_OK) log("leaving: told the other hubs (last stored seq " + last + ")");
        else log("leaving: could not tell the other hubs (" + nats_error_text(s) + "); they take over after the silence");
    };
    // Through the publisher thread, as forward_push; it still goes when close() comes next.
    if (bridge_->publish_core(std::move(m)) != CoreQueued::queued)
        log("leaving: could not tell the other hubs (not connected); they take over after the silence");
}

bool JetStreamJournal::append(Seq seq, std::int64_t t_ms, std::string_view payload, std::string* error) {
    if (seq != next_seq()) {
        if (error) *error = "seq " + std::to_string(seq) + " is not the next (" + std::to_string(next_seq()) + ")";
        return false;
    }
    role_.publishing();
    auto data = std::make_shared<std::string>(payload);
    const std::uint64_t generation = generation_;
    // Here, on the hub's thread: epoch_ is this thread's (reopen() and become_open() assign it).
    std::string msg_id = frame_msg_id(epoch_, seq, id_);
    const bool queued = bridge_->run_blocking([this, seq, t_ms, data, generation, msg_id = std::move(msg_id)] {
        PublishAnswer answer = publish_frame(seq, t_ms, *data, msg_id, id_, "");
        std::lock_guard<std::mutex> lock(mu_);
        if (closed_ || !post_) return;
        post_([this, answer = std::move(answer), seq, generation] {
            if (generation == generation_) published(answer, seq);  // else: a seq of the old stream
        });
    });
    if (!queued) {
        role_.finished(PublishOutcome::failed, now_ms());
        if (error) *error = "NATS publishing is stopped or backed up";
        return false;
    }
    return true;
}

PublishAnswer JetStreamJournal::publish_frame(Seq seq, std::int64_t t_ms, const std::string& payload,
                                              const std::string& msg_id, const std::string& writer,
                                              const std::string& restored_by) {
    natsMsg* msg = nullptr;
    natsStatus s = natsMsg_Create(&msg, frames_subject_.c_str(), nullptr, payload.data(), static_cast<int>(payload.size()));
    // Set by hand, not through jsPubOptions: nats.c leaves the header out for 0, and the first
    // frame of a stream must be guarded too.
    const std::string expected = std::to_string(seq - 1);
    const std::string t = std::to_string(t_ms);
    if (s == NATS_OK) s = natsMsgHeader_Set(msg, "Nats-Expected-Last-Sequence", expected.c_str());
    if (s == NATS_OK) s = natsMsgHeader_Set(msg, "Nats-Msg-Id", msg_id.c_str());
    if (s == NATS_OK) s = natsMsgHeader_Set(msg, kTimeHeader, t.c_str());
    if (s == NATS_OK && !writer.empty()) s = natsMsgHeader_Set(msg, kWriterHeader, writer.c_str());
    if (s == NATS_OK && !restored_by.empty()) s = natsMsgHeader_Set(msg, kRestoredHeader, restored_by.c_str());
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = std::clamp(opt_.interval_ms, 200, 2000);
    jsPubAck* ack = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    if (s == NATS_OK) s = js_PublishMsg(&ack, bridge_->jetstream(), msg, &po, &jerr);
    PublishAnswer answer = read_publish_answer(s, ack, jerr, seq);
    if (answer.outcome == PublishOutcome::failed) answer.why = nats_error_text(s);
    if (ack) jsPubAck_Destroy(ack);
    natsMsg_Destroy(msg);
    return answer;
}

void JetStreamJournal::published(const PublishAnswer& answer, Seq seq) {
    if (closed_) return;
    const PublishOutcome outcome = answer.outcome;
    const std::string& error = answer.why;
    const bool changed = role_.finished(outcome, now_ms());
    if (outcome == PublishOutcome::stored) {
        last_stored_ = std::max(last_stored_, seq);
        ++appends_;
        if (answer.earlier) {
            // This publish was not stored: the stream holds our earlier one under that seq (its
            // answer came too late, counted as a failure). That frame comes back through the
            // consumer like any other; the payload of this try is dropped.
            if (late_stores_++ % 60 == 0)
                log("seq " + std::to_string(seq) + " was stored by this hub's earlier publish (its answer came late): writing on");
        }
        if (failure_streak_) log("frames are stored again after " + std::to_string(failure_streak_) + " failed");
        failure_streak_ = 0;
    } else if (outcome == PublishOutcome::lost_race) {
        // Another hub stored that seq, or the stream lost frames and its last seq is below ours:
        // the identity check tells which, at the next tick (restore_lost()).
        identity_checked_ms_ = 0;
    } else if (outcome == PublishOutcome::failed) {
        ++publish_failures_;
        // First failure of a streak, then every 60th: NATS away for an hour must not fill the log.
        if (failure_streak_++ % 60 == 0) log("frame " + std::to_string(seq) + " not stored: " + error);
    }
    if (changed) {
        log(role_.active() ? "this hub is the collector now (stored seq " + std::to_string(seq) + " in " + opt_.stream + ")"
                           : "another hub stored seq " + std::to_string(seq) + " (" + error + "): standing by");
    }
    if (leaving_) return send_leaving_note();
    if (role_.active()) send_catalog_if_new();
}

void JetStreamJournal::publish_catalog(const std::shared_ptr<const std::string>& catalog) {
    own_catalog_ = catalog;
    if (role_.active()) send_catalog_if_new();
}

void JetStreamJournal::send_catalog_if_new() {
    if (!own_catalog_ || catalog_in_flight_) return;
    if (stream_catalog_ && *stream_catalog_ == *own_catalog_) return;
    catalog_in_flight_ = true;
    auto text = own_catalog_;
    const std::uint64_t generation = generation_;
    const bool queued = bridge_->run_blocking([this, text, generation] {
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = 2000;
        jsErrCode jerr = static_cast<jsErrCode>(0);
        const natsStatus s = js_Publish(nullptr, bridge_->jetstream(), catalog_subject_.c_str(), text->data(),
                                        static_cast<int>(text->size()), &po, &jerr);
        const std::string why = s == NATS_OK ? std::string() : nats_error_text(s);
        std::lock_guard<std::mutex> lock(mu_);
        if (closed_ || !post_) return;
        post_([this, text, why, generation] {
            if (generation != generation_) return;  // reopen() cleared the flag already
            catalog_in_flight_ = false;
            // Stored: the catalog consumer brings it back (not sent twice meanwhile). Failed: the next tick tries again.
            if (why.empty()) stream_catalog_ = text;
            else log("catalog not stored: " + why);
        });
    });
    if (!queued) catalog_in_flight_ = false;
}

void JetStreamJournal::check_identity() {
    const auto now = now_ms();
    if (identity_check_in_flight_ || now - identity_checked_ms_ < 5000 || !bridge_->connected()) return;
    identity_check_in_flight_ = true;
    identity_checked_ms_ = now;
    const std::uint64_t generation = generation_;
    // What this hub knows the stream stored, before it asks: the answer can only be below it
    // when the stream lost frames (its last seq never goes back otherwise).
    const Seq known = std::max(cache_.empty() ? Seq{0} : cache_.back().seq, last_stored_);
    const bool queued = bridge_->run_blocking([this, generation, known] {
        // A short wait: the worker's next publish waits behind this (during an election the
        // stream answers nothing, and publishes fail then anyway).
        jsOptions o;
        jsOptions_Init(&o);
        o.Wait = 500;
        jsStreamInfo* info = nullptr;
        jsErrCode jerr = static_cast<jsErrCode>(0);
        const natsStatus s = js_GetStreamInfo(&info, bridge_->jetstream(), opt_.stream.c_str(), &o, &jerr);
        std::optional<std::int64_t> created;
        Seq last = 0;
        if (s == NATS_OK) {
            created = info->Created;
            last = info->State.LastSeq;
        }
        if (info) jsStreamInfo_Destroy(info);
        // Only JetStream's own "stream not found" says it is gone (a timeout says nothing).
        const bool gone = s != NATS_OK && jerr == JSStreamNotFoundErr;
        std::lock_guard<std::mutex> lock(mu_);
        if (closed_ || !post_) return;
        post_([this, generation, created, gone, last, known] {
            identity_check_in_flight_ = false;
            if (generation != generation_ || !open_ || !facts_) return;
            if (gone) reopen("stream " + opt_.stream + " was deleted");
            else if (created && *created != facts_->created_ns) reopen("stream " + opt_.stream + " was recreated");
            else if (created && last < known) restore_lost(last, known);
        });
    });
    if (!queued) identity_check_in_flight_ = false;
}

void JetStreamJournal::restore_lost(Seq stream_last, Seq known) {
    if (restore_in_flight_ || leaving_) return;
    const Seq cached = cache_.empty() ? Seq{0} : cache_.back().seq;
    std::string lost = "the stream's last seq is " + std::to_string(stream_last) + ", below seq " + std::to_string(known) +
                       " it had stored (a NATS node came back without writes it had acknowledged)";
    // Stored by this hub but never delivered back: no screen got those, and this hub has no copy.
    // Its next publish expects the seq the stream will have once the copies are back.
    const Seq held = std::max(stream_last, cached);  // in the stream once this hub's copies are back
    if (last_stored_ > held) {
        lost += "; seqs " + std::to_string(held + 1) + "-" + std::to_string(last_stored_) +
                " never came back to this hub, so no screen got them: written anew";
        last_stored_ = held;
    }
    if (cached <= stream_last) return log(lost);
    auto first = std::lower_bound(cache_.begin(), cache_.end(), stream_last + 1,
                                  [](const Frame& f, Seq s) { return f.seq < s; });
    if (first == cache_.end() || first->seq != stream_last + 1) {
        // Lost past this hub's copy (it holds the retained frames only): not contiguous from here.
        if (restore_failures_++ % 60 == 0)
            log(lost + "; this hub's copy starts at seq " + std::to_string(cache_.front().seq) + ": nothing restored");
        return;
    }
    std::vector<Frame> frames;
    for (auto it = first; it != cache_.end() && frames.size() < kMaxRestorePerJob; ++it) frames.push_back(*it);
    restore_in_flight_ = true;
    ++restores_;
    log(lost + ": publishing seqs " + std::to_string(frames.front().seq) + "-" + std::to_string(frames.back().seq) +
        " again from this hub's copy");
    const std::uint64_t generation = generation_;
    // The restorer's own message ids (another id than any writer's publish of those seqs): a
    // repeat of this hub's own restore is answered "duplicate" at that seq (stored).
    const std::string epoch = epoch_;
    const bool queued = bridge_->run_blocking([this, frames = std::move(frames), generation, epoch] {
        std::uint64_t stored = 0;
        std::string why;
        for (const auto& f : frames) {
            const PublishAnswer a =
                publish_frame(f.seq, f.t_ms, *f.payload, frame_msg_id(epoch, f.seq, id_ + "/restore"), "", id_);
            if (a.outcome != PublishOutcome::stored) {
                // Refused: another hub restores (or writes) it; failed: the next check tries again.
                why = "seq " + std::to_string(f.seq) + ": " + (a.why.empty() ? "not stored" : a.why);
                break;
            }
            ++stored;
            if (!bridge_->pause(0)) break;  // stopping
        }
        std::lock_guard<std::mutex> lock(mu_);
        if (closed_ || !post_) return;
        post_([this, generation, stored, why, more = frames.size() == kMaxRestorePerJob] {
            if (generation != generation_) return;
            restore_in_flight_ = false;
            frames_restored_ += stored;
            if (!why.empty()) ++restore_failures_;
            log("restored " + std::to_string(stored) + " frame(s)" + (why.empty() ? "" : "; stopped at " + why));
            if (more || !why.empty()) identity_checked_ms_ = 0;  // the rest, or the answer, at the next tick
        });
    });
    if (!queued) {
        restore_in_flight_ = false;
        ++restore_failures_;
    }
}

void JetStreamJournal::reopen(const std::string& why) {
    ++reopens_;
    ++generation_;
    log(why + ": reopening (epoch " + epoch_ + " ends; screens reconnect once the stream is read)");
    // As at start: nothing served from the old stream, never the writer before the new one is read.
    // The old subscriptions are destroyed on the worker, before it opens the stream again:
    // destroying needs nats.c's connection lock, held for seconds by a reconnect. Meanwhile what
    // they deliver is of another generation and dropped. No consumer deletion waited for (the
    // frames' consumer went with its stream; the catalog's is dropped by the server once nobody listens).
    auto subs = take_subscriptions();
    if (!bridge_->run_blocking([subs] { destroy_subscriptions(subs, /*delete_consumers=*/false); }))
        orphan_subs_.insert(orphan_subs_.end(), subs.begin(), subs.end());
    open_ = false;
    epoch_ = pending_epoch(opt_.stream);
    facts_.reset();
    cache_.clear();
    cache_bytes_ = 0;
    read_all_ = false;
    last_stored_ = 0;
    stream_last_at_start_ = 0;
    role_.restart(now_ms());
    stream_catalog_.reset();
    catalog_in_flight_ = false;
    identity_check_in_flight_ = false;
    restore_in_flight_ = false;  // its answer is of the old generation: dropped
    open_in_background();  // creates the stream when missing; drain() then opens and tells the screens
}

void JetStreamJournal::close() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (closed_) return;
        closed_ = true;
        post_ = nullptr;
    }
    if (bridge_) bridge_->stop();
}

std::vector<JournalRecord> JetStreamJournal::read_range(Seq from, std::size_t max_count) const {
    std::vector<JournalRecord> out;
    if (!open_) return out;
    auto it = std::lower_bound(cache_.begin(), cache_.end(), from, [](const Frame& f, Seq s) { return f.seq < s; });
    for (; it != cache_.end() && out.size() < max_count; ++it) out.push_back(JournalRecord{it->seq, it->t_ms, *it->payload});
    return out;
}

std::optional<Seq> JetStreamJournal::seq_at_or_after(std::int64_t t_ms) const {
    if (!open_) return std::nullopt;
    auto it = std::lower_bound(cache_.begin(), cache_.end(), t_ms,
                               [](const Frame& f, std::int64_t t) { return f.t_ms < t; });
    if (it == cache_.end()) return std::nullopt;
    return it->seq;
}

std::vector<std::pair<std::string, std::string>> JetStreamJournal::status() const {
    static const char* states[] = {"connecting", "opening", "open"};
    std::string open_error;
    std::uint64_t pushes_received = 0, pushes_dropped = 0, stale = 0;
    {
        std::lock_guard<std::mutex> lock(mu_);
        stale = inbox_.stale_dropped();
        open_error = open_error_;
        pushes_received = pushes_received_;
        pushes_dropped = pushes_dropped_;
    }
    return {
        {"backend", "jetstream"},
        {"stream", opt_.stream},
        {"state", states[state_.load()]},
        {"open_error", open_error},
        {"collector", role_.active() ? "writer" : "standby"},
        {"nats", bridge_ && bridge_->connected() ? "connected" : "disconnected"},
        {"takeovers", std::to_string(role_.takeovers())},
        {"takeovers_on_leaving_note", std::to_string(role_.takeovers_on_note())},
        {"writer_resumes", std::to_string(role_.resumes())},
        {"reopens", std::to_string(reopens_)},
        {"restores", std::to_string(restores_)},
        {"frames_restored", std::to_string(frames_restored_)},
        {"restore_failures", std::to_string(restore_failures_)},
        {"publish_failures", std::to_string(publish_failures_)},
        {"late_stores", std::to_string(late_stores_)},
        {"nats_reconnects", std::to_string(bridge_ ? bridge_->reconnects() : 0)},
        {"pushes_forwarded", std::to_string(pushes_forwarded_.load())},
        {"previews_published", std::to_string(previews_published_.load())},
        {"previews_received", std::to_string(previews_received_)},
        {"preview_failures", std::to_string(preview_failures_.load())},
        {"preview_drops", std::to_string(preview_drops_.load())},
        {"push_forward_failures", std::to_string(push_forward_failures_.load())},
        {"push_forward_drops", std::to_string(push_forward_drops_.load())},
        {"core_queue_full", std::to_string(core_queue_full_.load())},
        {"stale_deliveries", std::to_string(stale)},
        {"hub_id", id_},
        {"pushes_received", std::to_string(pushes_received)},
        {"pushes_dropped", std::to_string(pushes_dropped)},
    };
}

}  // namespace vigil::hub::nats
