// The store of pushed hosts (hub/ingest/push_store.h) with a hand-driven clock: hosts appear on
// their first push with the screen's catalog entries, values go out once per push, counters are
// rated, a silent host goes DOWN with its reason and since, and every refusal is per line.
#include <doctest/doctest.h>

#include "hub/ingest/push_store.h"
#include "hub/ingest/screen_metrics.h"
#include "protocol/decode.h"
#include "protocol/encode.h"

#include <string>

using namespace vigil::hub::ingest;
using vigil::hub::sources::Precision;
using vigil::protocol::HostInfo;
using vigil::protocol::Samples;

namespace {

constexpr std::int64_t kT0 = 1764138000000;  // Unix ms of "now_s = 0"

std::int64_t unix_at(double s) { return kT0 + std::int64_t(s * 1000); }

IngestResult push(PushStore& store, const std::string& body, double at_s) {
    return store.ingest_lines(body, Precision::ns, unix_at(at_s), at_s);
}

Samples tick(PushStore& store, double at_s) {
    Samples frame;
    store.collect(frame, unix_at(at_s), at_s);
    return frame;
}

std::vector<HostInfo> catalog(const PushStore& store) {
    std::vector<HostInfo> out;
    store.describe(out);
    return out;
}

const std::pair<std::string, double>* value(const Samples& s, const std::string& host, const std::string& key) {
    for (auto& h : s.hosts)
        if (h.host == host)
            for (auto& kv : h.values)
                if (kv.first == key) return &kv;
    return nullptr;
}

}  // namespace

TEST_CASE("a host appears on its first push; known keys carry the screen's labels, units and thresholds") {
    PushStore store;
    const auto g0 = store.generation();
    auto r = push(store,
                  "cpu,cpu=cpu-total,host=db-01 usage_idle=87.5\n"
                  "mem,host=db-01 used_percent=41.25\n"
                  "system,host=db-01 load1=0.5,load5=0.25,load15=0.125,n_cpus=4i\n"
                  "app,host=db-01 queue=12i\n",
                  0);
    CHECK(r.accepted == 4);
    CHECK(r.rejected == 0);
    CHECK(store.generation() != g0);
    auto hosts = catalog(store);
    REQUIRE(hosts.size() == 1);
    CHECK(hosts[0].id == "db-01");
    CHECK(hosts[0].name == "db-01");
    CHECK(hosts[0].labels.empty());
    std::vector<std::string> keys;
    for (auto& m : hosts[0].metrics) keys.push_back(m.key);
    CHECK(keys == std::vector<std::string>{"cpu", "mem", "load1", "load5", "load15", "app_queue"});
    CHECK(hosts[0].metrics[0] == *screen_metric("cpu", 1));
    CHECK(hosts[0].metrics[0].unit == "%");
    CHECK(hosts[0].metrics[2].warn == 4.0);  // n_cpus=4: load thresholds are per core
    CHECK(hosts[0].metrics[2].crit == 8.0);
    CHECK(hosts[0].metrics[5].label == "app_queue");
    CHECK(!hosts[0].metrics[5].warn);

    auto f = tick(store, 0.5);
    REQUIRE(f.hosts.size() == 1);
    CHECK(value(f, "db-01", "cpu")->second == doctest::Approx(12.5));
    CHECK(value(f, "db-01", "mem")->second == doctest::Approx(41.25));
    CHECK(value(f, "db-01", "app_queue")->second == 12);
    CHECK(f.down.empty());
}

TEST_CASE("a long interval times many intervals is not an int overflow: a pushed host is not DOWN at once") {
    PushOptions o;
    o.interval_ms = 60000;    // one frame a minute
    o.down_intervals = 36000; // 25 days: 2.16e9 ms, past INT_MAX
    PushStore store(o);
    push(store, "mem,host=a used_percent=1\n", 0);
    auto f = tick(store, 60);
    CHECK(f.down.empty());
    CHECK(store.down_count(3600) == 0);
}

TEST_CASE("values go out once per push: a 1 Hz pusher is in every 1 s frame, a stopped one leaves the frames then is DOWN") {
    PushStore store;  // interval 1000 ms, DOWN after 3 intervals
    push(store, "mem,host=a used_percent=10\n", 0.1);
    CHECK(tick(store, 1.0).hosts.size() == 1);
    push(store, "mem,host=a used_percent=11\n", 1.1);
    auto f = tick(store, 2.0);
    REQUIRE(f.hosts.size() == 1);
    CHECK(value(f, "a", "mem")->second == 11);
    // No push: the host is absent (the page greys it), not repeated, and not DOWN yet.
    f = tick(store, 3.0);
    CHECK(f.hosts.empty());
    CHECK(f.down.empty());
    f = tick(store, 4.05);
    CHECK(f.hosts.empty());
    CHECK(f.down.empty());
    CHECK(store.down_count(4.05) == 0);
    f = tick(store, 4.15);  // 3 s after the last push
    CHECK(f.hosts.empty());
    REQUIRE(f.down.size() == 1);
    CHECK(f.down[0].host == "a");
    CHECK(f.down[0].reason == "no push for 3 s");
    CHECK(f.down[0].since == unix_at(1.1) + 3000);
    CHECK(store.down_count(4.15) == 1);
    // A push brings it back in the next frame.
    push(store, "mem,host=a used_percent=12\n", 5.0);
    f = tick(store, 5.5);
    CHECK(f.down.empty());
    REQUIRE(value(f, "a", "mem"));
    CHECK(value(f, "a", "mem")->second == 12);
}

TEST_CASE("two pushes between ticks: the latest value of each key, both keys") {
    PushStore store;
    push(store, "mem,host=a used_percent=10\n", 0.1);
    push(store, "mem,host=a used_percent=20\nsystem,host=a load1=2\n", 0.2);
    auto f = tick(store, 1.0);
    CHECK(value(f, "a", "mem")->second == 20);
    CHECK(value(f, "a", "load1")->second == 2);
}

TEST_CASE("Telegraf net and diskio counters are rated per series over the lines' timestamps and summed per host") {
    PushStore store;
    const std::string t1 = " 1764138000000000000\n", t2 = " 1764138002000000000\n";  // 2 s apart (ns)
    push(store,
         "net,host=a,interface=eth0 bytes_recv=1000i,bytes_sent=0i" + t1 +
             "net,host=a,interface=eth1 bytes_recv=5000i,bytes_sent=0i" + t1 +
             "net,host=a,interface=lo bytes_recv=0i,bytes_sent=0i" + t1 +
             "diskio,host=a,name=sda read_bytes=0i,write_bytes=0i" + t1 +
             "diskio,host=a,name=sda1 read_bytes=0i,write_bytes=0i" + t1,
         0);
    auto f = tick(store, 0.5);
    CHECK(!value(f, "a", "net_rx"));  // one reading: no rate yet
    push(store,
         "net,host=a,interface=eth0 bytes_recv=3000i,bytes_sent=200i" + t2 +
             "net,host=a,interface=eth1 bytes_recv=6000i,bytes_sent=0i" + t2 +
             "net,host=a,interface=lo bytes_recv=999999i,bytes_sent=999999i" + t2 +
             "diskio,host=a,name=sda read_bytes=4096i,write_bytes=8192i" + t2 +
             "diskio,host=a,name=sda1 read_bytes=4096i,write_bytes=8192i" + t2,
         1);
    f = tick(store, 1.5);
    REQUIRE(value(f, "a", "net_rx"));
    CHECK(value(f, "a", "net_rx")->second == doctest::Approx((2000 + 1000) / 2.0));
    CHECK(value(f, "a", "net_tx")->second == doctest::Approx(100));
    CHECK(value(f, "a", "disk_r")->second == doctest::Approx(2048));  // the partition is not counted again
    CHECK(value(f, "a", "disk_w")->second == doctest::Approx(4096));
    // A counter reset (the host rebooted) gives no rate, never a negative one.
    push(store, "net,host=a,interface=eth0 bytes_recv=10i,bytes_sent=0i 1764138004000000000\n", 2);
    f = tick(store, 2.5);
    CHECK(!value(f, "a", "net_rx"));
}

TEST_CASE("temp is the hottest sensor of a body; unplugged readings are ignored") {
    PushStore store;
    push(store,
         "temp,host=a,sensor=coretemp_core0 temp=51\ntemp,host=a,sensor=coretemp_core1 temp=63.5\n"
         "temp,host=a,sensor=bogus temp=-273\n",
         0);
    auto f = tick(store, 0.5);
    REQUIRE(value(f, "a", "temp"));
    CHECK(value(f, "a", "temp")->second == 63.5);
    CHECK(catalog(store)[0].metrics[0].unit == "°C");
}

TEST_CASE("bad lines are refused with their line numbers; the good lines of the same body are kept") {
    PushStore store;
    auto r = push(store,
                  "mem,host=a used_percent=10\n"
                  "mem,host=a used_percent=12x\n"
                  "mem used_percent=5\n"
                  "mem,host=b used_percent=20\n"
                  "mem,host=bad/id used_percent=1\n"
                  "\x01\x02\xff garbage\n",
                  0);
    CHECK(r.accepted == 2);
    CHECK(r.rejected == 4);
    REQUIRE(r.errors.size() == 4);
    CHECK(r.errors[0].line == 2);
    CHECK(r.errors[0].message.find("line 2: invalid_field_value") == 0);
    CHECK(r.errors[1].line == 3);
    CHECK(r.errors[1].message == "line 3: no host tag");
    CHECK(r.errors[2].line == 5);
    CHECK(r.by_outcome[std::size_t(LineOutcome::bad_host)] == 1);
    CHECK(r.errors[3].line == 6);
    auto f = tick(store, 0.5);
    CHECK(value(f, "a", "mem")->second == 10);
    CHECK(value(f, "b", "mem")->second == 20);
}

TEST_CASE("lines of invalid UTF-8 are refused per line; what the store sends every screen still decodes") {
    // The hub would encode each bad byte as U+FFFD (3 bytes): a 150-byte measurement of 0xff is a
    // 450-byte key, past the page's 256, and the page refuses the whole catalog and every frame.
    PushStore store;
    const std::string bad(150, '\xff');
    auto r = push(store,
                  "mem,host=a used_percent=10\n" + bad + ",host=a v=1\n" + "app,host=a q\xc3\x28=1\n" +
                      "app,host=a,zone=\xed\xa0\x80 q=1\n" + "app,host=a note=\"caf\xc3\",q=2\n" +
                      "app,host=a caf\xc3\xa9=3\n",
                  0);
    CHECK(r.accepted == 2);  // mem, and the valid UTF-8 key "app_café"
    CHECK(r.rejected == 4);
    REQUIRE(r.errors.size() == 4);
    CHECK(r.errors[0].message.find("line 2: invalid_utf8") == 0);
    CHECK(r.errors[3].line == 5);
    vigil::protocol::Catalog cat{catalog(store)};
    auto frame = tick(store, 0.5);
    frame.seq = 1;
    frame.t = unix_at(0.5);
    for (const std::string& text : {vigil::protocol::encode(cat), vigil::protocol::encode(frame)}) {
        const auto d = vigil::protocol::decode_hub_message(text);
        CHECK_MESSAGE(!std::holds_alternative<vigil::protocol::Rejection>(d), text.substr(0, 200));
    }
    CHECK(value(frame, "a", "mem")->second == 10);
    CHECK(value(frame, "a", "app_caf\xc3\xa9")->second == 3);
}

TEST_CASE("at most 20 errors are kept, all are counted") {
    PushStore store;
    std::string body;
    for (int i = 0; i < 50; ++i) body += "broken\n";
    auto r = push(store, body, 0);
    CHECK(r.rejected == 50);
    CHECK(r.errors.size() == IngestResult::kMaxErrors);
}

TEST_CASE("bounds: new hosts beyond max_hosts, ids of other sources and keys beyond max_keys are refused per line") {
    PushOptions o;
    o.max_hosts = 2;
    o.max_keys = 3;
    PushStore store(o);
    store.set_id_taken([](std::string_view id) { return id == "local" || id == "sim-01"; });
    auto r = push(store,
                  "mem,host=a used_percent=1\nmem,host=b used_percent=2\nmem,host=c used_percent=3\n"
                  "mem,host=local used_percent=4\nmem,host=sim-01 used_percent=5\nmem,host=a used_percent=6\n",
                  0);
    CHECK(r.accepted == 3);
    CHECK(r.by_outcome[std::size_t(LineOutcome::too_many_hosts)] == 1);
    CHECK(r.by_outcome[std::size_t(LineOutcome::host_taken)] == 2);
    CHECK(store.host_count() == 2);
    r = push(store, "x,host=a f1=1,f2=2,f3=3\n", 1);  // mem + 3 new keys > 3
    CHECK(r.by_outcome[std::size_t(LineOutcome::too_many_keys)] == 1);
    REQUIRE(catalog(store)[0].metrics.size() == 3);
    auto f = tick(store, 1.5);
    CHECK(value(f, "a", "x_f1"));  // the keys that fit are kept
    CHECK(!value(f, "a", "x_f3"));
}

TEST_CASE("samples JSON: hosts and values; a host entry with a bad value is refused whole, the others kept") {
    PushStore store;
    auto r = store.ingest_json(R"({"t":1764138000000,"hosts":{"db-01":{"cpu":12.5,"queue":3},"db-02":{"cpu":"high"},"db-03":{"mem":50}}})",
                               unix_at(0), 0);
    CHECK(r.accepted == 2);
    CHECK(r.rejected == 1);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].host == "db-02");
    CHECK(r.errors[0].message == "host db-02: cpu must be a finite number");
    auto hosts = catalog(store);
    REQUIRE(hosts.size() == 2);
    CHECK(hosts[0].metrics[0].key == "cpu");
    CHECK(hosts[0].metrics[0].unit == "%");
    auto f = tick(store, 0.5);
    CHECK(value(f, "db-01", "cpu")->second == 12.5);
    CHECK(value(f, "db-03", "mem")->second == 50);

    for (const char* bad : {"", "[1]", "{\"hosts\":[]}", "{\"t\":\"x\",\"hosts\":{}}", "{not json", "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]"}) {
        CAPTURE(bad);
        auto e = store.ingest_json(bad, unix_at(1), 1);
        CHECK(e.rejected == 1);
        CHECK(e.errors.size() == 1);
    }
}

TEST_CASE("a many-core pushed host: its own keys come before the cpuN keys (the page shows a host's first keys)") {
    PushStore store;
    std::string body = "mem,host=big used_percent=40\napp,host=big queue=3i\n";
    for (int i = 0; i < 40; ++i) body += "cpu,cpu=cpu" + std::to_string(i) + ",host=big usage_idle=50\n";
    push(store, body, 0);
    auto hosts = catalog(store);
    REQUIRE(hosts.size() == 1);
    std::vector<std::string> keys;
    for (auto& m : hosts[0].metrics) keys.push_back(m.key);
    REQUIRE(keys.size() == 42);
    CHECK(keys[0] == "mem");
    CHECK(keys[1] == "app_queue");  // before cpu0..cpu39, within the first 32 the page keeps
    CHECK(keys[2] == "cpu0");
    CHECK(keys[3] == "cpu1");
    CHECK(keys.back() == "cpu39");
}

TEST_CASE("screen_metric matches the local host's table: cpuN, load per core, plain for unknown keys") {
    CHECK(screen_metric("cpu3", 1)->label == "CPU 3");
    CHECK(screen_metric("cpu3", 1)->crit == 98.0);
    CHECK(screen_metric("load15", 8)->warn == 8.0);
    CHECK(!screen_metric("gpu_temp", 1));
    CHECK(screen_metric_rank("cpu") == 0);
    CHECK(screen_metric_rank("cpu0") > screen_metric_rank("temp"));
    CHECK(screen_metric_rank("cpux") == -1);
}

TEST_CASE("a host silent for forget_after_s leaves the catalog and frees its slot; never before it was DOWN") {
    PushOptions o;
    o.forget_after_s = 60;
    o.max_hosts = 2;
    PushStore store(o);
    push(store, "mem,host=old used_percent=10\n", 0);
    push(store, "mem,host=b used_percent=10\n", 0);
    CHECK(push(store, "mem,host=new used_percent=10\n", 1).by_outcome[std::size_t(LineOutcome::too_many_hosts)] == 1);
    for (double t = 1; t < 60; t += 1) push(store, "mem,host=b used_percent=11\n", t);  // b keeps pushing
    auto f = tick(store, 59.9);
    REQUIRE(f.down.size() == 1);  // old: DOWN, still shown
    CHECK(f.down[0].host == "old");
    const auto gen = store.generation();
    CHECK(catalog(store).size() == 2);
    f = tick(store, 60.0);  // 60 s after its last push
    CHECK(f.down.empty());
    CHECK(store.generation() != gen);  // the catalog is resent without it
    const auto after = catalog(store);
    REQUIRE(after.size() == 1);
    CHECK(after[0].id == "b");
    CHECK(store.host_count() == 1);
    CHECK(store.forgotten_count() == 1);
    CHECK(store.down_count(60.0) == 0);
    // Its slot is free: a new host is admitted; the old id pushing again is a new host too.
    CHECK(push(store, "mem,host=new used_percent=10\n", 60.5).accepted == 1);
    CHECK(push(store, "mem,host=old used_percent=10\n", 60.5).by_outcome[std::size_t(LineOutcome::too_many_hosts)] == 1);
    push(store, "mem,host=b used_percent=12\n", 60.5);
    CHECK(tick(store, 61).hosts.size() == 2);
    CHECK(store.forgotten_count() == 1);

    // Shorter than the DOWN rule: the host is still DOWN first, and forgotten only then.
    PushOptions quick;
    quick.forget_after_s = 1;  // DOWN after 3 intervals of 1 s
    PushStore q(quick);
    push(q, "mem,host=a used_percent=1\n", 0);
    CHECK(tick(q, 2.9).down.empty());
    CHECK(tick(q, 3.0).down.size() == 1);  // DOWN in a frame first
    CHECK(q.host_count() == 1);
    CHECK(tick(q, 4.0).down.empty());      // one interval later: forgotten
    CHECK(q.host_count() == 0);

    // 0: never forgotten.
    PushOptions never;
    never.forget_after_s = 0;
    PushStore n(never);
    push(n, "mem,host=a used_percent=1\n", 0);
    CHECK(tick(n, 10 * 86400).down.size() == 1);
    CHECK(n.host_count() == 1);
}

TEST_CASE("a store that never makes a frame (a standby hub) still forgets silent hosts, on the next push") {
    PushOptions o;
    o.forget_after_s = 60;
    o.max_hosts = 2;
    PushStore store(o);
    push(store, "mem,host=a1 used_percent=10\n", 0);
    push(store, "mem,host=a2 used_percent=10\n", 0);
    CHECK(push(store, "mem,host=b used_percent=10\n", 30).by_outcome[std::size_t(LineOutcome::too_many_hosts)] == 1);
    // No tick ever: 60 s after a1 and a2 went silent, the next body finds their slots free.
    CHECK(push(store, "mem,host=b used_percent=10\n", 60).accepted == 1);
    CHECK(store.host_count() == 1);
    CHECK(store.forgotten_count() == 2);
    // A JSON body forgets too: b silent 60 s, then c takes the last free slot and b's.
    push(store, "mem,host=d used_percent=10\n", 61);
    CHECK(store.ingest_json(R"({"hosts":{"c":{"cpu":1}}})", unix_at(120), 120).accepted == 1);
    CHECK(store.host_count() == 2);  // d and c
    CHECK(store.forgotten_count() == 3);
}

TEST_CASE("a key a host has not sent for forget_after_s leaves its catalog: a host at max_keys then takes new ones") {
    PushOptions o;
    o.forget_after_s = 60;
    o.max_keys = 3;
    PushStore store(o);
    REQUIRE(push(store, "x,host=a f1=1,f2=2,f3=3\n", 0).accepted == 1);
    CHECK(push(store, "y,host=a g1=1\n", 1).by_outcome[std::size_t(LineOutcome::too_many_keys)] == 1);
    for (double t = 1; t <= 61; t += 1) push(store, "x,host=a f1=1\n", t);  // f2 and f3 no more
    // 30 s of silence is not 60: still refused.
    CHECK(push(store, "y,host=a g1=1\n", 30.5).by_outcome[std::size_t(LineOutcome::too_many_keys)] == 1);
    CHECK(store.forgotten_key_count() == 0);
    const auto gen = store.generation();
    // 61 s after f2 and f3 were last sent: they go, g1 comes in.
    CHECK(push(store, "y,host=a g1=1\n", 61).accepted == 1);
    CHECK(store.forgotten_key_count() == 2);
    CHECK(store.generation() != gen);  // the catalog is resent
    auto cat = catalog(store);
    REQUIRE(cat.size() == 1);
    std::vector<std::string> keys;
    for (auto& m : cat[0].metrics) keys.push_back(m.key);
    CHECK(keys == std::vector<std::string>{"x_f1", "y_g1"});
    auto f = tick(store, 61.5);
    CHECK(value(f, "a", "y_g1"));
    CHECK(!value(f, "a", "x_f2"));

    // Below max_keys too, every 100 bodies: a field a host stopped sending leaves its tile a day
    // later (greyed until then), instead of staying for the host's lifetime.
    PushStore b(o);
    push(b, "x,host=b f1=1,f2=2\n", 0);
    for (double t = 1; t <= 120; t += 1) push(b, "x,host=b f1=1\n", t);
    CHECK(b.forgotten_key_count() == 1);
    REQUIRE(catalog(b).size() == 1);
    CHECK(catalog(b)[0].metrics.size() == 1);

    // 0: never forgotten.
    PushOptions never = o;
    never.forget_after_s = 0;
    PushStore n(never);
    push(n, "x,host=a f1=1,f2=2,f3=3\n", 0);
    for (double t = 1; t <= 200; t += 1) push(n, "x,host=a f1=1\n", t);
    CHECK(push(n, "y,host=a g1=1\n", 201).by_outcome[std::size_t(LineOutcome::too_many_keys)] == 1);
    CHECK(n.forgotten_key_count() == 0);
}
