// tsign keygen: distributed key generation among the parties of the cluster.
#include "command.hpp"
#include "key_info.hpp"
#include "multiparty.hpp"
#include "parse.hpp"
#include "tsign/dkg/dkg.hpp"
#include "tsign/ecdsa/keygen.hpp"

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

template <class Protocol>
Result<AnyShare> run_dkg(Network& network, Protocol protocol, const SessionId& session) {
  TSIGN_CHECK(network.run(protocol, session, "keygen"));
  TSIGN_TRY(auto share, taken(protocol.take_output(), "key generation"));
  return AnyShare(std::move(share));
}

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
  const std::string suite_name = to_string(suite);
  Writer ctx;
  ctx.u64(threshold);
  TSIGN_TRY(SessionId session, operation_session(args, "keygen/" + suite_name, parties, {ctx.bytes()}, true));
  TSIGN_TRY(Party party, open_party(args));
  TSIGN_TRY(Network network, start_network(args, cluster, party, parties, context));

  DkgConfig config{session, parties, static_cast<std::uint32_t>(threshold)};
  Result<AnyShare> share = make_error(ErrorKind::Internal, "no suite");
  switch (suite) {
    case ShareSuite::FrostSecp256k1: {
      TSIGN_TRY(auto p, DkgProtocol<FrostSecp256k1>::create(party.id, config));
      share = run_dkg(network, std::move(p), session);
      break;
    }
    case ShareSuite::FrostSecp256k1Taproot: {
      TSIGN_TRY(auto p, DkgProtocol<FrostSecp256k1Tr>::create(party.id, config));
      share = run_dkg(network, std::move(p), session);
      break;
    }
    case ShareSuite::FrostEd25519: {
      TSIGN_TRY(auto p, DkgProtocol<FrostEd25519>::create(party.id, config));
      share = run_dkg(network, std::move(p), session);
      break;
    }
    case ShareSuite::EcdsaSecp256k1: {
      TSIGN_TRY(auto p, EcdsaKeyProtocol::keygen(party.id, config));
      share = run_dkg(network, std::move(p), session);
      break;
    }
  }
  if (!share) return share.error();
  TSIGN_TRY(ShareHeader header, header_of(*share, suite));
  StoredKey key{header, std::move(share).value()};
  const Digest32 agreed = key.with_key_share([](const auto& k) { return public_data_digest(k); });
  TSIGN_CHECK(stage_confirm_commit(party, network, key, session, agreed, "keygen"));

  AuditEvent event;
  event.kind = AuditEventKind::Generated;
  event.key_id = header.key_id;
  event.epoch = header.epoch;
  event.signers = parties;
  event.details = suite_name + " " + std::to_string(threshold) + "-of-" + std::to_string(parties.size());
  TSIGN_CHECK(party.log.append(std::move(event)));

  TSIGN_TRY(PublicView view, public_view(key, {}));
  Report report;
  describe_key(report, key, view);
  return report;
}

}  // namespace

Command keygen_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  for (auto o : {"suite", "threshold", "parties"}) options.push_back(o);
  return {"keygen", "distributed key generation over TCP", kUsage, {{}, options}, run};
}

}  // namespace tsign::cli
