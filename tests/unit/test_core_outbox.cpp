// Outbox: order, bounds, coalescing and counted drops; through the Link: hello first, flush after
// (re)open, back-pressure retried by timer.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/outbox.h"
#include "fakes/link_harness.h"

using namespace vigil::core;
using namespace vigil::core::testing;

namespace {
std::vector<std::string> drain(Outbox& box) {
    std::vector<std::string> out;
    while (!box.empty()) {
        out.push_back(box.front());
        box.pop_front();
    }
    return out;
}
}  // namespace

TEST_CASE("the outbox keeps messages in the order they were sent") {
    Outbox box(10, 1000);
    box.push("a");
    box.push("b");
    box.push("c");
    CHECK(box.size() == 3);
    CHECK(box.bytes() == 3);
    CHECK(drain(box) == std::vector<std::string>{"a", "b", "c"});
    CHECK(box.drops() == 0);
}

TEST_CASE("past max_messages the oldest message is evicted and counted") {
    Outbox box(3, 1000);
    for (const char* m : {"1", "2", "3", "4", "5"}) CHECK(box.push(m));
    CHECK(box.drops() == 2);
    CHECK(drain(box) == std::vector<std::string>{"3", "4", "5"});
}

TEST_CASE("past max_bytes the oldest messages are evicted until the new one fits") {
    Outbox box(100, 10);
    box.push("aaaa");
    box.push("bbbb");
    box.push("cccccc");  // 4 + 4 + 6 > 10: "aaaa" goes
    CHECK(box.drops() == 1);
    CHECK(box.bytes() == 10);
    CHECK(drain(box) == std::vector<std::string>{"bbbb", "cccccc"});
}

TEST_CASE("a message larger than max_bytes on its own is refused, counted, and the queue kept") {
    Outbox box(100, 10);
    box.push("keep");
    CHECK_FALSE(box.push(std::string(11, 'x')));
    CHECK(box.drops() == 1);
    CHECK(drain(box) == std::vector<std::string>{"keep"});
}

TEST_CASE("coalescing by key: the latest value wins and moves to the end; other keys are untouched") {
    Outbox box(10, 1000);
    box.push("sub cpu=1", "cpu");
    box.push("unsubscribe all");
    box.push("sub mem=1", "mem");
    box.push("sub cpu=2", "cpu");
    CHECK(box.size() == 3);
    CHECK(box.drops() == 0);  // replaced, not dropped
    CHECK(box.bytes() == std::string("unsubscribe allsub mem=1sub cpu=2").size());
    CHECK(drain(box) == std::vector<std::string>{"unsubscribe all", "sub mem=1", "sub cpu=2"});
}

TEST_CASE("clearing the outbox counts what it discards") {
    Outbox box(10, 1000);
    box.push("a");
    box.push("b");
    box.clear();
    CHECK(box.empty());
    CHECK(box.bytes() == 0);
    CHECK(box.drops() == 2);
}

TEST_CASE("sending on an open link with nothing queued goes straight out") {
    LinkHarness h;
    const SocketId id = h.start_open();
    CHECK(h.link->send("now"));
    CHECK(h.net.socket(id).sent == std::vector<std::string>{"now"});
    CHECK(h.clock.pending() == 2);  // heartbeat + stable; no flush timer
}

TEST_CASE("messages sent while not open are flushed in order after open, after the hello from on_link_open") {
    LinkHarness h;
    h.observer.on_open = [&] { h.link->send("hello"); };
    h.link->send("one");
    h.link->start();
    h.link->send("two");
    h.net.accept(h.current());
    CHECK(h.net.last_socket().sent == std::vector<std::string>{"hello", "one", "two"});
    CHECK(h.link->stats().messages_out == 3);
}

TEST_CASE("queued messages survive a failed attempt and a dropped connection, and go out on the next open") {
    LinkHarness h;
    h.observer.on_open = [&] { h.link->send("hello"); };
    const SocketId first = h.start_open();
    h.net.peer_close(first, 1006);
    h.link->send("a");
    h.link->send("v1", "view");
    h.clock.advance(550);
    h.net.peer_close(h.current(), 1006);
    h.link->send("v2", "view");
    h.link->send("b");
    h.clock.advance(700);
    h.net.accept(h.current());
    CHECK(h.net.last_socket().sent == std::vector<std::string>{"hello", "a", "v2", "b"});
    CHECK(h.link->stats().outbox_drops == 0);
}

TEST_CASE("drops are counted in the statistics, never silent; oversized sends return false") {
    LinkConfig config = test_config();
    config.outbox.max_messages = 2;
    config.outbox.max_bytes = 8;
    LinkHarness h(config);
    CHECK(h.link->send("1"));
    CHECK(h.link->send("2"));
    CHECK(h.link->send("3"));
    CHECK_FALSE(h.link->send("123456789"));
    CHECK(h.link->stats().outbox_drops == 2);
    h.link->stop();  // discarding the two queued messages counts too
    CHECK(h.link->stats().outbox_drops == 4);
}

TEST_CASE("back-pressure: above max_buffered_bytes messages wait in the outbox and the flush retries by timer") {
    LinkHarness h;
    const SocketId id = h.start_open();
    auto& socket = h.net.socket(id);
    socket.buffered = 64 * 1024 + 1;
    CHECK(h.link->send("a"));
    CHECK(h.link->send("b"));
    CHECK(socket.sent.empty());
    h.clock.advance(100);
    CHECK(socket.sent.empty());  // still above the bound: retried later
    socket.buffered = 0;
    CHECK(h.link->send("c"));  // queued behind a and b, never ahead of them
    CHECK(socket.sent.empty());
    h.clock.advance(100);
    CHECK(socket.sent == std::vector<std::string>{"a", "b", "c"});
    CHECK(h.link->send("d"));  // the backlog is gone: direct again
    CHECK(socket.sent.back() == "d");
}

TEST_CASE("a socket that refuses a send keeps the message queued for the next flush") {
    LinkHarness h;
    const SocketId id = h.start_open();
    auto& socket = h.net.socket(id);
    socket.accepts_sends = false;
    CHECK(h.link->send("a"));
    h.clock.advance(100);
    CHECK(socket.sent.empty());
    socket.accepts_sends = true;
    h.clock.advance(100);
    CHECK(socket.sent == std::vector<std::string>{"a"});
    CHECK(h.link->stats().outbox_drops == 0);
}

TEST_CASE("the flush stops when the socket closes and resumes on the next socket") {
    LinkHarness h;
    const SocketId id = h.start_open();
    h.net.socket(id).buffered = 1 << 20;
    h.link->send("a");
    h.net.peer_close(id, 1006);
    CHECK(h.clock.pending() == 1);  // only the retry: the flush timer went with the socket
    h.clock.advance(550);
    h.net.accept(h.current());
    CHECK(h.net.last_socket().sent == std::vector<std::string>{"a"});
}
