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

TEST_CASE("the epoch names the stream and its creation: a recreated stream is a new epoch") {
    using vigil::hub::nats::stream_epoch;
    CHECK(stream_epoch("VIGIL", 0x1234abcd) == "js-VIGIL-1234abcd");
    CHECK(stream_epoch("VIGIL", 1700000000000000000) != stream_epoch("VIGIL", 1700000000000000001));
    CHECK(stream_epoch("A", 5) != stream_epoch("B", 5));
}
