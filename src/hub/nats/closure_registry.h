// The closures nats.c hands back to our subscription handlers, as numbers instead of pointers.
// nats.c may call a handler once more after its subscription was destroyed (nats.h, about
// natsSubscription_SetOnCompleteCB), and the JetStream journal destroys one set of subscriptions
// per failed open attempt (every 0.5 s while NATS refuses a consumer). A pointer closure must then
// stay valid for ever: one allocation per attempt, kept until the journal goes, and a late call
// after that touches freed memory. A number needs nothing kept: it names an owner and the open
// attempt that subscribed, and the handler looks the owner up here under a lock that its removal
// takes too.
//
// Implemented features:
//  [X] closure(id, generation): owner id and attempt generation in one pointer-sized value, no allocation
//  [X] with(closure, f): f(owner, generation) under a shared lock while the owner is registered; nothing
//      once it was removed (a late call finds no owner)
//  [X] remove(id) waits for every f running (of any owner: one lock for all); an id is not reused
//      before 2^24 owners
//  [X] generation: the attempt's low 40 bits, completed with the high bits of the owner's current one
//  [ ] locking order: f may take the owner's own lock; the owner never calls in here under that lock
#pragma once

#include <cstdint>
#include <functional>

namespace vigil::hub::nats {

class ClosureRegistry {
public:
    // Registers an owner (any object the handlers reach); its id, never 0, not one in use, and not
    // reused before 2^24 owners were registered.
    static std::uint32_t add(void* owner);
    // Unregisters it, once every handler running now (any owner's) has returned.
    static void remove(std::uint32_t id);

    // The closure for a subscription that `id`'s open attempt `generation` makes.
    static void* closure(std::uint32_t id, std::uint64_t generation);
    // Runs f(owner, generation_low) while the closure's owner is registered; false when it is not.
    static bool with(void* closure, const std::function<void(void* owner, std::uint64_t generation_low)>& f);

    // The full generation of `low` (from a closure) next to the owner's current one.
    static std::uint64_t complete(std::uint64_t low, std::uint64_t current);

    static constexpr int kGenerationBits = 40;
    static constexpr std::uint64_t kGenerationMask = (std::uint64_t{1} << kGenerationBits) - 1;
};

}  // namespace vigil::hub::nats
