// vigil-hub: the reference hub. Thin wiring: options -> journal, sampler, server -> run.
#include "hub/hub_options.h"
#include "hub/hub_server.h"
#include "hub/local_host.h"
#include "hub/push_source.h"
#include "hub/journal.h"

#include <cstdlib>
#include <iostream>

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
        {
            ingest::PushOptions po;
            po.interval_ms = options.interval_ms;
            po.down_intervals = options.push_down_intervals;
            po.max_hosts = options.push_max_hosts;
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
        JournalOptions jo;
        jo.dir = options.journal_dir;
        jo.max_records = options.retention_frames;
        jo.max_bytes = options.retention_bytes;
        jo.segment_bytes = options.journal_segment_bytes;
        std::string error;
        auto journal = Journal::open(jo, &error);
        if (!journal) {
            std::cerr << "vigil-hub: cannot use journal " << options.journal_dir << ": " << error << "\n";
            return 1;
        }
        auto& r = journal->recovery();
        std::cerr << "vigil-hub: journal " << options.journal_dir << " epoch " << journal->epoch() << " head "
                  << journal->head_seq() << " oldest " << journal->oldest_seq()
                  << (r.new_epoch ? " (new epoch: " + r.new_epoch_reason + ")" : std::string())
                  << (r.torn_tail ? " (torn tail cut)" : "")
                  << (r.state_rebuilt ? " (epoch file rebuilt from the segments)" : "")
                  << (r.quarantined.empty() ? std::string()
                                            : " (" + std::to_string(r.quarantined.size()) + " moved to quarantine/, see /healthz)")
                  << (r.skipped ? " (seqs " + std::to_string(r.skipped->from) + ".." + std::to_string(r.skipped->to) + " skipped)" : std::string())
                  << "\n";
        HubServer server(options, std::move(journal), std::move(sampler));
        auto bound = server.listen();
        // Tests and scripts read this line to learn the port (--listen HOST:0).
        std::cout << "listening " << bound << std::endl;
        return server.run();
    } catch (const std::exception& e) {
        std::cerr << "vigil-hub: " << e.what() << "\n";
        return 1;
    }
}
