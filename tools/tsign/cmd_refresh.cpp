// tsign refresh: proactive refresh of a key's shares among all its holders.
#include "command.hpp"
#include "key_info.hpp"
#include "multiparty.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kUsage = R"(usage: tsign refresh --dir DIR --cluster FILE --key KEY [--session LABEL] [--timeout SECONDS]

Re-randomizes every holder's share without changing the key (all holders take part, each
running this command). The new epoch is staged, committed only once every holder confirmed it
stored its own, and the old epoch is then wiped; if anything fails before that, the old epoch
stays the one in use. ECDSA keys also get fresh pairwise state.)";

Result<Report> run(const Args& args, const Context& context) {
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));
  const std::string label = session_label(args, false);
  TSIGN_TRY(Vault vault, open_party(args));
  TSIGN_TRY(KeyId key_id, vault.resolve(args.require("key")));
  TSIGN_TRY(VaultKey current, vault.key(key_id));
  TSIGN_TRY(Network network, start_network(args, cluster, vault, current.parties, context));
  TSIGN_TRY(VaultKey next, vault.refresh(key_id, label, network.peers()));
  Report report;
  describe_key(report, next);
  report.set("previous_epoch", "previous epoch", current.epoch);
  return report;
}

}  // namespace

Command refresh_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  options.push_back("key");
  return {"refresh", "proactive refresh of a key's shares over TCP", kUsage, {party_flags(), options}, run};
}

}  // namespace tsign::cli
