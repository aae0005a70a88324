// tsign keygen: distributed key generation among the parties of the cluster.
#include "command.hpp"
#include "key_info.hpp"
#include "multiparty.hpp"
#include "parse.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kUsage = R"(usage: tsign keygen --dir DIR --cluster FILE --suite SUITE --threshold T --session LABEL
                    [--parties 1,2,3] [--timeout SECONDS] [--listen HOST:PORT]

Runs the distributed key generation with every other party (each runs the same command with
its own directory). No party ever holds the whole key. The new share is sealed, stored and
committed once every party confirmed it stored its own; the key id and public key are printed.

  --suite      frost-secp256k1, frost-secp256k1-tr (BIP-340/Taproot), frost-ed25519, ecdsa
  --threshold  T: signers needed, 2 <= T <= number of parties
  --parties    the holders (default: every party of the cluster)
  --session    a label all parties pass alike, new for each run (e.g. a ticket number)
  --timeout    seconds each round may take (default 120); the first round includes waiting
               for the other parties to start)";

Result<Report> run(const Args& args, const Context& context) {
  TSIGN_TRY(ShareSuite suite, parse_suite(args.require("suite")));
  TSIGN_TRY(std::uint64_t threshold, parse_number(args.require("threshold"), 65535, "--threshold"));
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));
  std::vector<PartyId> parties = cluster.ids();
  if (auto list = args.get("parties")) {
    TSIGN_TRY(parties, parse_party_list(*list, "--parties"));
  }
  if (threshold < 2 || threshold > parties.size()) {
    return make_error(ErrorKind::InvalidInput, "--threshold must be within 2.." + std::to_string(parties.size()));
  }
  const std::string label = session_label(args, true);
  TSIGN_TRY(Vault vault, open_party(args));
  TSIGN_TRY(Network network, start_network(args, cluster, vault, parties, context));
  TSIGN_TRY(VaultKey key, vault.keygen({suite, static_cast<std::uint32_t>(threshold), parties, label}, network.peers()));
  Report report;
  describe_key(report, key);
  return report;
}

}  // namespace

Command keygen_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  for (auto o : {"suite", "threshold", "parties"}) options.push_back(o);
  return {"keygen", "distributed key generation over TCP", kUsage, {party_flags(), options}, run};
}

}  // namespace tsign::cli
