// tsign refresh: proactive refresh of a key's shares among all its holders.
#include "command.hpp"
#include "key_info.hpp"
#include "multiparty.hpp"
#include "tsign/dkg/refresh.hpp"
#include "tsign/ecdsa/keygen.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kUsage = R"(usage: tsign refresh --dir DIR --cluster FILE --key KEY [--session LABEL] [--timeout SECONDS]

Re-randomizes every holder's share without changing the key (all holders take part, each
running this command). The new epoch is staged, committed only once every holder confirmed it
stored its own, and the old epoch is then wiped; if anything fails before that, the old epoch
stays the one in use. ECDSA keys also get fresh pairwise state.)";

template <class Protocol>
Result<AnyShare> run_refresh(Network& network, Protocol protocol, const SessionId& session) {
  TSIGN_CHECK(network.run(protocol, session, "refresh"));
  TSIGN_TRY(auto share, taken(protocol.take_output(), "refresh"));
  return AnyShare(std::move(share));
}

Result<Report> run(const Args& args, const Context& context) {
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));
  TSIGN_TRY(Party party, open_party(args));
  TSIGN_TRY(KeyId key_id, resolve_key_id(party.store, args.require("key")));
  TSIGN_TRY(StoredKey key, load_stored_key(party.store, key_id, *party.protector));
  const std::vector<PartyId> parties = key.parties();
  const std::string suite = to_string(key.header.suite);
  Writer epoch;
  epoch.u64(key.header.epoch);
  TSIGN_TRY(SessionId session, operation_session(args, "refresh/" + suite, parties, {key_id, epoch.bytes()}, false));
  TSIGN_TRY(Network network, start_network(args, cluster, party, parties, context));

  Result<AnyShare> fresh = make_error(ErrorKind::Internal, "no suite");
  if (const auto* ecdsa = std::get_if<EcdsaKeyShare>(&key.share)) {
    TSIGN_TRY(auto p, EcdsaKeyProtocol::refresh(*ecdsa, session));
    fresh = run_refresh(network, std::move(p), session);
  } else if (const auto* ed = std::get_if<KeyShare<Ed25519>>(&key.share)) {
    TSIGN_TRY(auto p, RefreshProtocol<Ed25519>::create(*ed, session));
    fresh = run_refresh(network, std::move(p), session);
  } else {
    TSIGN_TRY(auto p, RefreshProtocol<Secp256k1>::create(*key.secp256k1(), session));
    fresh = run_refresh(network, std::move(p), session);
  }
  if (!fresh) return fresh.error();
  TSIGN_TRY(ShareHeader header, header_of(*fresh, key.header.suite));
  StoredKey next{header, std::move(fresh).value()};
  const Digest32 agreed = next.with_key_share([](const auto& k) { return public_data_digest(k); });
  TSIGN_CHECK(stage_confirm_commit(party, network, next, session, agreed, "refresh"));

  AuditEvent event;
  event.kind = AuditEventKind::Refreshed;
  event.key_id = key_id;
  event.epoch = header.epoch;
  event.signers = parties;
  TSIGN_CHECK(party.log.append(std::move(event)));

  TSIGN_TRY(PublicView view, public_view(next, {}));
  Report report;
  describe_key(report, next, view);
  report.set("previous_epoch", "previous epoch", key.header.epoch);
  return report;
}

}  // namespace

Command refresh_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  options.push_back("key");
  return {"refresh", "proactive refresh of a key's shares over TCP", kUsage, {{}, options}, run};
}

}  // namespace tsign::cli
