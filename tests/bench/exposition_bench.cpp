// Parse speed of the Prometheus exposition parser (src/hub/sources/exposition_parser.h) on a real
// node_exporter body: MB/s and ns per line, parse only and parse + node profile. Prints numbers.
// Usage: vigil-exposition-bench [body.prom] [seconds]   (default: the unit tests' fixture, 2 s)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "hub/sources/exposition_parser.h"
#include "hub/sources/node_profile.h"

using namespace vigil::hub::sources;

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <class Each>
void run(const char* what, const std::string& body, double seconds, Each each) {
    ExpositionParser p;
    std::size_t bodies = 0, series = 0, lines = 0;
    const double t0 = now_s();
    double t = t0;
    while (t - t0 < seconds) {
        for (int k = 0; k < 50; ++k) {
            p.reset(body);
            for (ExpositionEntry e; (e = p.next()) != ExpositionEntry::end;)
                if (e == ExpositionEntry::series) each(p.series(), t);
            series += p.stats().series;
            lines += p.stats().lines;
            ++bodies;
        }
        t = now_s();
    }
    const double dt = t - t0;
    std::printf("%-22s %8.1f MB/s  %7.1f ns/line  %8.0f bodies/s  (%zu bytes, %zu lines, %zu series per body)\n", what,
                double(body.size()) * double(bodies) / dt / 1e6, dt / double(lines) * 1e9, double(bodies) / dt,
                body.size(), lines / bodies, series / bodies);
}

}  // namespace

int main(int argc, char** argv) {
    std::string path = argc > 1 ? argv[1] : VIGIL_BENCH_FIXTURE;
    const double seconds = argc > 2 ? std::atof(argv[2]) : 2.0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return 2;
    }
    std::ostringstream o;
    o << in.rdbuf();
    const std::string body = o.str();
    {
        ExpositionParser check;
        check.reset(body);
        while (check.next() != ExpositionEntry::end) {}
        if (check.stats().errors) std::printf("note: %zu errors in the body\n", check.stats().errors);
    }
    std::size_t sink = 0;
    run("parse", body, seconds, [&](const SeriesView& s, double) { sink += s.label_count; });
    NodeProfile profile;
    run("parse + node profile", body, seconds, [&](const SeriesView& s, double) { profile.add(s); });
    return sink == 0xdeadbeef;  // keeps the parse loop from being optimised away
}
