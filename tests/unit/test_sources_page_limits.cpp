// What the hub sends of scraped and pushed hosts decodes on the page with its default limits
// (protocol/decode_limits.h): the page refuses a whole catalog or frame with one host of more than
// max_metrics keys, max_labels labels or an id over max_name_bytes, so the wall would go STALE.
// Through the real path: targets config -> ScrapeLoop over loopback HTTP -> describe()/collect()
// -> protocol encode -> protocol decode; what the hub leaves out is counted and named.
#include <doctest/doctest.h>

#include "hub/ingest/push_store.h"
#include "hub/scrape/scrape_body.h"
#include "hub/scrape/scrape_loop.h"
#include "hub/scrape/targets_file.h"
#include "hub/sources/targets_config.h"
#include "protocol/decode.h"
#include "protocol/decode_limits.h"
#include "protocol/encode.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <unistd.h>

using namespace vigil;
using namespace vigil::hub;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr protocol::DecodeLimits page{};
// model::FleetLimits::max_metrics_per_host: the keys of a host the page shows (the rest counted,
// not shown). A copy: this test links the hub's rooms only, not the page's model.
constexpr std::size_t page_shown_keys = 32;

double mono_now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// An HTTP/1.1 server on 127.0.0.1 that answers every GET with body(n), n = 1, 2, ... (keep-alive).
class BodyServer {
public:
    BodyServer(asio::io_context& io, std::function<std::string(int)> body)
        : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), body_(std::move(body)) {
        accept();
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    int requests() const { return requests_; }

private:
    struct Conn {
        explicit Conn(tcp::socket s) : socket(std::move(s)) {}
        tcp::socket socket;
        std::string in, out;
    };
    void accept() {
        acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
            if (ec) return;
            serve(std::make_shared<Conn>(std::move(s)));
            accept();
        });
    }
    void serve(std::shared_ptr<Conn> c) {
        asio::async_read_until(c->socket, asio::dynamic_buffer(c->in), "\r\n\r\n",
                               [this, c](boost::system::error_code ec, std::size_t n) {
                                   if (ec) return;
                                   c->in.erase(0, n);
                                   const std::string body = body_(++requests_);
                                   c->out = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                                            "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
                                   asio::async_write(c->socket, asio::buffer(c->out),
                                                     [this, c](boost::system::error_code ec2, std::size_t) {
                                                         if (!ec2) serve(c);
                                                     });
                               });
    }
    tcp::acceptor acceptor_;
    std::function<std::string(int)> body_;
    int requests_ = 0;
};

// A node_exporter body of `cores` cores at its n-th scrape: each core 1/3 busy, memory half used.
std::string node_body(int cores, int n) {
    std::string b = "# TYPE node_cpu_seconds_total counter\n";
    for (int i = 0; i < cores; ++i) {
        const std::string cpu = std::to_string(i);
        b += "node_cpu_seconds_total{cpu=\"" + cpu + "\",mode=\"idle\"} " + std::to_string(200 * n) + "\n";
        b += "node_cpu_seconds_total{cpu=\"" + cpu + "\",mode=\"user\"} " + std::to_string(100 * n) + "\n";
    }
    b += "node_memory_MemTotal_bytes 1000\nnode_memory_MemAvailable_bytes 500\n";
    b += "node_load1 3\nnode_load5 2\nnode_load15 1\n";
    return b;
}

std::string labels_json(int count, std::size_t value_bytes) {
    std::string s = "{";
    for (int i = 0; i < count; ++i) {
        std::string v(value_bytes, 'v');
        s += std::string(i ? "," : "") + "\"l" + std::to_string(i) + "\":\"" + v + "\"";
    }
    return s + "}";
}

// The catalog as the page decodes it; fails the test with the page's reason when it refuses.
protocol::Catalog page_catalog(const std::vector<protocol::HostInfo>& hosts) {
    const std::string text = protocol::encode(protocol::Catalog{hosts});
    auto r = protocol::decode_hub_message(text, page);
    if (auto* e = std::get_if<protocol::Rejection>(&r)) FAIL_CHECK("the page refuses the catalog: " << e->message);
    auto* c = std::get_if<protocol::Catalog>(&r);
    return c ? *c : protocol::Catalog{};
}

protocol::Samples page_frame(const protocol::Samples& frame) {
    const std::string text = protocol::encode(frame);
    auto r = protocol::decode_hub_message(text, page);
    if (auto* e = std::get_if<protocol::Rejection>(&r)) FAIL_CHECK("the page refuses the frame: " << e->message);
    auto* s = std::get_if<protocol::Samples>(&r);
    return s ? *s : protocol::Samples{};
}

std::optional<std::vector<sources::ScrapeTarget>> config_targets(const std::string& json,
                                                                 sources::ConfigErrors* errors) {
    auto c = sources::parse_targets_config(json, errors, 0.5);
    if (!c) return std::nullopt;
    if (!sources::resolve_host_ids(&c->targets, errors)) return std::nullopt;
    return c->targets;
}

// Runs `io` until `done` holds, at most `limit_s` seconds.
bool run_until(asio::io_context& io, const std::function<bool()>& done, double limit_s = 15) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(limit_s);
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        io.run_for(std::chrono::milliseconds(20));
    }
    return true;
}

bool has_key(const protocol::HostSamples& h, const std::string& key) {
    return std::any_of(h.values.begin(), h.values.end(), [&](const auto& kv) { return kv.first == key; });
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("vigil-page-limits-" + std::to_string(::getpid()) + "-" + std::to_string(mono_now_s()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    void write(const std::string& name, const std::string& text) const {
        const auto tmp = path / (name + ".tmp");
        std::ofstream(tmp, std::ios::binary) << text;
        std::filesystem::rename(tmp, path / name);
    }
};

}  // namespace

TEST_CASE("a 600-core node with a mapping reaches the wall: catalog and frames decode, cpuN beyond the page's limit counted") {
    asio::io_context io;
    BodyServer server(io, [](int n) { return node_body(600, n); });
    sources::ConfigErrors errors;
    auto targets = config_targets(R"({"targets": [{"address": "127.0.0.1:)" + std::to_string(server.port()) +
                                      R"(", "host": "big-01", "interval_s": 0.5,
        "mappings": [{"key": "load_max", "metric": "node_load1", "aggregate": "max"}]}]})",
                                  &errors);
    REQUIRE_MESSAGE(targets, (errors.messages.empty() ? "" : errors.messages.front()));

    scrape::ScrapeSettings settings;
    settings.default_interval_s = 0.5;
    scrape::ScrapeLoop loop(settings, scrape::TargetsFile{*targets}, scrape::WatchedFiles{});
    loop.start(io);
    // cpu and cpuN are rates: the second good scrape gives them.
    protocol::Samples frame;
    const bool rated = run_until(io, [&] {
        frame = protocol::Samples{};
        loop.collect(frame, mono_now_s());
        return !frame.hosts.empty() && has_key(frame.hosts[0], "cpu");
    });
    REQUIRE_MESSAGE(rated, "no cpu value after " << server.requests() << " scrapes");

    std::vector<protocol::HostInfo> hosts;
    loop.describe(hosts);
    REQUIRE(hosts.size() == 1);
    const std::size_t room = scrape::core_key_room(1);
    CHECK(room == page.max_metrics - sources::NodeProfile::fixed_keys - 1);
    CHECK(hosts[0].metrics.size() <= page.max_metrics);

    const protocol::Catalog catalog = page_catalog(hosts);
    REQUIRE(catalog.hosts.size() == 1);
    CHECK(catalog.hosts[0].metrics.size() == 5 + room + 1);  // cpu, mem, load1/5/15, cpu0..cpu(room-1), load_max
    // The mapping before the cpuN keys: the page shows the first FleetLimits::max_metrics_per_host.
    const auto& keys = catalog.hosts[0].metrics;
    const auto mapped = std::find_if(keys.begin(), keys.end(), [](const auto& m) { return m.key == "load_max"; });
    REQUIRE(mapped != keys.end());
    CHECK(std::size_t(mapped - keys.begin()) < page_shown_keys);
    CHECK(keys.back().key == "cpu" + std::to_string(room - 1));

    frame.seq = 1;
    frame.t = 1'700'000'000'000;
    const protocol::Samples decoded = page_frame(frame);
    REQUIRE(decoded.hosts.size() == 1);
    const auto& values = decoded.hosts[0].values;
    CHECK(values.size() == catalog.hosts[0].metrics.size());
    CHECK(has_key(decoded.hosts[0], "cpu0"));
    CHECK(has_key(decoded.hosts[0], "cpu" + std::to_string(room - 1)));
    CHECK_FALSE(has_key(decoded.hosts[0], "cpu" + std::to_string(room)));
    CHECK(has_key(decoded.hosts[0], "load_max"));
    for (const auto& [k, v] : values)
        if (k == "cpu") CHECK(v == doctest::Approx(100.0 / 3));  // every core counts, keyed or not

    // What was left out is counted and shown (GET /targets "dropped_keys").
    const auto status = loop.targets();
    REQUIRE(status.size() == 1);
    CHECK(status[0].dropped_keys == 600 - room);
    CHECK(scrape::target_totals(status).dropped_keys == 600 - room);
    CHECK(scrape::targets_json(loop).find("\"dropped_keys\":" + std::to_string(600 - room)) != std::string::npos);
    loop.stop();
}

TEST_CASE("more mappings than the page's keys per host are refused, naming the target") {
    sources::ConfigErrors errors;
    auto mappings = [](int n) {
        std::string s = "[";
        for (int i = 0; i < n; ++i) s += std::string(i ? "," : "") + R"({"key": "k)" + std::to_string(i) + R"(", "metric": "m"})";
        return s + "]";
    };
    const std::size_t node_room = page.max_metrics - sources::NodeProfile::fixed_keys;
    CHECK(config_targets(R"({"targets": [{"address": "a:1", "mappings": )" + mappings(int(node_room)) + "}]}", &errors));
    CHECK(errors.empty());
    CHECK_FALSE(config_targets(R"({"targets": [{"address": "a:1", "mappings": )" + mappings(int(node_room) + 1) + "}]}",
                               &errors));
    REQUIRE(errors.count == 1);
    CHECK(errors.messages[0].find("targets[0]: " + std::to_string(node_room + 1) + " mappings") == 0);
    errors = {};
    CHECK(config_targets(R"({"targets": [{"address": "a:1", "profile": "none", "mappings": )" +
                             mappings(int(page.max_metrics)) + "}]}",
                         &errors));
    CHECK_FALSE(config_targets(R"({"targets": [{"address": "a:1", "profile": "none", "mappings": )" +
                                   mappings(int(page.max_metrics) + 1) + "}]}",
                               &errors));
    CHECK(errors.count == 1);
}

TEST_CASE("a target of more labels than the page takes is refused naming it; what the config takes decodes") {
    const int max = int(page.max_labels);
    sources::ConfigErrors errors;
    auto refused = config_targets(R"({"targets": [{"address": "db-01:9100", "labels": )" + labels_json(max + 1, 3) + "}]}",
                                  &errors);
    CHECK_FALSE(refused);
    REQUIRE(errors.count == 1);
    CHECK(errors.messages[0] == "targets[0]: " + std::to_string(max + 1) + " labels; the wall takes at most " +
                                    std::to_string(max) + " per host");

    // The largest target the config takes: max labels of the longest values, the longest host id.
    errors = {};
    const std::string id(page.max_name_bytes, 'h');
    auto targets = config_targets(R"({"targets": [{"address": "db-01:9100", "host": ")" + id + R"(", "labels": )" +
                                      labels_json(max, page.max_name_bytes) + "}]}",
                                  &errors);
    REQUIRE_MESSAGE(targets, (errors.messages.empty() ? "" : errors.messages.front()));
    // ...and whatever a refusal let through (none, unless the check is gone) must decode too.
    if (refused) targets->insert(targets->end(), refused->begin(), refused->end());
    asio::io_context io;
    scrape::ScrapeLoop loop(scrape::ScrapeSettings{}, scrape::TargetsFile{*targets}, scrape::WatchedFiles{});
    loop.start(io);
    std::vector<protocol::HostInfo> hosts;
    loop.describe(hosts);
    loop.stop();
    const auto catalog = page_catalog(hosts);
    REQUIRE(catalog.hosts.size() == 1);
    CHECK(catalog.hosts[0].id == id);
    CHECK(catalog.hosts[0].labels.size() == page.max_labels);
}

TEST_CASE("a host id made from a long address is refused when over the page's name limit") {
    // Two exporters on one host: the ids are the whole addresses (253-byte name + port).
    const std::string name(253, 'n');
    sources::ConfigErrors errors;
    auto targets = config_targets(R"({"targets": [{"address": ")" + name + R"(:9100"}, {"address": ")" + name + R"(:9200"}]})",
                                  &errors);
    CHECK_FALSE(targets);
    REQUIRE(errors.count == 2);
    CHECK(errors.messages[0].find("targets[0]: host id \"" + name + ":9100\" (from the address) is over 256 bytes") == 0);
    if (targets) {  // the check gone: show what the page would say
        std::vector<protocol::HostInfo> hosts;
        for (const auto& t : *targets) hosts.push_back({t.host_id, t.name, {}, {}});
        page_catalog(hosts);
    }
    // One exporter: the id is the name without the port, and a "host" always works.
    errors = {};
    CHECK(config_targets(R"({"targets": [{"address": ")" + name + R"(:9100"}]})", &errors));
    CHECK(config_targets(R"({"targets": [{"address": ")" + name + R"(:9100", "host": "a"}, {"address": ")" + name +
                             R"(:9200", "host": "b"}]})",
                         &errors));
    CHECK(errors.empty());
}

TEST_CASE("a file_sd re-read with too many labels keeps the previous targets, counted and named; the wall still decodes") {
    TempDir dir;
    const int max = int(page.max_labels);
    auto sd = [&](int labels) {
        // __metrics_path__ is not sent, so it does not count; `instance` is sent and does.
        std::string l = labels_json(labels - 1, 8);
        l.insert(1, R"("__metrics_path__": "/m", "instance": "node-a", )");
        return R"([{"targets": ["127.0.0.1:1"], "labels": )" + l + "}]";
    };
    dir.write("nodes.json", sd(max));
    dir.write("targets.json", R"({"file_sd": [{"path": "nodes.json"}]})");
    const std::string file = (dir.path / "targets.json").string();

    sources::ConfigErrors errors;
    scrape::WatchedFiles watched;
    auto initial = scrape::load_targets_file(file, 1, &errors, &watched);
    REQUIRE_MESSAGE(initial, (errors.messages.empty() ? "" : errors.messages.front()));

    scrape::ScrapeSettings settings;
    settings.targets_file = file;
    settings.reload_poll_s = 0.02;
    asio::io_context io;
    scrape::ScrapeLoop loop(settings, std::move(*initial), std::move(watched));
    loop.start(io);

    dir.write("nodes.json", sd(max + 1));
    const bool seen = run_until(io, [&] { return loop.counters().reload_errors + loop.counters().reloads > 0; });
    REQUIRE(seen);
    CHECK(loop.counters().reload_errors == 1);
    CHECK(loop.counters().reloads == 0);
    const std::string& why = loop.counters().last_reload_error;
    CHECK_MESSAGE(why.find("nodes.json[0]: " + std::to_string(max + 1) + " labels") != std::string::npos, why);

    std::vector<protocol::HostInfo> hosts;
    loop.describe(hosts);
    loop.stop();
    const auto catalog = page_catalog(hosts);
    REQUIRE(catalog.hosts.size() == 1);
    CHECK(catalog.hosts[0].id == "node-a");
    CHECK(catalog.hosts[0].labels.size() == page.max_labels);  // the previous file's
}

TEST_CASE("a pushed host of more keys than the page takes is cut at max_keys, counted, and decodes") {
    static_assert(ingest::PushOptions{}.max_keys <= page.max_metrics);
    ingest::PushStore store;
    std::string body = R"({"hosts": {"push-01": {)";
    for (int i = 0; i < 600; ++i) body += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\": " + std::to_string(i);
    body += "}}}";
    // Keys beyond max_keys are refused and counted, the others kept (JSON and line protocol alike).
    std::string lines;
    for (int i = 0; i < 600; ++i) lines += "m,host=push-02 f" + std::to_string(i) + "=1\n";
    const auto rj = store.ingest_json(body, 1000, 1.0);
    CHECK(rj.by_outcome[std::size_t(ingest::LineOutcome::too_many_keys)] == 1);
    const auto r = store.ingest_lines(lines, sources::Precision::ns, 1000, 1.0);
    CHECK(r.by_outcome[std::size_t(ingest::LineOutcome::too_many_keys)] > 0);
    std::vector<protocol::HostInfo> hosts;
    store.describe(hosts);
    protocol::Samples frame;
    frame.seq = 1;
    frame.t = 1000;
    store.collect(frame, 1000, 1.0);
    REQUIRE_FALSE(hosts.empty());
    const auto catalog = page_catalog(hosts);
    for (const auto& h : catalog.hosts) CHECK(h.metrics.size() <= page.max_metrics);
    const auto decoded = page_frame(frame);
    CHECK_FALSE(decoded.hosts.empty());
}
