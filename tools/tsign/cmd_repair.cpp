// tsign repair: helpers give a party that lost its share the share back.
#include <algorithm>

#include "command.hpp"
#include "key_info.hpp"
#include "multiparty.hpp"
#include "parse.hpp"
#include "tsign/dkg/repair.hpp"

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

template <PrimeOrderGroup G>
Result<std::optional<KeyShare<G>>> run_repair(Network& network, RepairProtocol<G> protocol, const SessionId& session,
                                              bool recovering) {
  TSIGN_CHECK(network.run(protocol, session, "repair"));
  TSIGN_TRY(std::optional<KeyShare<G>> share, taken<std::optional<KeyShare<G>>>(protocol.take_output(), "repair"));
  if (recovering != share.has_value()) {
    return make_error(ErrorKind::Internal, recovering ? "repair: no share for the recovering party"
                                                      : "repair: a share for a helper");
  }
  return share;
}

template <PrimeOrderGroup G>
Result<std::optional<AnyShare>> repair_in(Network& network, const Party& party, const std::optional<StoredKey>& held,
                                          const KeyId& key_id, std::uint64_t epoch, const RepairConfig& config) {
  Result<std::optional<KeyShare<G>>> out = std::optional<KeyShare<G>>();
  if (held) {
    TSIGN_TRY(auto p, RepairProtocol<G>::help(std::get<KeyShare<G>>(held->share), config));
    out = run_repair<G>(network, std::move(p), config.session, false);
  } else {
    TSIGN_TRY(auto p, RepairProtocol<G>::recover(party.id, key_id, epoch, config));
    out = run_repair<G>(network, std::move(p), config.session, true);
  }
  if (!out) return out.error();
  if (!*out) return std::optional<AnyShare>();
  return std::optional<AnyShare>(AnyShare(std::move(**out)));
}

Result<Report> run(const Args& args, const Context& context) {
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));
  RepairConfig config;
  TSIGN_TRY(config.helpers, parse_party_list(args.require("helpers"), "--helpers"));
  TSIGN_TRY(config.recovering, parse_party_id(args.require("recovering"), "--recovering"));
  if (std::binary_search(config.helpers.begin(), config.helpers.end(), config.recovering)) {
    return make_error(ErrorKind::InvalidInput, "the recovering party cannot be one of its helpers");
  }
  std::vector<PartyId> participants = config.helpers;
  participants.insert(std::upper_bound(participants.begin(), participants.end(), config.recovering), config.recovering);

  TSIGN_TRY(Party party, open_party(args));
  const bool recovering = party.id == config.recovering;
  std::optional<StoredKey> held;
  KeyId key_id{};
  ShareSuite suite{};
  std::uint64_t epoch = 0;
  if (recovering) {
    TSIGN_TRY(key_id, parse_hex_array<32>(args.require("key"), "--key"));
    TSIGN_TRY(suite, parse_suite(args.require("suite")));
    TSIGN_TRY(epoch, parse_number(args.require("epoch"), ~std::uint64_t{0} >> 1, "--epoch"));
    TSIGN_TRY(ShareStore::KeyState state, party.store.state(key_id));
    if (!state.committed.empty()) {
      return make_error(ErrorKind::InvalidInput, "this party still holds a share of the key (epoch " +
                                                     std::to_string(state.committed.back()) +
                                                     "); if it is unusable, remove it with `tsign decommission --force` first");
    }
  } else {
    TSIGN_TRY(key_id, resolve_key_id(party.store, args.require("key")));
    TSIGN_TRY(StoredKey loaded, load_stored_key(party.store, key_id, *party.protector));
    suite = loaded.header.suite;
    epoch = loaded.header.epoch;
    held = std::move(loaded);
  }
  if (suite == ShareSuite::EcdsaSecp256k1) {
    return make_error(ErrorKind::InvalidInput, "ECDSA shares hold pairwise state that repair cannot rebuild: recover the "
                                               "party with `tsign reshare` (see `tsign repair --help`)");
  }
  const std::string suite_name = to_string(suite);
  Writer recovering_id;
  recovering_id.u32(config.recovering);
  TSIGN_TRY(config.session, operation_session(args, "repair/" + suite_name, participants, {key_id, recovering_id.bytes()}, true));
  TSIGN_TRY(Network network, start_network(args, cluster, party, participants, context));

  Result<std::optional<AnyShare>> fresh = suite == ShareSuite::FrostEd25519
                                              ? repair_in<Ed25519>(network, party, held, key_id, epoch, config)
                                              : repair_in<Secp256k1>(network, party, held, key_id, epoch, config);
  if (!fresh) return fresh.error();
  Writer stated;
  stated.raw(key_id).u64(epoch).u32(config.recovering);
  const Digest32 agreed = tagged_hash("tsign/cli/repaired", {stated.bytes()});
  std::optional<StoredKey> repaired;
  if (*fresh) {
    TSIGN_TRY(ShareHeader header, header_of(**fresh, suite));
    repaired = StoredKey{header, std::move(**fresh)};
    TSIGN_CHECK(stage_confirm_commit(party, network, *repaired, config.session, agreed, "repair"));
  } else {
    TSIGN_CHECK(network.confirm(confirm_session(config.session, participants), agreed, "repair"));
  }

  AuditEvent event;
  event.kind = AuditEventKind::Repaired;
  event.key_id = key_id;
  event.epoch = epoch;
  event.signers = config.helpers;
  event.details = "share of party " + std::to_string(config.recovering) + " rebuilt by " + join_parties(config.helpers);
  TSIGN_CHECK(party.log.append(std::move(event)));

  Report report;
  if (repaired) {
    TSIGN_TRY(PublicView view, public_view(*repaired, {}));
    describe_key(report, *repaired, view);
  } else {
    report.set("key_id", "key id", to_hex(key_id));
    report.set("suite", "suite", suite_name);
    report.set("epoch", "epoch", epoch);
  }
  report.set("recovering", "recovered party", config.recovering);
  report.set("helpers", "helpers", config.helpers);
  return report;
}

}  // namespace

Command repair_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  for (auto o : {"key", "helpers", "recovering", "suite", "epoch"}) options.push_back(o);
  return {"repair", "rebuild a lost share with the help of t holders over TCP", kUsage, {{}, options}, run};
}

}  // namespace tsign::cli
