// Helpers of the test_sources_* tests: a fixture of tests/unit/fixtures/, and one scrape of a body
// through the real parser into a profile or mappings (anything with begin/add/finish).
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "hub/sources/exposition_parser.h"

// __FILE__ is relative to the build folder with Ninja (ctest runs tests one folder below it),
// absolute with other generators: try both.
inline std::string read_sources_fixture(const char* name) {
    std::string here = __FILE__;
    here = here.substr(0, here.rfind('/') + 1) + "fixtures/" + name;
    for (const std::string& path : {here, "../" + here}) {
        std::ifstream in(path, std::ios::binary);
        if (!in) continue;
        std::ostringstream o;
        o << in.rdbuf();
        return o.str();
    }
    FAIL("missing fixture " << here);
    return {};
}

// A naive reading, independent of the parser: the value of the line starting with `prefix` + " ".
inline double line_value(const std::string& body, const std::string& prefix) {
    std::istringstream in(body);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix + " ", 0) == 0) return std::stod(line.substr(prefix.size() + 1));
    FAIL("no line " << prefix);
    return 0;
}

// The values `sink` gives for `body` (which must parse without error) taken at `now_s`.
template <class Sink>
std::map<std::string, double> scrape_into(Sink& sink, const std::string& body, double now_s) {
    using namespace vigil::hub::sources;
    ExpositionParser p;
    p.reset(body);
    sink.begin(now_s);
    for (ExpositionEntry e; (e = p.next()) != ExpositionEntry::end;) {
        REQUIRE_MESSAGE(e != ExpositionEntry::error, p.error().describe());
        if (e == ExpositionEntry::series) sink.add(p.series());
    }
    std::map<std::string, double> out;
    for (auto& [k, v] : sink.finish()) {
        REQUIRE_MESSAGE(out.count(k) == 0, "key twice: " << k);
        out[k] = v;
    }
    return out;
}
