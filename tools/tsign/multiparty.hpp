#pragma once
// What the multi-party commands share: the cluster and network options and the session label.
#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "network.hpp"
#include "party.hpp"

namespace tsign::cli {

// --cluster FILE, --timeout SECONDS (per round; default 120), --listen HOST:PORT, --session LABEL.
std::vector<std::string_view> network_option_names();

Result<Network> start_network(const Args& args, const Cluster& cluster, const Vault& vault, std::vector<PartyId> participants,
                              const Context& context);

// --session: the label every participant passes alike (UsageError when `required` and missing,
// since nothing else would tell two runs apart).
std::string session_label(const Args& args, bool required);

}  // namespace tsign::cli
