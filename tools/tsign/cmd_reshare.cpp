// tsign reshare: hand a key to a new committee (new parties, a new threshold, or both).
#include <algorithm>

#include "command.hpp"
#include "key_info.hpp"
#include "multiparty.hpp"
#include "parse.hpp"
#include "tsign/dkg/reshare.hpp"
#include "tsign/ecdsa/keygen.hpp"

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

template <class Protocol>
Result<std::optional<AnyShare>> run_reshare(Network& network, Protocol protocol, const SessionId& session, bool receives) {
  TSIGN_CHECK(network.run(protocol, session, "reshare"));
  if (!receives) return std::optional<AnyShare>();
  // Both protocols output an optional share (none for a dealer leaving the committee); a
  // member of the new committee must have one.
  TSIGN_TRY(auto share, taken(protocol.take_output(), "reshare"));
  return std::optional<AnyShare>(AnyShare(std::move(share)));
}

template <PrimeOrderGroup G>
Result<typename G::Point> parse_group_key(const Args& args) {
  TSIGN_TRY(Bytes raw, parse_hex(args.require("group-key"), "--group-key", G::kPointSize));
  auto point = G::Point::from_bytes(raw);
  if (!point) return make_error(ErrorKind::InvalidInput, "--group-key: " + point.error().message);
  return point;
}

Result<Report> run(const Args& args, const Context& context) {
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));
  ReshareConfig config;
  TSIGN_TRY(config.old_quorum, parse_party_list(args.require("old-quorum"), "--old-quorum"));
  TSIGN_TRY(config.new_parties, parse_party_list(args.require("new-parties"), "--new-parties"));
  TSIGN_TRY(std::uint64_t threshold, parse_number(args.require("threshold"), 65535, "--threshold"));
  if (threshold < 2 || threshold > config.new_parties.size()) {
    return make_error(ErrorKind::InvalidInput, "--threshold must be within 2.." + std::to_string(config.new_parties.size()));
  }
  config.new_threshold = static_cast<std::uint32_t>(threshold);
  std::vector<PartyId> participants;
  std::set_union(config.old_quorum.begin(), config.old_quorum.end(), config.new_parties.begin(), config.new_parties.end(),
                 std::back_inserter(participants));
  const bool joining = args.has("suite") || args.has("group-key");

  TSIGN_TRY(Party party, open_party(args));
  std::optional<StoredKey> held;
  KeyId key_id{};
  ShareSuite suite{};
  if (joining) {
    TSIGN_TRY(key_id, parse_hex_array<32>(args.require("key"), "--key"));
    TSIGN_TRY(suite, parse_suite(args.require("suite")));
    TSIGN_TRY(ShareStore::KeyState state, party.store.state(key_id));
    if (!state.committed.empty()) {
      return make_error(ErrorKind::InvalidInput, "this party already holds a share of the key: leave out --suite and --group-key");
    }
  } else {
    TSIGN_TRY(key_id, resolve_key_id(party.store, args.require("key")));
    TSIGN_TRY(StoredKey loaded, load_stored_key(party.store, key_id, *party.protector));
    suite = loaded.header.suite;
    held = std::move(loaded);
  }
  const bool receives = std::binary_search(config.new_parties.begin(), config.new_parties.end(), party.id);
  const std::string suite_name = to_string(suite);
  Writer ctx;
  ctx.u32(config.new_threshold);
  for (PartyId p : config.old_quorum) ctx.u32(p);
  TSIGN_TRY(config.session, operation_session(args, "reshare/" + suite_name, participants, {key_id, ctx.bytes()}, true));
  TSIGN_TRY(Network network, start_network(args, cluster, party, participants, context));

  Result<std::optional<AnyShare>> fresh = make_error(ErrorKind::Internal, "no suite");
  if (suite == ShareSuite::EcdsaSecp256k1) {
    if (held) {
      TSIGN_TRY(auto p, EcdsaKeyProtocol::reshare(std::get<EcdsaKeyShare>(held->share), config));
      fresh = run_reshare(network, std::move(p), config.session, receives);
    } else {
      TSIGN_TRY(auto pk, parse_group_key<Secp256k1>(args));
      TSIGN_TRY(auto p, EcdsaKeyProtocol::join(party.id, key_id, pk, config));
      fresh = run_reshare(network, std::move(p), config.session, receives);
    }
  } else if (suite == ShareSuite::FrostEd25519) {
    if (held) {
      TSIGN_TRY(auto p, ReshareProtocol<Ed25519>::create(std::get<KeyShare<Ed25519>>(held->share), config));
      fresh = run_reshare(network, std::move(p), config.session, receives);
    } else {
      TSIGN_TRY(auto pk, parse_group_key<Ed25519>(args));
      TSIGN_TRY(auto p, ReshareProtocol<Ed25519>::join(party.id, key_id, pk, config));
      fresh = run_reshare(network, std::move(p), config.session, receives);
    }
  } else {
    if (held) {
      TSIGN_TRY(auto p, ReshareProtocol<Secp256k1>::create(*held->secp256k1(), config));
      fresh = run_reshare(network, std::move(p), config.session, receives);
    } else {
      TSIGN_TRY(auto pk, parse_group_key<Secp256k1>(args));
      TSIGN_TRY(auto p, ReshareProtocol<Secp256k1>::join(party.id, key_id, pk, config));
      fresh = run_reshare(network, std::move(p), config.session, receives);
    }
  }
  if (!fresh) return fresh.error();

  // Every participant states the same value: the key, the new epoch and the new committee.
  const std::uint64_t new_epoch = held ? held->header.epoch + 1 : 0;
  std::optional<StoredKey> next;
  if (*fresh) {
    TSIGN_TRY(ShareHeader header, header_of(**fresh, suite));
    next = StoredKey{header, std::move(**fresh)};
  }
  const std::uint64_t epoch = next ? next->header.epoch : new_epoch;
  Writer stated;
  stated.raw(key_id).u64(epoch).u32(config.new_threshold);
  for (PartyId p : config.new_parties) stated.u32(p);
  const Digest32 agreed = tagged_hash("tsign/cli/reshared", {stated.bytes()});
  if (next) {
    TSIGN_CHECK(stage_confirm_commit(party, network, *next, config.session, agreed, "reshare"));
  } else {
    TSIGN_CHECK(network.confirm(confirm_session(config.session, participants), agreed, "reshare"));
  }

  AuditEvent event;
  event.kind = AuditEventKind::Reshared;
  event.key_id = key_id;
  event.epoch = epoch;
  event.signers = config.new_parties;
  event.details = std::to_string(config.new_threshold) + "-of-" + std::to_string(config.new_parties.size()) +
                  ", dealt by " + join_parties(config.old_quorum);
  TSIGN_CHECK(party.log.append(std::move(event)));

  Report report;
  if (next) {
    TSIGN_TRY(PublicView view, public_view(*next, {}));
    describe_key(report, *next, view);
    return report;
  }
  // A dealer that leaves the committee: its share is of no further use.
  AuditEvent gone;
  gone.kind = AuditEventKind::Decommissioned;
  gone.key_id = key_id;
  gone.epoch = held->header.epoch;
  gone.details = "left the committee at resharing";
  TSIGN_CHECK(party.log.append(std::move(gone)));
  TSIGN_CHECK(party.store.decommission(key_id));
  report.set("key_id", "key id", to_hex(key_id));
  report.set("suite", "suite", suite_name);
  report.set("epoch", "epoch", epoch);
  report.set("parties", "new parties", config.new_parties);
  report.note("this party is not in the new committee: its share was wiped");
  return report;
}

}  // namespace

Command reshare_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  for (auto o : {"key", "old-quorum", "new-parties", "threshold", "suite", "group-key"}) options.push_back(o);
  return {"reshare", "move a key to a new committee or threshold over TCP", kUsage, {{}, options}, run};
}

}  // namespace tsign::cli
