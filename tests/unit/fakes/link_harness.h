// A Link wired to fake time and fake sockets, with an observer that records everything, for the core's tests.
// Its destructor destroys the Link and then checks the contract every test must end with:
// no live timer, no unreleased socket, no socket released twice, no call on a released socket.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/link.h"
#include "fake_scheduler.h"
#include "fake_transport.h"

namespace vigil::core::testing {

class RecordingObserver final : public LinkObserver {
public:
    void on_link_state(const LinkStatus& status) override {
        events.push_back(status);
        if (on_state) on_state(status);
    }
    void on_link_open() override {
        ++opens;
        if (on_open) on_open();
    }
    void on_link_message(std::string_view text, bool binary) override {
        messages.emplace_back(text);
        binaries += binary ? 1 : 0;
        if (on_message) on_message(text);
    }

    std::vector<LinkState> states() const {
        std::vector<LinkState> out;
        for (const auto& e : events) out.push_back(e.state);
        return out;
    }

    std::vector<LinkStatus> events;
    std::vector<std::string> messages;
    int opens = 0;
    int binaries = 0;
    std::function<void(const LinkStatus&)> on_state;
    std::function<void()> on_open;
    std::function<void(std::string_view)> on_message;
};

inline LinkConfig test_config() {
    LinkConfig config;
    config.url = "ws://hub.test/ws";
    return config;  // every timing at its shipped default
}

struct LinkHarness {
    explicit LinkHarness(LinkConfig config = test_config(), double jitter = 0.5)
        : random(FakeRandom::fixed(jitter)) {
        link = std::make_unique<Link>(net, clock, random, std::move(config));
        link->set_observer(&observer);
    }

    ~LinkHarness() {
        link.reset();
        CHECK_MESSAGE(clock.pending() == 0, "a timer outlived the Link");
        CHECK_MESSAGE(net.unreleased() == 0, "a socket was never released");
        CHECK_MESSAGE(net.released_twice() == 0, "a socket was released twice");
        CHECK_MESSAGE(net.bad_calls() == 0, "the Link touched a released or unknown socket");
    }

    // start() and let the hub accept: returns the open socket.
    SocketId start_open() {
        link->start();
        const SocketId id = net.last();
        net.accept(id);
        return id;
    }

    // The socket currently used by the link (the last one opened).
    SocketId current() const { return net.last(); }

    FakeScheduler clock;
    FakeTransport net;
    FakeRandom random;
    RecordingObserver observer;
    std::unique_ptr<Link> link;
};

}  // namespace vigil::core::testing
