// Closures as (owner id, attempt generation) numbers, owners looked up under a shared lock.
#include "hub/nats/closure_registry.h"

#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace vigil::hub::nats {

namespace {

static_assert(sizeof(void*) >= sizeof(std::uint64_t), "a closure holds 64 bits");
constexpr std::uint32_t kMaxId = (std::uint32_t{1} << (64 - ClosureRegistry::kGenerationBits)) - 1;

struct Registry {
    std::shared_mutex mu;
    std::unordered_map<std::uint32_t, void*> owners;
    std::uint32_t last_id = 0;
};

Registry& registry() {
    static Registry* r = new Registry;  // never destroyed: nats.c's threads may call in during exit
    return *r;
}

}  // namespace

std::uint32_t ClosureRegistry::add(void* owner) {
    Registry& r = registry();
    std::unique_lock lock(r.mu);
    do {
        r.last_id = r.last_id >= kMaxId ? 1 : r.last_id + 1;
    } while (r.owners.count(r.last_id) != 0);
    r.owners.emplace(r.last_id, owner);
    return r.last_id;
}

void ClosureRegistry::remove(std::uint32_t id) {
    Registry& r = registry();
    std::unique_lock lock(r.mu);  // waits for the handlers inside with()
    r.owners.erase(id);
}

void* ClosureRegistry::closure(std::uint32_t id, std::uint64_t generation) {
    const std::uint64_t value = (static_cast<std::uint64_t>(id) << kGenerationBits) | (generation & kGenerationMask);
    return reinterpret_cast<void*>(static_cast<std::uintptr_t>(value));
}

bool ClosureRegistry::with(void* closure, const std::function<void(void*, std::uint64_t)>& f) {
    const auto value = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(closure));
    const auto id = static_cast<std::uint32_t>(value >> kGenerationBits);
    Registry& r = registry();
    std::shared_lock lock(r.mu);
    const auto it = r.owners.find(id);
    if (it == r.owners.end()) return false;
    f(it->second, value & kGenerationMask);
    return true;
}

std::uint64_t ClosureRegistry::complete(std::uint64_t low, std::uint64_t current) {
    return (current & ~kGenerationMask) | (low & kGenerationMask);
}

}  // namespace vigil::hub::nats
