// tsign reshare: hand a key to a new committee (new parties, a new threshold, or both).
#include <algorithm>

#include "command.hpp"
#include "key_info.hpp"
#include "multiparty.hpp"
#include "parse.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kUsage = R"(usage: tsign reshare --dir DIR --cluster FILE --key KEY --old-quorum 1,2 --new-parties 1,2,3,4
                     --threshold T --session LABEL [--suite SUITE --group-key HEX] [--timeout SECONDS]

Moves the key to a new committee with threshold T: at least t holders of the current epoch (the
old quorum) deal, and every member of the new committee receives a share of the next epoch.
The key, its id and its public key stay. Every party of either list runs this command. A new
member that holds no share yet passes the full 64-hex-digit --key, --suite and --group-key (the
"group key" that `tsign pubkey` prints). New shares are committed only once every party confirmed;
a holder that is not in the new committee then wipes its share.)";

Result<Report> run(const Args& args, const Context& context) {
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));
  ReshareRequest request;
  TSIGN_TRY(request.old_quorum, parse_party_list(args.require("old-quorum"), "--old-quorum"));
  TSIGN_TRY(request.new_parties, parse_party_list(args.require("new-parties"), "--new-parties"));
  TSIGN_TRY(std::uint64_t threshold, parse_number(args.require("threshold"), 65535, "--threshold"));
  if (threshold < 2 || threshold > request.new_parties.size()) {
    return make_error(ErrorKind::InvalidInput, "--threshold must be within 2.." + std::to_string(request.new_parties.size()));
  }
  request.threshold = static_cast<std::uint32_t>(threshold);
  request.session = session_label(args, true);
  std::vector<PartyId> participants;
  std::set_union(request.old_quorum.begin(), request.old_quorum.end(), request.new_parties.begin(),
                 request.new_parties.end(), std::back_inserter(participants));
  const bool joining = args.has("suite") || args.has("group-key");

  TSIGN_TRY(Vault vault, open_party(args));
  if (joining) {
    TSIGN_TRY(request.key_id, parse_hex_array<32>(args.require("key"), "--key"));
    TSIGN_TRY(ShareSuite suite, parse_suite(args.require("suite")));
    TSIGN_TRY(Bytes group_key, parse_hex(args.require("group-key"), "--group-key"));
    request.join = std::make_pair(suite, std::move(group_key));
  } else {
    TSIGN_TRY(request.key_id, vault.resolve(args.require("key")));
  }
  TSIGN_TRY(Network network, start_network(args, cluster, vault, participants, context));
  TSIGN_TRY(ReshareOutcome outcome, vault.reshare(request, network.peers()));
  Report report;
  if (outcome.key) {
    describe_key(report, *outcome.key);
    return report;
  }
  report.set("key_id", "key id", to_hex(request.key_id));
  report.set("epoch", "epoch", outcome.epoch);
  report.set("parties", "new parties", request.new_parties);
  report.note("this party is not in the new committee: its share was wiped");
  return report;
}

}  // namespace

Command reshare_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  for (auto o : {"key", "old-quorum", "new-parties", "threshold", "suite", "group-key"}) options.push_back(o);
  return {"reshare", "move a key to a new committee or threshold over TCP", kUsage, {party_flags(), options}, run};
}

}  // namespace tsign::cli
