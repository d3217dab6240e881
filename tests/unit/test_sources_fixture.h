// Reads a fixture of tests/unit/fixtures/ for the test_sources_* tests. __FILE__ is relative to
// the build folder with Ninja (ctest runs tests one folder below it), absolute with other
// generators: try both.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

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
