// Exactly one collector appends to a shared stream: the writer role of one hub, as a pure state
// machine (time passed in, no I/O), so takeover rules are unit-tested without NATS.
//
// Implemented features:
//  [X] standby until the stream has been silent for takeover_intervals intervals, then one try
//  [X] one publish in flight at a time; a tick while one is in flight is skipped, not queued
//  [X] a publish refused because another hub stored that seq first (wrong last sequence; the
//      message id names the hub, so a duplicate is this hub's own earlier publish: stored)
//      makes this hub a standby at once: never two writers for long
//  [X] other failures (no NATS, timeout) keep the role; the expected-last-sequence check makes a
//      late or repeated publish harmless (it is refused, never stored under a second seq)
//  [X] of two active hubs (a takeover during an election), one stands by on the other's frame
//  [X] a writer that leaves (SIGTERM) says so: a standby that holds the leaver's last seq takes
//      over at its next tick, not after takeover_intervals of silence (the stream's sequence
//      check still decides who wrote a seq)
//  [X] ... unless its last publish got no answer (failed): that seq may be stored late, and a note
//      naming the seq before it would send the standby into a refused publish; the silence rule decides
//  [X] a hub whose NATS connection dropped stands by at once (it cannot know whether another took
//      over meanwhile); connected again, it waits a whole takeover delay like any standby, except
//  [X] a writer back within the takeover delay, with no other hub's frame seen since its own last
//      one (no standby can have taken over yet), writes on at once: a killed NATS node that held
//      the writer's connection costs one reconnect, not a takeover (the stream's sequence check
//      still refuses it if another hub did store meanwhile)
//  [ ] a lease in a key-value bucket: the stream's own sequence check is the arbiter here
#pragma once

#include <cstdint>

namespace vigil::hub::nats {

enum class PublishOutcome {
    stored,     // stored under the seq it was sampled for
    lost_race,  // another writer stored that seq first: this hub is not the writer
    failed,     // not known to be stored (no connection, timeout, other error)
};

class WriterRole {
public:
    // Times are monotonic ms. A standby tries once the stream was silent takeover_intervals.
    WriterRole(std::int64_t interval_ms, std::int64_t now_ms, int takeover_intervals = 2);

    // A frame was stored by any hub (this one included): the stream is alive.
    void frame_seen(std::int64_t now_ms) { last_frame_ms_ = now_ms; }
    // Whether to sample and publish now; head_seq: the newest seq this hub holds (writer_left).
    bool may_publish(std::int64_t now_ms, bool connected, std::uint64_t head_seq = 0) const;
    void publishing() { in_flight_ = true; }
    // The publish ended. Returns true when the role changed (for a log line).
    bool finished(PublishOutcome outcome, std::int64_t now_ms);
    // Another hub's frame arrived while this one is active: both hold the role (the caller
    // decides which gives way). Stands by, waiting a whole takeover delay; true when it was active.
    bool other_writer_seen(std::int64_t now_ms);
    // Another hub's writer says it leaves after storing last_seq. A standby may then publish as
    // soon as it holds that seq (its next publish expects it): no silence to wait for.
    void writer_left(std::uint64_t last_seq);
    // This hub leaves (stop_writing): never publishes again. True when it was the writer and its
    // last publish was answered (stored): then it tells the others which seq it stored last.
    bool leave();
    bool last_publish_failed() const { return last_failed_; }
    // The NATS connection dropped: stand by. True when this hub was the writer.
    bool connection_lost();
    // Connected again: the silence counts from now, so a writer elsewhere shows itself first;
    // or, for a writer back within the takeover delay whose last frame is still the stream's
    // newest (stream_moved false), the role again at once. True when the role came back.
    bool connection_back(std::int64_t now_ms, bool stream_moved = true);
    bool waiting_for_connection() const { return lost_; }
    // Another stream (deleted, recreated): stand by with nothing in flight (answers about the old
    // stream are dropped by the caller); the silence counts from now. Counters and a drop stay.
    void restart(std::int64_t now_ms);
    bool left() const { return left_; }

    bool active() const { return active_; }
    bool in_flight() const { return in_flight_; }
    std::uint64_t takeovers() const { return takeovers_; }
    std::uint64_t takeovers_on_note() const { return takeovers_on_note_; }  // of those, after a leaving note
    std::uint64_t resumes() const { return resumes_; }  // connection_back() gave the role back

private:
    std::int64_t interval_ms_;
    std::int64_t takeover_after_ms_;
    std::int64_t last_frame_ms_;
    bool active_ = false;
    bool in_flight_ = false;
    bool lost_ = false;   // disconnected since it last was connected
    bool lost_as_writer_ = false;  // ... and it was the writer when the connection dropped
    bool left_ = false;   // leave(): for good
    bool last_failed_ = false;  // the last publish that ended was not known to be stored
    std::uint64_t leaver_last_ = 0;  // > 0: a writer left after this seq (writer_left)
    std::uint64_t takeovers_ = 0;
    std::uint64_t takeovers_on_note_ = 0;
    std::uint64_t resumes_ = 0;
};

}  // namespace vigil::hub::nats
