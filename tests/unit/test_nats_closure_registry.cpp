// The closures of the JetStream journal's subscriptions: numbers naming a journal and an open
// attempt, so a failed attempt leaves nothing allocated behind and a handler called after the
// journal went (nats.c may call once more after a subscription's destruction) reaches nothing.
#include "hub/nats/closure_registry.h"

#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

using vigil::hub::nats::ClosureRegistry;

TEST_CASE("a closure names its owner and the attempt's generation; complete() restores the generation's high bits") {
    int owner = 0;
    const auto id = ClosureRegistry::add(&owner);
    CHECK(id != 0);
    const std::uint64_t current = (std::uint64_t{3} << ClosureRegistry::kGenerationBits) + 17;
    void* c = ClosureRegistry::closure(id, current);
    void* seen = nullptr;
    std::uint64_t low = 0;
    CHECK(ClosureRegistry::with(c, [&](void* o, std::uint64_t g) {
        seen = o;
        low = g;
    }));
    CHECK(seen == &owner);
    CHECK(low == 17);
    CHECK(ClosureRegistry::complete(low, current) == current);
    // An earlier attempt's closure stays an earlier attempt's, whatever the high bits.
    void* earlier = ClosureRegistry::closure(id, current - 1);
    CHECK(ClosureRegistry::with(earlier, [&](void*, std::uint64_t g) { low = g; }));
    CHECK(ClosureRegistry::complete(low, current) == current - 1);
    CHECK(ClosureRegistry::complete(low, current) != current);
    ClosureRegistry::remove(id);
}

TEST_CASE("a handler called after its owner was removed reaches nothing") {
    int owner = 0;
    const auto id = ClosureRegistry::add(&owner);
    void* c = ClosureRegistry::closure(id, 5);
    ClosureRegistry::remove(id);
    bool called = false;
    CHECK_FALSE(ClosureRegistry::with(c, [&](void*, std::uint64_t) { called = true; }));
    CHECK_FALSE(called);
    // Nor does a closure of an owner that never was.
    CHECK_FALSE(ClosureRegistry::with(ClosureRegistry::closure(0, 0), [&](void*, std::uint64_t) { called = true; }));
    CHECK_FALSE(called);
}

TEST_CASE("ids of owners registered at once differ, and a removed owner's id is not given to the next") {
    int owners[64] = {};
    std::set<std::uint32_t> ids;
    for (auto& o : owners) ids.insert(ClosureRegistry::add(&o));
    CHECK(ids.size() == 64);
    CHECK(ids.count(0) == 0);
    for (auto id : ids) ClosureRegistry::remove(id);
    int next = 0;
    const auto id = ClosureRegistry::add(&next);
    CHECK(ids.count(id) == 0);
    ClosureRegistry::remove(id);
}

TEST_CASE("remove waits for a handler running with the owner; the owner may go as soon as it returns") {
    int owner = 0;
    const auto id = ClosureRegistry::add(&owner);
    void* c = ClosureRegistry::closure(id, 1);
    std::mutex mu;
    std::condition_variable cv;
    bool entered = false, release = false, removed = false, removed_while_running = false;
    std::thread handler([&] {
        ClosureRegistry::with(c, [&](void*, std::uint64_t) {
            std::unique_lock lock(mu);
            entered = true;
            cv.notify_all();
            cv.wait(lock, [&] { return release; });
            removed_while_running = removed;
        });
    });
    {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return entered; });
    }
    std::thread remover([&] {
        ClosureRegistry::remove(id);
        std::lock_guard lock(mu);
        removed = true;
        cv.notify_all();
    });
    {
        // The removal cannot finish while the handler runs: give it the chance for 200 ms.
        std::unique_lock lock(mu);
        CHECK_FALSE(cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return removed; }));
        release = true;
        cv.notify_all();
    }
    handler.join();
    remover.join();
    CHECK_FALSE(removed_while_running);
    CHECK(removed);
    CHECK_FALSE(ClosureRegistry::with(c, [](void*, std::uint64_t) {}));
}
