// What the hub's static server serves: MIME types, cache policy, and paths that stay in the root.
#include "hub/mime_types.h"
#include "hub/static_path.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace vigil::hub;

TEST_CASE("MIME types by extension, wasm as application/wasm") {
    CHECK(mime_type_for("app.wasm") == "application/wasm");
    CHECK(mime_type_for("/a/b/app.js") == "text/javascript; charset=utf-8");
    CHECK(mime_type_for("index.HTML") == "text/html; charset=utf-8");
    CHECK(mime_type_for("style.css") == "text/css; charset=utf-8");
    CHECK(mime_type_for("config.json") == "application/json");
    CHECK(mime_type_for("sc.otf") == "font/otf");
    CHECK(mime_type_for("x.ttf") == "font/ttf");
    CHECK(mime_type_for("logo.png") == "image/png");
    CHECK(mime_type_for("logo.svg") == "image/svg+xml");
    CHECK(mime_type_for("README") == "application/octet-stream");
}

TEST_CASE("the page and config.json are revalidated; hashed names cached for good; the rest briefly") {
    CHECK(cache_control_for("index.html") == "no-cache");
    CHECK(cache_control_for("config.json") == "no-cache");
    CHECK(cache_control_for("build.json") == "no-cache");
    CHECK(cache_control_for("app.js") == "public, max-age=60");
    CHECK(cache_control_for("app.wasm") == "public, max-age=60");
    CHECK(cache_control_for("app.3f9a2b1c.js") == "public, max-age=31536000, immutable");
    CHECK(cache_control_for("font-5d41402abc4b.otf") == "public, max-age=31536000, immutable");
    CHECK_FALSE(has_content_hash("12345678.js"));   // a number, not a hash
    CHECK_FALSE(has_content_hash("database.js"));   // a word made of hex letters
    CHECK_FALSE(has_content_hash("3f9a2b1c"));      // no extension after it
}

TEST_CASE("request targets map to files under the root, never above it") {
    CHECK(*relative_static_path("/") == "index.html");
    CHECK(*relative_static_path("/app.js?v=3#x") == "app.js");
    CHECK(*relative_static_path("/fonts/sc.otf") == "fonts/sc.otf");
    CHECK(*relative_static_path("/docs/") == "docs/index.html");
    CHECK(*relative_static_path("//a/./b") == "a/b");
    CHECK(*relative_static_path("/%E6%95%B0.txt") == "数.txt");
    CHECK_FALSE(relative_static_path("/../etc/passwd"));
    CHECK_FALSE(relative_static_path("/a/../../x"));
    CHECK_FALSE(relative_static_path("/%2e%2e/x"));
    CHECK_FALSE(relative_static_path("/a%2F..%2F..%2Fx"));
    CHECK_FALSE(relative_static_path("/a%00b"));
    CHECK_FALSE(relative_static_path("/a\\..\\b"));
    CHECK_FALSE(relative_static_path("/bad%zz"));
    CHECK_FALSE(relative_static_path("/trailing%2"));
    CHECK_FALSE(relative_static_path("relative"));
}

TEST_CASE("query parameters are found and decoded") {
    CHECK(*query_param("/ws?token=a%20b&x=1", "token") == "a b");
    CHECK(*query_param("/ws?x=1&token=t", "token") == "t");
    CHECK_FALSE(query_param("/ws?tokenx=1", "token"));
    CHECK_FALSE(query_param("/ws", "token"));
}

TEST_CASE("a symlink inside the root cannot serve a file outside it") {
    namespace fs = std::filesystem;
    auto base = fs::temp_directory_path() / ("vigil-static-" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base / "root" / "sub");
    std::ofstream(base / "root" / "index.html") << "page";
    std::ofstream(base / "root" / "sub" / "index.html") << "sub";
    std::ofstream(base / "secret.txt") << "secret";
    fs::create_symlink(base / "secret.txt", base / "root" / "leak.txt");
    auto root = (base / "root").string();
    CHECK(resolve_static_file(root, "/").value_or("") == fs::canonical(base / "root" / "index.html").string());
    CHECK(resolve_static_file(root, "/sub").value_or("") == fs::canonical(base / "root" / "sub" / "index.html").string());
    CHECK_FALSE(resolve_static_file(root, "/leak.txt"));
    CHECK_FALSE(resolve_static_file(root, "/missing.js"));
    fs::remove_all(base);
}
