// The writer role of a hub on a shared stream: who samples and publishes, and when a standby
// takes over. Pure (time passed in), so every rule is checked without NATS.
#include "hub/nats/jetstream_journal.h"
#include "hub/nats/writer_role.h"

#include <doctest/doctest.h>

using vigil::hub::nats::PublishOutcome;
using vigil::hub::nats::WriterRole;

TEST_CASE("a hub starts as a standby and does not publish while the writer's frames keep coming") {
    WriterRole role(1000, 0);
    CHECK_FALSE(role.active());
    for (std::int64_t t = 0; t < 10000; t += 1000) {
        role.frame_seen(t);
        CHECK_FALSE(role.may_publish(t + 999, true));
    }
}

TEST_CASE("after 2 silent intervals a standby tries, and storing the frame makes it the writer") {
    WriterRole role(1000, 0);
    role.frame_seen(5000);
    CHECK_FALSE(role.may_publish(6999, true));
    REQUIRE(role.may_publish(7000, true));
    role.publishing();
    CHECK_FALSE(role.may_publish(7001, true));  // one publish in flight at a time
    CHECK(role.finished(PublishOutcome::stored, 7002));
    CHECK(role.active());
    CHECK(role.takeovers() == 1);
    CHECK(role.may_publish(8000, true));  // the writer publishes every tick
}

TEST_CASE("no takeover while this hub is cut off from NATS") {
    WriterRole role(1000, 0);
    CHECK_FALSE(role.may_publish(60000, false));
    CHECK(role.may_publish(60000, true));
}

TEST_CASE("a writer that finds its seq taken (wrong last sequence) steps down at once and waits again") {
    WriterRole role(500, 0);
    REQUIRE(role.may_publish(1000, true));
    role.publishing();
    role.finished(PublishOutcome::stored, 1000);
    role.publishing();
    CHECK(role.finished(PublishOutcome::lost_race, 1500));
    CHECK_FALSE(role.active());
    CHECK_FALSE(role.may_publish(2499, true));
    CHECK(role.may_publish(2500, true));
}

TEST_CASE("a failed publish (timeout, no connection) keeps the role: the seq check makes a retry harmless") {
    WriterRole role(1000, 0);
    role.publishing();
    role.finished(PublishOutcome::stored, 2000);
    role.publishing();
    CHECK_FALSE(role.finished(PublishOutcome::failed, 3000));
    CHECK(role.active());
    CHECK(role.may_publish(3001, true));
}

TEST_CASE("an active hub that sees another writer's frame stands by and waits a whole takeover delay") {
    WriterRole role(1000, 0);
    REQUIRE(role.may_publish(2000, true));
    role.publishing();
    CHECK(role.finished(PublishOutcome::stored, 2001));
    REQUIRE(role.active());
    CHECK(role.other_writer_seen(2500));
    CHECK_FALSE(role.active());
    CHECK_FALSE(role.may_publish(4499, true));
    CHECK(role.may_publish(4500, true));       // the stream silent again for 2 intervals
    CHECK_FALSE(role.other_writer_seen(4600));  // a standby has nothing to give up
}

TEST_CASE("a writer that leaves says so: a standby holding its last seq takes over at its next tick, not after the silence") {
    WriterRole writer(1000, 0), standby(1000, 0);
    writer.publishing();
    writer.finished(PublishOutcome::stored, 100);
    standby.frame_seen(100);
    CHECK(writer.leave());
    CHECK_FALSE(writer.active());
    CHECK_FALSE(writer.may_publish(100000, true));  // for good
    CHECK_FALSE(writer.leave());
    standby.writer_left(41);
    CHECK_FALSE(standby.may_publish(150, true, 40));  // seq 41 not here yet: its next publish would be refused
    CHECK(standby.may_publish(150, true, 41));        // long before 2 silent intervals (2100)
    CHECK_FALSE(standby.may_publish(150, false, 41));  // still never while cut off
    standby.publishing();
    CHECK(standby.finished(PublishOutcome::stored, 160));
    CHECK(standby.active());
    CHECK(standby.takeovers() == 1);
    CHECK(standby.takeovers_on_note() == 1);
}

TEST_CASE("a writer whose last publish got no answer leaves without a note: that seq may be stored late") {
    WriterRole writer(1000, 0);
    writer.publishing();
    writer.finished(PublishOutcome::stored, 100);  // seq N-1 stored
    writer.publishing();
    writer.finished(PublishOutcome::failed, 300);  // seq N timed out: maybe stored, maybe not
    REQUIRE(writer.active());
    CHECK(writer.last_publish_failed());
    // A note would name N-1: a standby would publish N, be refused, and wait 2 more intervals.
    CHECK_FALSE(writer.leave());
    CHECK_FALSE(writer.active());
    CHECK_FALSE(writer.may_publish(100000, true));

    WriterRole answered(1000, 0);  // the same, with its last publish stored after a failure
    answered.publishing();
    answered.finished(PublishOutcome::stored, 100);
    answered.publishing();
    answered.finished(PublishOutcome::failed, 300);
    answered.publishing();
    answered.finished(PublishOutcome::stored, 500);
    CHECK_FALSE(answered.last_publish_failed());
    CHECK(answered.leave());
}

TEST_CASE("after a leaving note the stream's sequence check still decides: a refused seq stands the hub by again") {
    WriterRole a(1000, 0), b(1000, 0);  // two standbys hear the same note
    a.writer_left(41);
    b.writer_left(41);
    REQUIRE(a.may_publish(10, true, 41));
    REQUIRE(b.may_publish(10, true, 41));
    a.publishing();
    b.publishing();
    CHECK(a.finished(PublishOutcome::stored, 20));
    CHECK_FALSE(b.finished(PublishOutcome::lost_race, 20));
    CHECK_FALSE(b.active());
    CHECK_FALSE(b.may_publish(30, true, 42));   // the note is used up: the silence rule again
    CHECK(b.may_publish(2020, true, 42));
    // A note heard by the writer itself changes nothing.
    a.writer_left(50);
    CHECK(a.active());
}

TEST_CASE("a writer whose NATS connection drops stands by; back, it waits a whole takeover delay like a standby") {
    WriterRole role(1000, 0);
    role.publishing();
    role.finished(PublishOutcome::stored, 2000);
    REQUIRE(role.active());
    CHECK(role.connection_lost());
    CHECK_FALSE(role.active());
    CHECK(role.waiting_for_connection());
    CHECK_FALSE(role.may_publish(10000, true));  // until the journal saw it connected again
    role.connection_back(10000);
    CHECK_FALSE(role.waiting_for_connection());
    CHECK_FALSE(role.may_publish(11999, true));  // another hub may have taken over: it shows itself first
    role.frame_seen(11500);                      // ... and it did
    CHECK_FALSE(role.may_publish(13499, true));
    CHECK(role.may_publish(13500, true));        // silent again for 2 intervals: the usual takeover
    CHECK_FALSE(role.connection_lost());         // a standby has no role to lose
}

TEST_CASE("a writer back within the takeover delay, its frame still the stream's newest, writes on at once") {
    WriterRole role(1000, 0);
    role.publishing();
    role.finished(PublishOutcome::stored, 2000);
    const auto takeovers = role.takeovers();
    REQUIRE(role.connection_lost());
    CHECK_FALSE(role.may_publish(2300, true));  // not before the journal saw it connected again
    CHECK(role.connection_back(2300, /*stream_moved=*/false));
    CHECK(role.active());
    CHECK(role.may_publish(2300, true));
    CHECK(role.resumes() == 1);
    CHECK(role.takeovers() == takeovers);  // the same writer, not a takeover
    // Back too late (a standby may be taking over now): the standby's rule.
    WriterRole late(1000, 0);
    late.publishing();
    late.finished(PublishOutcome::stored, 2000);
    late.connection_lost();
    CHECK_FALSE(late.connection_back(4000, false));  // 2 intervals after its last frame
    CHECK_FALSE(late.active());
    CHECK_FALSE(late.may_publish(5999, true));
    CHECK(late.may_publish(6000, true));
    // Another hub's frame came meanwhile: it took over; stand by.
    WriterRole moved(1000, 0);
    moved.publishing();
    moved.finished(PublishOutcome::stored, 2000);
    moved.connection_lost();
    CHECK_FALSE(moved.connection_back(2300, true));
    CHECK_FALSE(moved.active());
    // A standby's drop gives it nothing.
    WriterRole standby(1000, 0);
    standby.connection_lost();
    CHECK_FALSE(standby.connection_back(100, false));
    CHECK_FALSE(standby.active());
    CHECK(standby.resumes() == 0);
}

TEST_CASE("a new stream (deleted, recreated): the writer stands by, nothing in flight, the silence counts from then") {
    WriterRole role(1000, 0);
    role.publishing();
    role.finished(PublishOutcome::stored, 2000);
    role.publishing();  // its answer is about the old stream: dropped by the journal
    const auto takeovers = role.takeovers();
    role.restart(3000);
    CHECK_FALSE(role.active());
    CHECK_FALSE(role.in_flight());
    CHECK_FALSE(role.may_publish(4999, true));
    CHECK(role.may_publish(5000, true));
    CHECK(role.takeovers() == takeovers);
}

TEST_CASE("a publish stored while the connection dropped, or while leaving, does not make the hub the writer") {
    WriterRole role(1000, 0);
    role.publishing();
    role.connection_lost();
    CHECK_FALSE(role.finished(PublishOutcome::stored, 100));
    CHECK_FALSE(role.active());
    WriterRole leaving(1000, 0);
    leaving.publishing();
    leaving.leave();
    leaving.finished(PublishOutcome::stored, 100);
    CHECK_FALSE(leaving.active());
    CHECK(leaving.takeovers() == 0);
}

TEST_CASE("two hubs given the same --hub-id still get two ids: the readable part, then a random suffix") {
    using vigil::hub::nats::instance_id;
    const auto a = instance_id("hub"), b = instance_id("hub");
    CHECK(a.rfind("hub~", 0) == 0);
    CHECK(a.size() == std::string("hub~").size() + 8);
    CHECK(a != b);
}

TEST_CASE("the epoch names the stream and its creation: a recreated stream is a new epoch") {
    using vigil::hub::nats::stream_epoch;
    CHECK(stream_epoch("VIGIL", 0x1234abcd) == "js-VIGIL-1234abcd");
    CHECK(stream_epoch("VIGIL", 1700000000000000000) != stream_epoch("VIGIL", 1700000000000000001));
    CHECK(stream_epoch("A", 5) != stream_epoch("B", 5));
}

TEST_CASE("a frame's message id names the epoch, the seq and the hub: two hubs' publishes of one seq differ") {
    using vigil::hub::nats::frame_msg_id;
    CHECK(frame_msg_id("js-VIGIL-1f", 42, "hub-a") == "js-VIGIL-1f:42:hub-a");
    CHECK(frame_msg_id("js-VIGIL-1f", 42, "hub-a") != frame_msg_id("js-VIGIL-1f", 42, "hub-b"));
    CHECK(frame_msg_id("js-VIGIL-1f", 42, "hub-a") != frame_msg_id("js-VIGIL-1f", 43, "hub-a"));
}

TEST_CASE("a publish answer: a duplicate of this hub's own id at that seq means its earlier publish was stored") {
    using vigil::hub::nats::read_publish_answer;
    jsPubAck ack{};
    ack.Stream = const_cast<char*>("VIGIL");
    const auto none = static_cast<jsErrCode>(0);

    ack.Sequence = 7;
    ack.Duplicate = false;
    auto a = read_publish_answer(NATS_OK, &ack, none, 7);
    CHECK(a.outcome == PublishOutcome::stored);
    CHECK_FALSE(a.earlier);

    // The id names this hub, so a duplicate is our own earlier publish (its answer came late):
    // stored, and this hub stays the writer. The stream holds the earlier payload under 7.
    ack.Duplicate = true;
    a = read_publish_answer(NATS_OK, &ack, none, 7);
    CHECK(a.outcome == PublishOutcome::stored);
    CHECK(a.earlier);

    // A duplicate at another seq (not possible with the seq in the id): never taken as stored.
    ack.Sequence = 6;
    a = read_publish_answer(NATS_OK, &ack, none, 7);
    CHECK(a.outcome == PublishOutcome::lost_race);
    ack.Duplicate = false;
    a = read_publish_answer(NATS_OK, &ack, none, 7);
    CHECK(a.outcome == PublishOutcome::lost_race);

    // Another hub stored 7 first: its id differs, the expected last sequence refuses ours.
    a = read_publish_answer(NATS_ERR, nullptr, JSStreamWrongLastSequenceErr, 7);
    CHECK(a.outcome == PublishOutcome::lost_race);
    CHECK(a.why == "wrong last sequence");
    // No answer (a timeout): not known to be stored, the role is kept.
    a = read_publish_answer(NATS_TIMEOUT, nullptr, none, 7);
    CHECK(a.outcome == PublishOutcome::failed);
}
