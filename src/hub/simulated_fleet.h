// N simulated hosts with plausible patterns: a diurnal load curve over a compressed day, random
// spikes, one host that goes silent now and then, one that alarms (CPU above crit).
// Every value is a pure function of (seed, host, seq): the same seed gives the same frames, and
// after a hub restart the patterns continue where the journal's head left them.
#pragma once

#include "hub/host_catalog.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace vigil::hub {

class SimulatedFleet {
public:
    // Frames per simulated day: a full diurnal cycle every `day_frames` frames.
    static constexpr std::uint64_t day_frames = 600;
    // The silent host is absent for `silent_frames` frames out of every `silent_period` frames.
    static constexpr std::uint64_t silent_period = 180;
    static constexpr std::uint64_t silent_frames = 45;
    // The alarming host is above crit for `alarm_frames` frames out of every `alarm_period` frames.
    static constexpr std::uint64_t alarm_period = 120;
    static constexpr std::uint64_t alarm_frames = 30;

    SimulatedFleet(int hosts, std::uint64_t seed);

    const std::vector<HostInfo>& hosts() const { return hosts_; }

    // Index of the host that goes silent / alarms; nothing when the fleet is too small.
    std::optional<std::size_t> silent_host() const;
    std::optional<std::size_t> alarming_host() const;

    // Values of host `index` in frame `seq`; nothing when the host is silent in that frame.
    std::optional<HostValues> sample(std::size_t index, std::uint64_t seq) const;

private:
    std::uint64_t seed_;
    std::vector<HostInfo> hosts_;
    std::vector<double> phase_;  // each host's offset in the day, so they do not move in lockstep
};

}  // namespace vigil::hub
