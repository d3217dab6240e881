// The JetStream journal: streams, catch-up at start, the publish path and the ordered consumers.
#include "hub/nats/jetstream_journal.h"

#include "hub/nats/nats_bridge.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace vigil::hub::nats {

namespace {

constexpr const char* kWriterHeader = "Vigil-Writer";
constexpr const char* kTimeHeader = "Vigil-T";

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

// The JetStream stream sequence and our t header of a delivered message.
bool read_meta(natsMsg* msg, Seq* seq, std::int64_t* t_ms) {
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) return false;
    *seq = meta->Sequence.Stream;
    *t_ms = meta->Timestamp / 1000000;
    jsMsgMetaData_Destroy(meta);
    const char* t = nullptr;
    if (natsMsgHeader_Get(msg, kTimeHeader, &t) == NATS_OK && t) *t_ms = std::strtoll(t, nullptr, 10);
    return true;
}

}  // namespace

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

JetStreamJournal::JetStreamJournal(JetStreamOptions options)
    : opt_(std::move(options)), role_(opt_.interval_ms, 0) {
    frames_subject_ = opt_.stream + ".frames";
    catalog_stream_ = opt_.stream + "_CATALOG";
    catalog_subject_ = opt_.stream + ".catalog";
    role_ = WriterRole(opt_.interval_ms, now_ms());
}

std::unique_ptr<JetStreamJournal> JetStreamJournal::open(JetStreamOptions options, std::string* error) {
    std::unique_ptr<JetStreamJournal> j(new JetStreamJournal(std::move(options)));
    if (!j->start(error)) return nullptr;
    return j;
}

JetStreamJournal::~JetStreamJournal() {
    close();
    // Subscriptions before the connection they belong to.
    for (auto* sub : {frames_sub_, catalog_sub_}) {
        if (!sub) continue;
        natsSubscription_Unsubscribe(sub);
        natsSubscription_Destroy(sub);
    }
    bridge_.reset();
}

std::int64_t JetStreamJournal::now_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool JetStreamJournal::start(std::string* error) {
    bridge_ = NatsBridge::connect(opt_.urls, "vigil-hub " + opt_.writer_id, error);
    if (!bridge_) return false;
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
    // A cluster just started has no JetStream meta leader for a few seconds: try for 15 s.
    jsStreamInfo* info = nullptr;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!(info = ensure_stream(js, sc, error)) && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(250));  // before the hub runs: nothing else to do
    if (!info) return false;
    epoch_ = stream_epoch(opt_.stream, info->Created);
    stream_last_at_start_ = info->State.LastSeq;
    retained_at_start_ = info->State.Msgs;
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
    const bool has_catalog = info->State.Msgs > 0;
    jsStreamInfo_Destroy(info);

    // Ordered consumers: in order, no acks, recreated by nats.c from the next seq when a gap or
    // missed heartbeats (here 0.5 s: a lost node is noticed in ~1 s) say the server lost track.
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Ordered = true;
    so.Stream = opt_.stream.c_str();
    so.Config.DeliverPolicy = js_DeliverAll;
    so.Config.Heartbeat = 500LL * 1000 * 1000;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s = js_Subscribe(&frames_sub_, js, frames_subject_.c_str(), &JetStreamJournal::on_frame_msg, this,
                                nullptr, &so, &jerr);
    if (s != NATS_OK) {
        if (error) *error = "cannot consume stream " + opt_.stream + ": " + nats_error_text(s);
        return false;
    }
    jsSubOptions co;
    jsSubOptions_Init(&co);
    co.Ordered = true;
    co.Stream = catalog_stream_.c_str();
    co.Config.DeliverPolicy = js_DeliverLast;
    co.Config.Heartbeat = 500LL * 1000 * 1000;
    s = js_Subscribe(&catalog_sub_, js, catalog_subject_.c_str(), &JetStreamJournal::on_catalog_msg, this, nullptr,
                     &co, &jerr);
    if (s != NATS_OK) {
        if (error) *error = "cannot consume stream " + catalog_stream_ + ": " + nats_error_text(s);
        return false;
    }

    // Serve nothing before holding what the stream retained: a welcome's head must be readable.
    // Nor with its own catalog when the writer's is there to be read.
    if (retained_at_start_ > 0 || has_catalog) {
        std::unique_lock<std::mutex> lock(mu_);
        const bool caught_up = arrived_.wait_for(lock, std::chrono::milliseconds(opt_.catch_up_timeout_ms), [&] {
            return inbox_last_seq_ >= stream_last_at_start_ && (!has_catalog || catalog_arrived_);
        });
        if (!caught_up) {
            if (error)
                *error = "stream " + opt_.stream + ": read up to seq " + std::to_string(inbox_last_seq_) + " of " +
                         std::to_string(stream_last_at_start_) + " in " + std::to_string(opt_.catch_up_timeout_ms) +
                         " ms";
            return false;
        }
    }
    drain();
    role_.frame_seen(now_ms());
    return true;
}

void JetStreamJournal::on_frame_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* self) {
    Inbound in{false, 0, 0, nullptr};
    if (read_meta(msg, &in.seq, &in.t_ms)) {
        in.payload = std::make_shared<const std::string>(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
        static_cast<JetStreamJournal*>(self)->receive(std::move(in));
    }
    natsMsg_Destroy(msg);
}

void JetStreamJournal::on_catalog_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* self) {
    Inbound in{true, 0, 0, nullptr};
    in.payload = std::make_shared<const std::string>(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    static_cast<JetStreamJournal*>(self)->receive(std::move(in));
    natsMsg_Destroy(msg);
}

// nats.c's thread: queue it, and have the hub's thread drain the queue (one post per batch).
void JetStreamJournal::receive(Inbound in) {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    if (!in.catalog) inbox_last_seq_ = std::max(inbox_last_seq_, in.seq);
    if (in.catalog) catalog_arrived_ = true;
    inbox_.push_back(std::move(in));
    arrived_.notify_all();
    if (post_ && !drain_posted_) {
        drain_posted_ = true;
        post_([this] { drain(); });
    }
}

void JetStreamJournal::drain() {
    std::vector<Inbound> batch;
    {
        std::lock_guard<std::mutex> lock(mu_);
        batch.swap(inbox_);
        drain_posted_ = false;
        if (closed_) return;
    }
    for (auto& in : batch) {
        if (in.catalog) {
            stream_catalog_ = in.payload;
            if (hooks_.on_catalog) hooks_.on_catalog(in.payload);
            continue;
        }
        // An ordered consumer recreated after a reset may repeat what was delivered.
        if (!cache_.empty() && in.seq <= cache_.back().seq) continue;
        role_.frame_seen(now_ms());
        keep(Frame{in.seq, in.t_ms, in.payload});
        if (hooks_.on_frame) hooks_.on_frame(in.seq, in.t_ms, in.payload);
    }
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
    if (!inbox_.empty() && !drain_posted_) {
        drain_posted_ = true;
        post_([this] { drain(); });
    }
}

bool JetStreamJournal::may_append() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (closed_) return false;
    }
    return role_.may_publish(now_ms(), bridge_->connected());
}

bool JetStreamJournal::append(Seq seq, std::int64_t t_ms, std::string_view payload, std::string* error) {
    if (seq != next_seq()) {
        if (error) *error = "seq " + std::to_string(seq) + " is not the next (" + std::to_string(next_seq()) + ")";
        return false;
    }
    role_.publishing();
    auto data = std::make_shared<std::string>(payload);
    const bool queued = bridge_->run_blocking([this, seq, t_ms, data] {
        natsMsg* msg = nullptr;
        natsStatus s = natsMsg_Create(&msg, frames_subject_.c_str(), nullptr, data->data(), static_cast<int>(data->size()));
        // Set by hand, not through jsPubOptions: nats.c leaves the header out for 0, and the first
        // frame of a stream must be guarded too.
        const std::string expected = std::to_string(seq - 1);
        const std::string msg_id = epoch_ + ":" + std::to_string(seq);
        const std::string t = std::to_string(t_ms);
        if (s == NATS_OK) s = natsMsgHeader_Set(msg, "Nats-Expected-Last-Sequence", expected.c_str());
        if (s == NATS_OK) s = natsMsgHeader_Set(msg, "Nats-Msg-Id", msg_id.c_str());
        if (s == NATS_OK) s = natsMsgHeader_Set(msg, kTimeHeader, t.c_str());
        if (s == NATS_OK) s = natsMsgHeader_Set(msg, kWriterHeader, opt_.writer_id.c_str());
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = std::clamp(opt_.interval_ms, 200, 2000);
        jsPubAck* ack = nullptr;
        jsErrCode jerr = static_cast<jsErrCode>(0);
        if (s == NATS_OK) s = js_PublishMsg(&ack, bridge_->jetstream(), msg, &po, &jerr);
        PublishOutcome outcome = PublishOutcome::failed;
        std::string why;
        if (s == NATS_OK && ack && !ack->Duplicate && ack->Sequence == seq) {
            outcome = PublishOutcome::stored;
        } else if (s == NATS_OK && ack) {
            outcome = PublishOutcome::lost_race;  // a duplicate id: that seq was stored already
            why = "stored before (duplicate id)";
        } else if (jerr == JSStreamWrongLastSequenceErr) {
            outcome = PublishOutcome::lost_race;
            why = "wrong last sequence";
        } else {
            why = nats_error_text(s);
        }
        if (ack) jsPubAck_Destroy(ack);
        natsMsg_Destroy(msg);
        std::lock_guard<std::mutex> lock(mu_);
        if (closed_ || !post_) return;
        post_([this, outcome, seq, why] { published(outcome, seq, why); });
    });
    if (!queued) {
        role_.finished(PublishOutcome::failed, now_ms());
        if (error) *error = "NATS publishing is stopped or backed up";
        return false;
    }
    return true;
}

void JetStreamJournal::published(PublishOutcome outcome, Seq seq, const std::string& error) {
    if (closed_) return;
    const bool changed = role_.finished(outcome, now_ms());
    if (outcome == PublishOutcome::stored) {
        last_stored_ = std::max(last_stored_, seq);
        ++appends_;
        if (failure_streak_) log("frames are stored again after " + std::to_string(failure_streak_) + " failed");
        failure_streak_ = 0;
    } else if (outcome == PublishOutcome::failed) {
        ++publish_failures_;
        // First failure of a streak, then every 60th: NATS away for an hour must not fill the log.
        if (failure_streak_++ % 60 == 0) log("frame " + std::to_string(seq) + " not stored: " + error);
    }
    if (changed) {
        log(role_.active() ? "this hub is the collector now (stored seq " + std::to_string(seq) + " in " + opt_.stream + ")"
                           : "another hub stored seq " + std::to_string(seq) + " (" + error + "): standing by");
    }
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
    const bool queued = bridge_->run_blocking([this, text] {
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = 2000;
        jsErrCode jerr = static_cast<jsErrCode>(0);
        const natsStatus s = js_Publish(nullptr, bridge_->jetstream(), catalog_subject_.c_str(), text->data(),
                                        static_cast<int>(text->size()), &po, &jerr);
        const std::string why = s == NATS_OK ? std::string() : nats_error_text(s);
        std::lock_guard<std::mutex> lock(mu_);
        if (closed_ || !post_) return;
        post_([this, text, why] {
            catalog_in_flight_ = false;
            // Stored: the catalog consumer brings it back (not sent twice meanwhile). Failed: the next tick tries again.
            if (why.empty()) stream_catalog_ = text;
            else log("catalog not stored: " + why);
        });
    });
    if (!queued) catalog_in_flight_ = false;
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
    auto it = std::lower_bound(cache_.begin(), cache_.end(), from, [](const Frame& f, Seq s) { return f.seq < s; });
    for (; it != cache_.end() && out.size() < max_count; ++it) out.push_back(JournalRecord{it->seq, it->t_ms, *it->payload});
    return out;
}

std::optional<Seq> JetStreamJournal::seq_at_or_after(std::int64_t t_ms) const {
    auto it = std::lower_bound(cache_.begin(), cache_.end(), t_ms,
                               [](const Frame& f, std::int64_t t) { return f.t_ms < t; });
    if (it == cache_.end()) return std::nullopt;
    return it->seq;
}

std::vector<std::pair<std::string, std::string>> JetStreamJournal::status() const {
    return {
        {"backend", "jetstream"},
        {"stream", opt_.stream},
        {"collector", role_.active() ? "writer" : "standby"},
        {"nats", bridge_ && bridge_->connected() ? "connected" : "disconnected"},
        {"takeovers", std::to_string(role_.takeovers())},
        {"publish_failures", std::to_string(publish_failures_)},
        {"nats_reconnects", std::to_string(bridge_ ? bridge_->reconnects() : 0)},
    };
}

}  // namespace vigil::hub::nats
