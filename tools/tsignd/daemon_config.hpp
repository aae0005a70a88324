#pragma once
// tsignd's configuration file (docs/requests.md), read with a strict parser: an unknown or
// repeated setting, a malformed value is an error naming the line.
//
//   version = 1
//   vault = /var/lib/tsign/party1            # the party directory (tsign init)
//   cluster = /etc/tsign/cluster.conf        # members and requesters
//   state = /var/lib/tsignd                  # seen request ids
//   spool = /var/spool/tsignd                # the interim request source (spool_source.hpp)
//   passphrase_file = /etc/tsign/passphrase  # optional; else TSIGN_PASSPHRASE, else a prompt
//   log_level = info                         # debug | info | warn | error
//   workers = 4                              # 1 .. 64
//   queue_limit = 64                         # 1 .. 4096
//   round_timeout = 30                       # seconds, 1 .. 3600
//   clock_skew = 60                          # seconds, 0 .. 3600
//   max_lifetime = 3600                      # seconds, 1 .. 86400
#include <filesystem>
#include <optional>

#include "tsign/service/signer_service.hpp"

namespace tsign::daemon {

struct DaemonConfig {
  std::filesystem::path vault;
  std::filesystem::path cluster;
  std::filesystem::path spool;
  std::optional<std::filesystem::path> passphrase_file;
  ServiceOptions service;  // state_dir, limits, log level
};

Result<DaemonConfig> parse_daemon_config(std::string_view text);
Result<DaemonConfig> load_daemon_config(const std::filesystem::path& file);

}  // namespace tsign::daemon
