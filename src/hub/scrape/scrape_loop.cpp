// The scrape loop: one io_context thread, one state per target, all I/O asynchronous.
// The only file of src/hub/scrape that includes Beast/Asio (slow to compile).
#include "hub/scrape/scrape_loop.h"

#include "hub/scrape/gzip_body.h"
#include "hub/scrape/scrape_body.h"
#include "hub/scrape/scrape_reason.h"
#include "hub/scrape/scrape_schedule.h"
#include "hub/scrape/target_health.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <deque>
#include <iostream>
#include <optional>

namespace vigil::hub::scrape {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kHeaderLimit = 64 * 1024;
// Beast reads max(512, free capacity) bytes at a time: an empty buffer read a 9.6 KB gzip body
// in 17 recv calls. Reserved while a scrape is in flight, released after (memory follows the
// scrapes in flight, not the targets).
constexpr std::size_t kReadChunk = 16 * 1024;

double mono_s(Clock::time_point t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

Clock::time_point from_mono_s(double s) {
    return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)));
}

std::int64_t unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool iequals(beast::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// A kept-alive connection the target closed while idle fails the next request this way; one
// retry on a fresh connection is then the normal path, not an outage.
bool closed_by_peer(const error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe;
}

struct Target {
    Target(asio::io_context& io, sources::ScrapeTarget c, const ScrapeSettings& s)
        : config(std::move(c)), socket(io), resolver(io), deadline(io), timer(io),
          profile(config.profile == sources::TargetProfile::windows ? sources::ExporterKind::windows
                                                                   : sources::ExporterKind::node,
                  core_key_room(config.mappings.size())),
          mappings(config.mappings) {
        const auto colon = config.address.rfind(':');
        host = config.address.substr(0, colon);
        if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
        port = config.address.substr(colon + 1);
        timeout_ms = scrape_timeout_ms(s.timeout_ms, config.interval_s);
        request.method(http::verb::get);
        request.target(config.metrics_path);
        request.version(11);
        request.set(http::field::host, config.address);
        request.set(http::field::user_agent, "vigil-hub");
        request.set(http::field::accept, "text/plain;version=0.0.4");
        request.set(http::field::accept_encoding, "gzip");
        read_only = read_names(profile_or_null(), mappings);
    }

    sources::NodeProfile* profile_or_null() {
        return config.profile != sources::TargetProfile::none ? &profile : nullptr;
    }

    sources::ScrapeTarget config;
    std::string host, port;
    int timeout_ms = 0;
    tcp::socket socket;
    tcp::resolver resolver;
    asio::steady_timer deadline, timer;
    beast::flat_buffer buffer;
    http::request<http::empty_body> request;
    std::optional<http::response_parser<http::string_body>> parser;

    sources::NodeProfile profile;
    sources::SeriesMappings mappings;
    sources::MetricNameSet read_only;  // what the profile and the mappings read
    TargetHealth health;
    std::vector<protocol::MetricInfo> metrics;
    std::uint64_t shape = 0;  // profile.shape() when `metrics` was built
    bool shaped = false;

    double due_s = 0;
    Clock::time_point started;
    std::uint64_t scrape_no = 0;
    bool queued = false, busy = false, removed = false, timed_out = false, reused = false, retried = false;

    TargetStatus status;
};

using TargetPtr = std::shared_ptr<Target>;

}  // namespace

struct ScrapeLoop::Impl {
    Impl(ScrapeSettings s, TargetsFile initial, WatchedFiles w)
        : settings(std::move(s)), pending(std::move(initial)), watched(std::move(w)), parser(settings.limits) {}

    // ---- schedule ----
    TargetPtr make_target(sources::ScrapeTarget config, std::size_t index, std::size_t count) {
        auto t = std::make_shared<Target>(*io, std::move(config), settings);
        t->status.host = t->config.host_id;
        t->status.address = t->config.address;
        t->status.path = t->config.metrics_path;
        t->status.interval_s = t->config.interval_s;
        t->due_s = first_due_s(epoch_s, mono_s(Clock::now()), index, count, t->config.interval_s);
        arm(t);
        return t;
    }

    void arm(const TargetPtr& t) {
        t->timer.expires_at(from_mono_s(t->due_s));
        t->timer.async_wait([this, t](error_code ec) {
            if (ec || t->removed || stopped) return;
            t->due_s = next_due_s(t->due_s, mono_s(Clock::now()), t->config.interval_s);
            arm(t);
            // Still scraping or waiting from the last round: this round is skipped, not stacked.
            if (t->busy || t->queued) return;
            if (active < settings.concurrency) return begin(t);
            t->queued = true;
            waiting.push_back(t);
        });
    }

    void begin(const TargetPtr& t) {
        ++active;
        t->busy = true;
        t->timed_out = t->retried = false;
        t->started = Clock::now();
        const auto n = ++t->scrape_no;
        t->deadline.expires_after(std::chrono::milliseconds(t->timeout_ms));
        t->deadline.async_wait([t, n](error_code ec) {
            if (ec || n != t->scrape_no || !t->busy) return;
            t->timed_out = true;  // the pending operation completes aborted and reads this
            t->resolver.cancel();
            error_code ignored;
            t->socket.close(ignored);
        });
        if (t->socket.is_open()) {
            t->reused = true;
            return send(t);
        }
        connect(t);
    }

    void finish(const TargetPtr& t, std::optional<ScrapeOutcome> outcome) {
        t->busy = false;
        if (t->buffer.size() == 0) t->buffer.shrink_to_fit();
        t->deadline.cancel();
        --active;
        if (outcome) {
            const double s = std::chrono::duration<double>(Clock::now() - t->started).count();
            t->status.duration_ms = s * 1000;
            if (observer) observer(*outcome, s);
        }
        while (active < settings.concurrency && !waiting.empty()) {
            auto next = waiting.front();
            waiting.pop_front();
            next->queued = false;
            if (!next->removed && !stopped) begin(next);
        }
    }

    // ---- one scrape ----
    void connect(const TargetPtr& t) {
        t->reused = false;
        t->buffer.consume(t->buffer.size());
        t->resolver.async_resolve(t->host, t->port, [this, t](error_code ec, tcp::resolver::results_type results) {
            if (ec) return io_failed(t, ec);
            asio::async_connect(t->socket, results, [this, t](error_code ec2, const tcp::endpoint&) {
                if (ec2) return io_failed(t, ec2);
                error_code ignored;
                t->socket.set_option(tcp::no_delay(true), ignored);
                send(t);
            });
        });
    }

    void send(const TargetPtr& t) {
        http::async_write(t->socket, t->request, [this, t](error_code ec, std::size_t) {
            if (ec) return io_failed(t, ec);
            t->parser.emplace();
            t->parser->header_limit(kHeaderLimit);
            t->buffer.reserve(kReadChunk);
            t->parser->body_limit(settings.limits.max_body_bytes);  // enforced while reading
            http::async_read(t->socket, t->buffer, *t->parser, [this, t](error_code ec2, std::size_t) {
                if (ec2) return io_failed(t, ec2);
                on_response(t);
            });
        });
    }

    void io_failed(const TargetPtr& t, const error_code& ec) {
        if (t->removed || stopped) return finish(t, std::nullopt);
        if (t->timed_out) return failed(t, timeout_failure(t->timeout_ms));
        if (ec == http::error::body_limit)
            return failed(t, unreadable_failure("body over " + std::to_string(settings.limits.max_body_bytes) + " bytes"));
        if (ec == http::error::header_limit) return failed(t, unreadable_failure("HTTP headers over 64 KiB"));
        if (closed_by_peer(ec) && t->reused && !t->retried) {
            t->retried = true;
            error_code ignored;
            t->socket.close(ignored);
            return connect(t);
        }
        if (closed_by_peer(ec)) return failed(t, {ScrapeOutcome::error, "connection closed without a response"});
        if (ec.category() == http::make_error_code(http::error::bad_version).category())
            return failed(t, {ScrapeOutcome::error, "bad HTTP response: " + ec.message()});
        failed(t, transport_failure(ec));
    }

    void failed(const TargetPtr& t, ScrapeFailure f) {
        error_code ignored;
        t->socket.close(ignored);  // the next scrape starts on a fresh connection
        const auto now = unix_ms();
        t->status.last_scrape_unix_ms = now;
        if (t->health.fail(f.reason, now) == TargetHealth::Change::went_down)
            std::cerr << "vigil-hub: target " << t->config.host_id << " (" << t->config.address << t->config.metrics_path
                      << ") DOWN: " << f.reason << "\n";
        finish(t, f.outcome);
    }

    void on_response(const TargetPtr& t) {
        const auto done = Clock::now();
        auto& res = t->parser->get();
        const bool keep = res.keep_alive();
        if (res.result_int() != 200) return failed(t, http_failure(res.result_int()));
        std::string_view body = res.body();
        if (iequals(res[http::field::content_encoding], "gzip")) {
            std::string why;
            const auto inflated = gunzip_body(body, settings.limits.max_body_bytes, &inflate_room, &why);
            if (!inflated) return failed(t, unreadable_failure(why));
            body = *inflated;
        }
        BodyReading r = read_exposition(parser, t->profile_or_null(), t->mappings, body, mono_s(done),
                                        settings.validate_all ? nullptr : &t->read_only);
        t->status.errors += r.bad_lines;
        if (!r.first_error.empty()) t->status.last_error = r.first_error;
        if (!r.readable) return failed(t, {ScrapeOutcome::unreadable, r.reason});
        t->status.series = r.series;
        t->status.samples = r.samples;
        const std::size_t dropped = t->profile.dropped_core_keys();
        if (dropped > 0 && t->status.dropped_keys == 0)
            std::cerr << "vigil-hub: target " << t->config.host_id << " (" << t->config.address << t->config.metrics_path
                      << ") has " << dropped << " more cores than the wall's keys per host take: their cpuN keys are "
                      << "not sent (they still count in cpu)\n";
        t->status.dropped_keys = dropped;
        // The catalog entries change only with the profile's shape (mappings are fixed per target).
        if (!t->shaped || t->profile.shape() != t->shape) {
            t->shaped = true;
            t->shape = t->profile.shape();
            auto metrics = target_metrics(t->profile_or_null(), t->mappings);
            if (metrics != t->metrics) {
                t->metrics = std::move(metrics);
                ++generation;
            }
        }
        const auto now = unix_ms();
        t->status.last_scrape_unix_ms = now;
        const std::int64_t was_since = t->health.since();
        if (t->health.succeed(std::move(r.values), mono_s(done), now) == TargetHealth::Change::came_up)
            std::cerr << "vigil-hub: target " << t->config.host_id << " (" << t->config.address << t->config.metrics_path
                      << ") up again after " << (now - was_since) / 1000 << " s DOWN\n";
        if (!keep) {
            error_code ignored;
            t->socket.close(ignored);
        }
        t->parser.reset();  // the body's memory goes back now, not at the next scrape
        finish(t, ScrapeOutcome::success);
    }

    // ---- targets file ----
    void apply(TargetsFile file) {
        std::vector<TargetPtr> next;
        std::vector<bool> taken(targets.size(), false);
        const std::size_t count = file.targets.size();
        for (std::size_t i = 0; i < count; ++i) {
            auto& config = file.targets[i];
            TargetPtr kept;
            for (std::size_t k = 0; k < targets.size() && !kept; ++k)
                if (!taken[k] && same_scrape(targets[k]->config, config)) {
                    taken[k] = true;
                    kept = targets[k];
                }
            if (kept) {
                kept->config.name = config.name;
                kept->config.labels = config.labels;
                kept->config.origin = config.origin;
                next.push_back(kept);
            } else {
                next.push_back(make_target(std::move(config), i, count));
            }
        }
        for (std::size_t k = 0; k < targets.size(); ++k)
            if (!taken[k]) retire(targets[k]);
        targets = std::move(next);
        ++generation;  // the sampler compares the catalogs: an unchanged one is not resent
    }

    void retire(const TargetPtr& t) {
        t->removed = true;
        t->timer.cancel();
        t->resolver.cancel();
        error_code ignored;
        t->socket.close(ignored);  // a pending operation completes aborted and releases its slot
    }

    void poll_files() {
        reload_timer->expires_after(std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(settings.reload_poll_s)));
        reload_timer->async_wait([this](error_code ec) {
            if (ec || stopped) return;
            if (files_fingerprint(watched.paths) != watched.fingerprint) reload();
            poll_files();
        });
    }

    void reload() {
        sources::ConfigErrors errors;
        WatchedFiles attempt;
        auto file = load_targets_file(settings.targets_file, settings.default_interval_s, &errors, &attempt);
        watched = std::move(attempt);  // a bad file is not re-read until it changes again
        if (!file) {
            ++counters.reload_errors;
            counters.last_reload_error = errors.messages.empty() ? "unknown error" : errors.messages.front();
            std::cerr << "vigil-hub: " << settings.targets_file << " changed but has " << errors.count
                      << " error(s); keeping the previous " << targets.size() << " targets\n";
            for (const auto& m : errors.messages) std::cerr << "vigil-hub:   " << m << "\n";
            return;
        }
        ++counters.reloads;
        std::cerr << "vigil-hub: " << settings.targets_file << " re-read: " << file->targets.size() << " targets\n";
        apply(std::move(*file));
    }

    ScrapeSettings settings;
    TargetsFile pending;  // until start()
    WatchedFiles watched;
    sources::ExpositionParser parser;  // one for every body: reset() keeps its tables' capacity
    // Every gzip body inflates here (bodies are read one at a time, on this thread): one warm buffer
    // the size of the largest body, not one per target (1,000 x 57 KB, cold at each use).
    std::string inflate_room;
    asio::io_context* io = nullptr;
    double epoch_s = 0;  // start(): the origin of every target's phase (scrape_schedule.h first_due_s)
    std::unique_ptr<asio::steady_timer> reload_timer;
    std::vector<TargetPtr> targets;  // config order
    std::deque<TargetPtr> waiting;   // due while `concurrency` scrapes were in flight
    int active = 0;
    bool stopped = false;
    std::uint64_t generation = 0;
    ScrapeCounters counters;
    Observer observer;
};

ScrapeLoop::ScrapeLoop(ScrapeSettings settings, TargetsFile initial, WatchedFiles watched)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(initial), std::move(watched))) {}

ScrapeLoop::~ScrapeLoop() = default;

void ScrapeLoop::start(boost::asio::io_context& io) {
    auto& i = *impl_;
    i.io = &io;
    i.epoch_s = mono_s(Clock::now());
    i.reload_timer = std::make_unique<asio::steady_timer>(io);
    i.apply(std::move(i.pending));
    i.pending = {};
    if (!i.settings.targets_file.empty()) i.poll_files();
}

void ScrapeLoop::stop() {
    auto& i = *impl_;
    i.stopped = true;
    if (i.reload_timer) i.reload_timer->cancel();
    for (auto& t : i.targets) i.retire(t);
    // Sockets and timers must go before the io_context does: what pending handlers still hold
    // dies with them, inside the io_context's own shutdown.
    i.targets.clear();
    i.waiting.clear();
    i.reload_timer.reset();
}

void ScrapeLoop::describe(std::vector<protocol::HostInfo>& out) const {
    for (const auto& t : impl_->targets) {
        protocol::HostInfo h;
        h.id = t->config.host_id;
        h.name = t->config.name;
        h.metrics = t->metrics;
        for (const auto& [k, v] : t->config.labels)
            if (k.rfind("__", 0) != 0) h.labels.emplace_back(k, v);
        out.push_back(std::move(h));
    }
}

std::uint64_t ScrapeLoop::generation() const { return impl_->generation; }

void ScrapeLoop::observe(Observer o) { impl_->observer = std::move(o); }

void ScrapeLoop::collect(protocol::Samples& frame, double now_s) {
    for (const auto& t : impl_->targets) {
        if (t->health.down()) {
            frame.down.push_back({t->config.host_id, t->health.reason(), t->health.since()});
        } else if (const auto* values = t->health.values_at(now_s, t->config.interval_s)) {
            frame.hosts.push_back({t->config.host_id, *values});
        }
    }
}

std::vector<TargetStatus> ScrapeLoop::targets() const {
    std::vector<TargetStatus> out;
    for (const auto& t : impl_->targets) {
        TargetStatus s = t->status;
        s.up = t->health.up();
        s.down = t->health.down();
        s.reason = t->health.reason();
        s.since = t->health.since();
        out.push_back(std::move(s));
    }
    return out;
}

const ScrapeCounters& ScrapeLoop::counters() const { return impl_->counters; }

}  // namespace vigil::hub::scrape
