// The consumers' inbox of a hub on a shared stream: what a subscription of an earlier open
// attempt still delivers (it is destroyed after the reopen began) is dropped, so a frame of the
// old stream never lands in the new stream's copy nor marks it read.
#include "hub/nats/consumer_inbox.h"

#include <doctest/doctest.h>

using vigil::hub::nats::ConsumerInbox;
using vigil::hub::nats::Delivery;

namespace {
Delivery frame(std::uint64_t seq, std::uint64_t pending) {
    Delivery d;
    d.seq = seq;
    d.t_ms = static_cast<std::int64_t>(1000 + seq);
    d.payload = std::make_shared<const std::string>("frame " + std::to_string(seq));
    d.pending = pending;
    return d;
}
}  // namespace

TEST_CASE("frames of the current attempt are held in order, with the newest seq and whether nothing was pending after one") {
    ConsumerInbox inbox;
    const auto g = inbox.generation();
    CHECK(inbox.add(g, frame(1, 2)));
    CHECK(inbox.add(g, frame(2, 1)));
    CHECK(inbox.last_seq() == 2);
    CHECK_FALSE(inbox.read_all());
    CHECK(inbox.add(g, frame(3, 0)));
    CHECK(inbox.read_all());
    auto items = inbox.take_items();
    REQUIRE(items.size() == 3);
    CHECK(items[0].seq == 1);
    CHECK(items[2].seq == 3);
    CHECK(inbox.take_items().empty());
}

TEST_CASE("after a reset (a reopen), a frame the old attempt's subscription still delivers is dropped and marks nothing") {
    ConsumerInbox inbox;
    const auto old_generation = inbox.generation();
    REQUIRE(inbox.add(old_generation, frame(40, 3)));
    inbox.reset();  // the reopen: the old subscriptions are destroyed later, on the worker
    CHECK(inbox.empty());
    CHECK(inbox.last_seq() == 0);
    // The old stream's newest frame arrives in that window: nothing pending after it.
    CHECK_FALSE(inbox.add(old_generation, frame(42, 0)));
    CHECK(inbox.empty());
    CHECK_FALSE(inbox.read_all());  // the new stream is not caught up by an old frame
    CHECK(inbox.last_seq() == 0);   // nor has it a head of 42
    CHECK(inbox.stale_dropped() == 1);
    // The new attempt's subscriptions deliver the new stream from seq 1.
    CHECK(inbox.add(inbox.generation(), frame(1, 0)));
    auto items = inbox.take_items();
    REQUIRE(items.size() == 1);
    CHECK(items[0].seq == 1);
    CHECK(*items[0].payload == "frame 1");
}

TEST_CASE("a catalog or a preview of an earlier attempt is dropped too; of the current one, only the newest preview is kept") {
    ConsumerInbox inbox;
    const auto old_generation = inbox.generation();
    inbox.reset();
    Delivery catalog;
    catalog.catalog = true;
    catalog.payload = std::make_shared<const std::string>("{}");
    CHECK_FALSE(inbox.add(old_generation, catalog));
    CHECK_FALSE(inbox.catalog_arrived());
    Delivery preview;
    preview.preview = true;
    preview.t_ms = 5000;
    CHECK_FALSE(inbox.add(old_generation, preview));
    CHECK_FALSE(inbox.take_preview());

    CHECK(inbox.add(inbox.generation(), catalog));
    CHECK(inbox.catalog_arrived());
    CHECK(inbox.add(inbox.generation(), preview));
    preview.t_ms = 4000;  // older news
    CHECK(inbox.add(inbox.generation(), preview));
    auto newest = inbox.take_preview();
    REQUIRE(newest);
    CHECK(newest->t_ms == 5000);
}
