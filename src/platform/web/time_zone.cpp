// The wall's time zone from the browser's Intl (see the header). The JS side is vigil_page.js.
#include "platform/web/time_zone.h"

#include <array>

extern "C" {
int vigil_js_tz_set(const char* name);
int vigil_js_tz_offset_min(double unix_ms);
int vigil_js_tz_name(char* out, int len);
}

namespace vigil::web {
namespace {

// Every offset in use is a whole number of 15 minutes, and so is every change of one (DST moves
// at whole quarter hours of UTC): within one 15-minute slot of UTC the offset is the same. A
// few slots cached make the clock (once a second) and the DOWN tiles' times cost no Intl call.
struct OffsetCache {
    struct Slot {
        std::int64_t key = INT64_MIN;
        int offset = 0;
    };
    std::array<Slot, 16> slots{};
    std::size_t next = 0;
    void clear() { slots.fill(Slot{}); }
};

OffsetCache& cache() {
    static OffsetCache c;
    return c;
}

// As configured: Chromium resolves some names to older canonical ones ("Asia/Kolkata" reads back
// as "Asia/Calcutta"), and the wall should say what its config says.
std::string& configured_name() {
    static std::string name;
    return name;
}

}  // namespace

bool set_time_zone(const std::string& iana) {
    if (!vigil_js_tz_set(iana.c_str())) return false;
    cache().clear();
    configured_name() = iana;
    return true;
}

int time_zone_offset_min(std::int64_t unix_ms) {
    constexpr std::int64_t kSlotMs = 15 * 60 * 1000;
    const std::int64_t key = unix_ms / kSlotMs - (unix_ms % kSlotMs < 0 ? 1 : 0);
    OffsetCache& c = cache();
    for (const auto& s : c.slots)
        if (s.key == key) return s.offset;
    const int offset = vigil_js_tz_offset_min(static_cast<double>(unix_ms));
    c.slots[c.next++ % c.slots.size()] = {key, offset};
    return offset;
}

std::string time_zone_name() {
    if (!configured_name().empty()) return configured_name();
    char buf[128] = {};
    vigil_js_tz_name(buf, sizeof buf);
    return buf;
}

}  // namespace vigil::web
