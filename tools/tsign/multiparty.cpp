#include "multiparty.hpp"

#include "exit_codes.hpp"
#include "parse.hpp"

namespace tsign::cli {

std::vector<std::string_view> network_option_names() { return {"cluster", "timeout", "listen", "session"}; }

Result<Network> start_network(const Args& args, const Cluster& cluster, const Vault& vault,
                              std::vector<PartyId> participants, const Context& context) {
  NetworkOptions options;
  if (auto timeout = args.get("timeout")) {
    TSIGN_TRY(options.round_timeout, parse_seconds(*timeout, "--timeout"));
  }
  if (auto listen = args.get("listen")) {
    auto address = parse_host_port(*listen, true);
    if (!address) return make_error(ErrorKind::InvalidInput, "--listen: " + address.error().message);
    options.listen = *address;
  }
  return Network::start(cluster, vault.id(), vault.transport_key(), std::move(participants), options, context.progress);
}

std::string session_label(const Args& args, bool required) {
  const auto label = args.get("session");
  if (!label && required) {
    throw UsageError("missing --session: a label every participant passes alike, new for every run");
  }
  if (label && (label->empty() || label->size() > 256)) throw UsageError("--session: 1 to 256 characters");
  return label.value_or("");
}

}  // namespace tsign::cli
