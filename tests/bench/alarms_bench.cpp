// vigil-alarms-bench: AlarmBoard::evaluate for every (host, metric) of a frame, as Fleet::apply_host
// does, with many alarms active (issue: O(hosts x metrics x active) per frame). Prints ms per frame.
// Usage: vigil-alarms-bench [hosts=5000] [metrics=10] [active=1000] [frames=20]
#include "model/alarms.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using vigil::model::AlarmBoard;
    const int hosts = argc > 1 ? std::atoi(argv[1]) : 5000;
    const int metrics = argc > 2 ? std::atoi(argv[2]) : 10;
    const int active = argc > 3 ? std::atoi(argv[3]) : 1000;
    const int frames = argc > 4 ? std::atoi(argv[4]) : 20;
    std::vector<std::string> host_ids, keys;
    for (int h = 0; h < hosts; ++h) host_ids.push_back("host-" + std::to_string(h));
    for (int m = 0; m < metrics; ++m) keys.push_back("metric_" + std::to_string(m));
    const vigil::model::Thresholds th{80.0, 95.0};
    AlarmBoard board;
    double worst = 0, total = 0;
    std::size_t sink = 0;
    for (int f = 0; f < frames; ++f) {
        const auto t0 = std::chrono::steady_clock::now();
        const double t = 1000.0 * f;
        for (int h = 0; h < hosts; ++h)
            for (int m = 0; m < metrics; ++m) {
                const int pair = h * metrics + m;
                // `active` pairs in alarm (warn or crit), 20 of them changing level each frame.
                double v = 20;
                if (pair < active) v = (pair % 3 == 0) ? 99 : 85;
                if (pair < active && pair % (active / 20 + 1) == 0 && f % 2) v = 99;
                board.evaluate(host_ids[h], keys[m], v, th, t, t);
            }
        sink += board.active().size();  // the screen reads the board once a frame
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (f > 0) {  // the first frame raises every alarm
            total += ms;
            worst = std::max(worst, ms);
        }
    }
    std::printf("alarms-bench: %d hosts x %d metrics, %zu alarms active: %.2f ms per frame (mean of %d), worst %.2f ms\n",
                hosts, metrics, board.active().size(), total / (frames - 1), frames - 1, worst);
    return sink == 0;
}
