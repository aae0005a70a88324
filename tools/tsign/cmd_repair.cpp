// tsign repair: helpers give a party that lost its share the share back.
#include <algorithm>

#include "command.hpp"
#include "key_info.hpp"
#include "multiparty.hpp"
#include "parse.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kUsage = R"(usage: tsign repair --dir DIR --cluster FILE --key KEY --helpers 1,3 --recovering 2 --session LABEL
                    [--suite SUITE --epoch E] [--timeout SECONDS]

At least t holders (the helpers) rebuild the share that party --recovering lost, for the
current epoch; no helper learns it. Every helper and the recovering party run this command; the
recovering party (whose directory holds no share of the key any more) also passes the full
64-hex-digit --key, --suite and the key's current --epoch. For FROST keys only: an ECDSA share
also holds pairwise state, so an ECDSA party is recovered with `tsign reshare` (the remaining
holders as the old quorum, the whole committee as the new parties).)";

Result<Report> run(const Args& args, const Context& context) {
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));
  RepairRequest request;
  TSIGN_TRY(request.helpers, parse_party_list(args.require("helpers"), "--helpers"));
  TSIGN_TRY(request.recovering, parse_party_id(args.require("recovering"), "--recovering"));
  request.session = session_label(args, true);
  std::vector<PartyId> participants = request.helpers;
  participants.insert(std::upper_bound(participants.begin(), participants.end(), request.recovering), request.recovering);

  TSIGN_TRY(Vault vault, open_party(args));
  if (vault.id() == request.recovering) {
    TSIGN_TRY(request.key_id, parse_hex_array<32>(args.require("key"), "--key"));
    TSIGN_TRY(ShareSuite suite, parse_suite(args.require("suite")));
    TSIGN_TRY(std::uint64_t epoch, parse_number(args.require("epoch"), ~std::uint64_t{0} >> 1, "--epoch"));
    request.recover = std::make_pair(suite, epoch);
  } else {
    TSIGN_TRY(request.key_id, vault.resolve(args.require("key")));
  }
  TSIGN_TRY(Network network, start_network(args, cluster, vault, participants, context));
  TSIGN_TRY(VaultKey key, vault.repair(request, network.peers()));
  Report report;
  describe_key(report, key);
  report.set("recovering", "recovered party", request.recovering);
  report.set("helpers", "helpers", request.helpers);
  return report;
}

}  // namespace

Command repair_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  for (auto o : {"key", "helpers", "recovering", "suite", "epoch"}) options.push_back(o);
  return {"repair", "rebuild a lost share with the help of t holders over TCP", kUsage, {party_flags(), options}, run};
}

}  // namespace tsign::cli
