// One bad entry of the page's configuration: the key it names and what was wrong, shown on
// screen and in window.vigil.configErrors (model/page_config.h, model/source_mapping.h).
#pragma once

#include <string>

namespace vigil::model {

struct ConfigError {
    std::string key;      // "history_s", "heartbeat.dead_after_ms", "thresholds.cpu.warn", "?lang",
                          // "source.hosts", or "config.json" for the document as a whole
    std::string message;  // expected a number between 60 and 86400, got "abc"
    std::string text() const { return key + ": " + message; }
    bool operator==(const ConfigError& o) const { return key == o.key && message == o.message; }
};

}  // namespace vigil::model
