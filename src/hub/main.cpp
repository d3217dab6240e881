// vigil-hub: the reference hub. Thin wiring: options -> journal, sampler, server -> run.
#include "hub/hub_options.h"
#include "hub/hub_server.h"
#include "hub/local_host.h"
#include "hub/push_source.h"
#include "hub/journal.h"
#include "hub/scrape/scrape_loop.h"
#ifdef VIGIL_WITH_NATS
#include "hub/nats/jetstream_journal.h"
#endif

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace {

// The scrape loop as one of the sampler's sources (the scrape room cannot see hub/host_source.h).
class ScrapeSource : public vigil::hub::HostSource {
public:
    explicit ScrapeSource(std::unique_ptr<vigil::hub::scrape::ScrapeLoop> loop) : loop_(std::move(loop)) {}
    void start(boost::asio::io_context& io) override { loop_->start(io); }
    void stop() override { loop_->stop(); }
    void describe(std::vector<vigil::protocol::HostInfo>& out) const override { loop_->describe(out); }
    std::uint64_t generation() const override { return loop_->generation(); }
    void collect(vigil::protocol::Samples& frame, std::int64_t, double now_s) override { loop_->collect(frame, now_s); }

private:
    std::unique_ptr<vigil::hub::scrape::ScrapeLoop> loop_;
};

// --nats: the journal is a JetStream stream several hubs share. nullptr (said why) when unusable.
std::unique_ptr<vigil::hub::FrameJournal> open_shared_journal(const vigil::hub::HubOptions& options) {
    using namespace vigil::hub;
#ifdef VIGIL_WITH_NATS
    nats::JetStreamOptions no;
    no.urls = options.nats_urls;
    no.stream = options.nats_stream;
    no.replicas = options.nats_replicas;
    no.max_records = options.retention_frames;
    no.max_bytes = options.retention_bytes;
    no.interval_ms = options.interval_ms;
    // The readable part of the hub's id; the journal adds a random suffix per process (equal ids,
    // e.g. one hostname and PID 1 in containers, would make two hubs take each other's frames for their own).
    no.writer_id = options.hub_id.empty() ? machine_hostname() + "-" + std::to_string(getpid()) : options.hub_id;
    std::string error;
    auto shared = nats::JetStreamJournal::open(no, &error);
    if (!shared) {
        std::cerr << "vigil-hub: cannot use --nats " << options.nats_urls.front() << ": " << error << "\n";
        return nullptr;
    }
    if (!shared->is_open()) {
        std::cerr << "vigil-hub: journal: JetStream stream " << options.nats_stream
                  << " not open yet: serving screens without frames (epoch " << shared->epoch() << ") until it is, hub "
                  << shared->writer_id() << "\n";
        return shared;
    }
    std::cerr << "vigil-hub: journal: JetStream stream " << options.nats_stream << " epoch " << shared->epoch()
              << " head " << shared->head_seq() << " oldest " << shared->oldest_seq() << " ("
              << shared->retained_at_start() << " frames retained), hub " << shared->writer_id() << "\n";
    return shared;
#else
    std::cerr << "vigil-hub: --nats: this hub was built without NATS (libnats-dev was not found at configure time)\n";
    return nullptr;
#endif
}

// The default: the local journal in --journal. nullptr (said why) when unusable.
std::unique_ptr<vigil::hub::FrameJournal> open_local_journal(const vigil::hub::HubOptions& options) {
    using namespace vigil::hub;
    JournalOptions jo;
    jo.dir = options.journal_dir;
    jo.max_records = options.retention_frames;
    jo.max_bytes = options.retention_bytes;
    jo.segment_bytes = options.journal_segment_bytes;
    std::string error;
    auto local = Journal::open(jo, &error);
    if (!local) {
        std::cerr << "vigil-hub: cannot use journal " << options.journal_dir << ": " << error << "\n";
        return nullptr;
    }
    auto& r = local->recovery();
    std::cerr << "vigil-hub: journal " << options.journal_dir << " epoch " << local->epoch() << " head "
              << local->head_seq() << " oldest " << local->oldest_seq()
              << (r.new_epoch ? " (new epoch: " + r.new_epoch_reason + ")" : std::string())
              << (r.torn_tail ? " (torn tail cut)" : "")
              << (r.state_rebuilt ? " (epoch file rebuilt from the segments)" : "")
              << (r.quarantined.empty() ? std::string()
                                        : " (" + std::to_string(r.quarantined.size()) + " moved to quarantine/, see /healthz)")
              << (r.skipped ? " (seqs " + std::to_string(r.skipped->from) + ".." + std::to_string(r.skipped->to) + " skipped)" : std::string())
              << "\n";
    return local;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace vigil::hub;
    auto parsed = parse_hub_options(std::vector<std::string>(argv + 1, argv + argc), [](const char* name) { return std::getenv(name); });
    if (!parsed.options) {
        (parsed.exit_code ? std::cerr : std::cout) << parsed.message;
        return parsed.exit_code;
    }
    const HubOptions& options = *parsed.options;
    try {
        std::unique_ptr<LocalHost> local;
        if (options.local_metrics) local = std::make_unique<LocalHost>(real_files(), machine_hostname());
        auto sampler = std::make_unique<FleetSampler>(std::move(local), options.simulate, options.seed);
        scrape::ScrapeLoop* scraping = nullptr;
        if (!options.targets_file.empty()) {
            // A target's interval defaults to the frame interval (at least the config's 0.5 s floor).
            const double interval_s = std::clamp(options.interval_ms / 1000.0, sources::min_interval_s, sources::max_interval_s);
            sources::ConfigErrors errors;
            scrape::WatchedFiles watched;
            auto targets = scrape::load_targets_file(options.targets_file, interval_s, &errors, &watched);
            if (!targets) {
                std::cerr << "vigil-hub: cannot use --targets " << options.targets_file << ": " << errors.count << " error(s)\n";
                for (const auto& m : errors.messages) std::cerr << "vigil-hub:   " << m << "\n";
                return 1;
            }
            std::cerr << "vigil-hub: scraping " << targets->targets.size() << " targets of " << options.targets_file << "\n";
            scrape::ScrapeSettings s;
            s.targets_file = options.targets_file;
            s.default_interval_s = interval_s;
            s.timeout_ms = options.scrape_timeout_ms;
            s.concurrency = options.scrape_concurrency;
            s.validate_all = options.scrape_validate_all;
            auto loop = std::make_unique<scrape::ScrapeLoop>(s, std::move(*targets), std::move(watched));
            scraping = loop.get();
            sampler->add_source(std::make_unique<ScrapeSource>(std::move(loop)));
        }
        {
            ingest::PushOptions po;
            po.interval_ms = options.interval_ms;
            po.down_intervals = options.push_down_intervals;
            po.max_hosts = options.push_max_hosts;
            po.forget_after_s = options.push_forget_after_s;
            po.max_body_bytes = options.ingest_max_bytes;
            auto push = std::make_unique<PushSource>(po);
            // A pushed id may not be one another source shows (local, simulated, scrape targets):
            // checked against the catalog as of the last tick when an id is first pushed.
            push->store().set_id_taken([catalog = &sampler->catalog()](std::string_view id) {
                for (auto& h : catalog->hosts)
                    if (h.id == id) return true;
                return false;
            });
            sampler->add_source(std::move(push));
        }
        auto journal = options.nats_urls.empty() ? open_local_journal(options) : open_shared_journal(options);
        if (!journal) return 1;
        HubServer server(options, std::move(journal), std::move(sampler));
        if (scraping) {
            HubContext& context = server.context();
            context.scrape = scraping;
            scraping->observe([&context](scrape::ScrapeOutcome outcome, double seconds) {
                ++context.counters.scrapes_by_outcome[scrape::outcome_name(outcome)];
                context.scrape_seconds.observe(seconds);
            });
        }
        auto bound = server.listen();
        // Tests and scripts read this line to learn the port (--listen HOST:0).
        std::cout << "listening " << bound << std::endl;
        return server.run();
    } catch (const std::exception& e) {
        std::cerr << "vigil-hub: " << e.what() << "\n";
        return 1;
    }
}
