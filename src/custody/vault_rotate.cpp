// Vault::keygen, refresh, reshare and repair: a protocol run, then the commit barrier.
#include <algorithm>

#include "tsign/core/text_fields.hpp"
#include "tsign/dkg/dkg.hpp"
#include "tsign/dkg/public_data.hpp"
#include "tsign/dkg/refresh.hpp"
#include "tsign/dkg/repair.hpp"
#include "tsign/dkg/reshare.hpp"
#include "tsign/ecdsa/keygen.hpp"
#include "vault_state.hpp"

namespace tsign {

namespace {

using custody_internal::taken;

Status require_label(const std::string& session, std::string_view operation) {
  if (session.empty()) {
    return make_error(ErrorKind::InvalidInput, std::string(operation) +
                                                   " needs a session label every party passes alike, new for every run");
  }
  return {};
}

template <PrimeOrderGroup G>
Digest32 public_data_digest_of(const KeyShare<G>& share) {
  return KeyPublicData<G>::of(share).digest();
}

// What every holder of an epoch agrees on, as the barrier's value.
Digest32 public_data_digest(const StoredKey& key) {
  return key.with_key_share([](const auto& k) { return public_data_digest_of(k); });
}

template <class Protocol>
Result<StoredKey> run_to_share(PeerLink& peers, Protocol& protocol, const SessionId& session, ShareSuite suite,
                               std::string_view label) {
  TSIGN_CHECK(peers.run(protocol, session, label));
  TSIGN_TRY(auto share, taken(protocol.take_output(), label));
  if constexpr (requires { share.has_value(); }) {  // ECDSA: one protocol type, whose output may be empty
    if (!share) return make_error(ErrorKind::Internal, std::string(label) + ": the protocol produced no share");
    AnyShare any(std::move(*share));
    TSIGN_TRY(ShareHeader header, header_of(any, suite));
    return StoredKey{header, std::move(any)};
  } else {
    AnyShare any(std::move(share));
    TSIGN_TRY(ShareHeader header, header_of(any, suite));
    return StoredKey{header, std::move(any)};
  }
}

// For protocols whose output is optional (a dealer leaving a committee, a repair helper).
template <class Protocol>
Result<std::optional<StoredKey>> run_to_optional_share(PeerLink& peers, Protocol& protocol, const SessionId& session,
                                                       ShareSuite suite, std::string_view label) {
  TSIGN_CHECK(peers.run(protocol, session, label));
  TSIGN_TRY(auto share, taken(protocol.take_output(), label));
  if (!share) return std::optional<StoredKey>();
  AnyShare any(std::move(*share));
  TSIGN_TRY(ShareHeader header, header_of(any, suite));
  return std::optional<StoredKey>(StoredKey{header, std::move(any)});
}

template <PrimeOrderGroup G>
Result<typename G::Point> group_key_of(const Bytes& raw) {
  if (raw.size() != G::kPointSize) return make_error(ErrorKind::InvalidInput, "the group key has the wrong length");
  auto point = G::Point::from_bytes(raw);
  if (!point) return make_error(ErrorKind::InvalidInput, "the group key: " + point.error().message);
  return point;
}

}  // namespace

Result<VaultKey> Vault::keygen(const KeygenRequest& in, PeerLink& link) {
  State& s = *state_;
  SigningPeerLink peers(link, s.log.identity());
  TSIGN_CHECK(require_label(in.session, "key generation"));
  if (!std::binary_search(in.parties.begin(), in.parties.end(), s.id)) {
    return make_error(ErrorKind::InvalidInput, "the parties must include this party (" + std::to_string(s.id) + ")");
  }
  if (in.threshold < 2 || in.threshold > in.parties.size()) {
    return make_error(ErrorKind::InvalidInput, "the threshold must be within 2.." + std::to_string(in.parties.size()));
  }
  Writer ctx;
  ctx.u64(in.threshold);
  TSIGN_TRY(SessionId session, vault_session("keygen/" + std::string(to_string(in.suite)), in.parties, in.session, {ctx.bytes()}));
  const DkgConfig config{session, in.parties, in.threshold};
  Result<StoredKey> key = make_error(ErrorKind::Internal, "no suite");
  switch (in.suite) {
    case ShareSuite::FrostSecp256k1: {
      TSIGN_TRY(auto p, DkgProtocol<FrostSecp256k1>::create(s.id, config));
      key = run_to_share(peers, p, session, in.suite, "keygen");
      break;
    }
    case ShareSuite::FrostSecp256k1Taproot: {
      TSIGN_TRY(auto p, DkgProtocol<FrostSecp256k1Tr>::create(s.id, config));
      key = run_to_share(peers, p, session, in.suite, "keygen");
      break;
    }
    case ShareSuite::FrostEd25519: {
      TSIGN_TRY(auto p, DkgProtocol<FrostEd25519>::create(s.id, config));
      key = run_to_share(peers, p, session, in.suite, "keygen");
      break;
    }
    case ShareSuite::EcdsaSecp256k1: {
      TSIGN_TRY(auto p, EcdsaKeyProtocol::keygen(s.id, config));
      key = run_to_share(peers, p, session, in.suite, "keygen");
      break;
    }
  }
  if (!key) return key.error();
  TSIGN_CHECK(s.stage_confirm_commit(peers, *key, session, in.parties, public_data_digest(*key), "keygen"));
  TSIGN_CHECK(s.record(AuditEventKind::Generated, key->header.key_id, key->header.epoch, in.parties,
                       std::string(to_string(in.suite)) + " " + std::to_string(in.threshold) + "-of-" +
                           std::to_string(in.parties.size())));
  return s.describe(*key);
}

Result<VaultKey> Vault::refresh(const KeyId& key_id, const std::string& label, PeerLink& link) {
  State& s = *state_;
  SigningPeerLink peers(link, s.log.identity());
  TSIGN_TRY(StoredKey key, s.load(key_id));
  const std::vector<PartyId> parties = key.parties();
  Writer epoch;
  epoch.u64(key.header.epoch);
  TSIGN_TRY(SessionId session, vault_session("refresh/" + std::string(to_string(key.header.suite)), parties, label,
                                             {key_id, epoch.bytes()}));
  Result<StoredKey> next = make_error(ErrorKind::Internal, "no suite");
  if (const auto* ecdsa = std::get_if<EcdsaKeyShare>(&key.share)) {
    TSIGN_TRY(auto p, EcdsaKeyProtocol::refresh(*ecdsa, session));
    next = run_to_share(peers, p, session, key.header.suite, "refresh");
  } else if (const auto* ed = std::get_if<KeyShare<Ed25519>>(&key.share)) {
    TSIGN_TRY(auto p, RefreshProtocol<Ed25519>::create(*ed, session));
    next = run_to_share(peers, p, session, key.header.suite, "refresh");
  } else {
    TSIGN_TRY(auto p, RefreshProtocol<Secp256k1>::create(*key.secp256k1(), session));
    next = run_to_share(peers, p, session, key.header.suite, "refresh");
  }
  if (!next) return next.error();
  TSIGN_CHECK(s.stage_confirm_commit(peers, *next, session, parties, public_data_digest(*next), "refresh"));
  TSIGN_CHECK(s.record(AuditEventKind::Refreshed, key_id, next->header.epoch, parties));
  return s.describe(*next);
}

Result<ReshareOutcome> Vault::reshare(const ReshareRequest& in, PeerLink& link) {
  State& s = *state_;
  SigningPeerLink peers(link, s.log.identity());
  TSIGN_CHECK(require_label(in.session, "resharing"));
  ReshareConfig config;
  config.old_quorum = in.old_quorum;
  config.new_parties = in.new_parties;
  config.new_threshold = in.threshold;
  if (in.threshold < 2 || in.threshold > in.new_parties.size()) {
    return make_error(ErrorKind::InvalidInput, "the threshold must be within 2.." + std::to_string(in.new_parties.size()));
  }
  std::vector<PartyId> participants;
  std::set_union(in.old_quorum.begin(), in.old_quorum.end(), in.new_parties.begin(), in.new_parties.end(),
                 std::back_inserter(participants));
  std::optional<StoredKey> held;
  ShareSuite suite{};
  if (in.join) {
    TSIGN_TRY(ShareStore::KeyState state, s.store.state(in.key_id));
    if (!state.committed.empty()) {
      return make_error(ErrorKind::InvalidInput, "this party already holds a share of the key: it deals, it does not join");
    }
    suite = in.join->first;
  } else {
    TSIGN_TRY(StoredKey loaded, s.load(in.key_id));
    suite = loaded.header.suite;
    held = std::move(loaded);
  }
  Writer ctx;
  ctx.u32(config.new_threshold);
  for (PartyId p : config.old_quorum) ctx.u32(p);
  TSIGN_TRY(config.session, vault_session("reshare/" + std::string(to_string(suite)), participants, in.session, {in.key_id, ctx.bytes()}));

  Result<std::optional<StoredKey>> fresh = make_error(ErrorKind::Internal, "no suite");
  if (suite == ShareSuite::EcdsaSecp256k1) {
    if (held) {
      TSIGN_TRY(auto p, EcdsaKeyProtocol::reshare(std::get<EcdsaKeyShare>(held->share), config));
      fresh = run_to_optional_share(peers, p, config.session, suite, "reshare");
    } else {
      TSIGN_TRY(auto pk, group_key_of<Secp256k1>(in.join->second));
      TSIGN_TRY(auto p, EcdsaKeyProtocol::join(s.id, in.key_id, pk, config));
      fresh = run_to_optional_share(peers, p, config.session, suite, "reshare");
    }
  } else if (suite == ShareSuite::FrostEd25519) {
    if (held) {
      TSIGN_TRY(auto p, ReshareProtocol<Ed25519>::create(std::get<KeyShare<Ed25519>>(held->share), config));
      fresh = run_to_optional_share(peers, p, config.session, suite, "reshare");
    } else {
      TSIGN_TRY(auto pk, group_key_of<Ed25519>(in.join->second));
      TSIGN_TRY(auto p, ReshareProtocol<Ed25519>::join(s.id, in.key_id, pk, config));
      fresh = run_to_optional_share(peers, p, config.session, suite, "reshare");
    }
  } else {
    if (held) {
      TSIGN_TRY(auto p, ReshareProtocol<Secp256k1>::create(*held->secp256k1(), config));
      fresh = run_to_optional_share(peers, p, config.session, suite, "reshare");
    } else {
      TSIGN_TRY(auto pk, group_key_of<Secp256k1>(in.join->second));
      TSIGN_TRY(auto p, ReshareProtocol<Secp256k1>::join(s.id, in.key_id, pk, config));
      fresh = run_to_optional_share(peers, p, config.session, suite, "reshare");
    }
  }
  if (!fresh) return fresh.error();
  const bool receives = std::binary_search(in.new_parties.begin(), in.new_parties.end(), s.id);
  if (receives != fresh->has_value()) return make_error(ErrorKind::Internal, "reshare: a share where none was due, or none where one was");

  // Every participant states the same value: the key, the new epoch and the new committee.
  ReshareOutcome outcome;
  outcome.epoch = *fresh ? (*fresh)->header.epoch : held->header.epoch + 1;
  Writer stated;
  stated.raw(in.key_id).u64(outcome.epoch).u32(config.new_threshold);
  for (PartyId p : config.new_parties) stated.u32(p);
  const Digest32 agreed = tagged_hash("tsign/vault/reshared", {stated.bytes()});
  if (*fresh) {
    TSIGN_CHECK(s.stage_confirm_commit(peers, **fresh, config.session, participants, agreed, "reshare"));
  } else {
    TSIGN_CHECK(s.confirm(peers, config.session, participants, agreed, "reshare"));
  }
  TSIGN_CHECK(s.record(AuditEventKind::Reshared, in.key_id, outcome.epoch, config.new_parties,
                       std::to_string(config.new_threshold) + "-of-" + std::to_string(config.new_parties.size()) +
                           ", dealt by " + format_party_list(config.old_quorum)));
  if (*fresh) {
    TSIGN_TRY(outcome.key, s.describe(**fresh));
    return outcome;
  }
  // A dealer that leaves the committee: its share is of no further use.
  TSIGN_TRY(DecommissionReport gone, decommission(in.key_id));
  if (!gone.failures.empty()) {
    return make_error(ErrorKind::Storage, "left the committee, but the old share was not wiped: " + gone.failures.front());
  }
  return outcome;
}

Result<VaultKey> Vault::repair(const RepairRequest& in, PeerLink& link) {
  State& s = *state_;
  SigningPeerLink peers(link, s.log.identity());
  TSIGN_CHECK(require_label(in.session, "repair"));
  if (std::binary_search(in.helpers.begin(), in.helpers.end(), in.recovering)) {
    return make_error(ErrorKind::InvalidInput, "the recovering party cannot be one of its helpers");
  }
  RepairConfig config;
  config.helpers = in.helpers;
  config.recovering = in.recovering;
  std::vector<PartyId> participants = in.helpers;
  participants.insert(std::upper_bound(participants.begin(), participants.end(), in.recovering), in.recovering);
  const bool recovering = s.id == in.recovering;
  std::optional<StoredKey> held;
  ShareSuite suite{};
  std::uint64_t epoch = 0;
  if (recovering) {
    if (!in.recover) return make_error(ErrorKind::InvalidInput, "the recovering party names the key's suite and epoch");
    TSIGN_TRY(ShareStore::KeyState state, s.store.state(in.key_id));
    if (!state.committed.empty()) {
      return make_error(ErrorKind::InvalidInput, "this party still holds a share of the key (epoch " +
                                                     std::to_string(state.committed.back()) +
                                                     "); if it is unusable, decommission it (forced) first");
    }
    suite = in.recover->first;
    epoch = in.recover->second;
  } else {
    TSIGN_TRY(StoredKey loaded, s.load(in.key_id));
    suite = loaded.header.suite;
    epoch = loaded.header.epoch;
    held = std::move(loaded);
  }
  if (suite == ShareSuite::EcdsaSecp256k1) {
    return make_error(ErrorKind::InvalidInput, "ECDSA shares hold pairwise state that repair cannot rebuild: recover the "
                                               "party by resharing (the remaining holders deal to the whole committee)");
  }
  Writer recovering_id;
  recovering_id.u32(in.recovering);
  TSIGN_TRY(config.session, vault_session("repair/" + std::string(to_string(suite)), participants, in.session,
                                          {in.key_id, recovering_id.bytes()}));
  Result<std::optional<StoredKey>> fresh = make_error(ErrorKind::Internal, "no suite");
  const auto run_repair = [&]<PrimeOrderGroup G>(std::type_identity<G>) -> Result<std::optional<StoredKey>> {
    if (held) {
      TSIGN_TRY(auto p, RepairProtocol<G>::help(std::get<KeyShare<G>>(held->share), config));
      return run_to_optional_share(peers, p, config.session, suite, "repair");
    }
    TSIGN_TRY(auto p, RepairProtocol<G>::recover(s.id, in.key_id, epoch, config));
    return run_to_optional_share(peers, p, config.session, suite, "repair");
  };
  fresh = suite == ShareSuite::FrostEd25519 ? run_repair(std::type_identity<Ed25519>{})
                                            : run_repair(std::type_identity<Secp256k1>{});
  if (!fresh) return fresh.error();
  if (recovering != fresh->has_value()) return make_error(ErrorKind::Internal, "repair: a share where none was due, or none where one was");
  Writer stated;
  stated.raw(in.key_id).u64(epoch).u32(in.recovering);
  const Digest32 agreed = tagged_hash("tsign/vault/repaired", {stated.bytes()});
  if (*fresh) {
    TSIGN_CHECK(s.stage_confirm_commit(peers, **fresh, config.session, participants, agreed, "repair"));
  } else {
    TSIGN_CHECK(s.confirm(peers, config.session, participants, agreed, "repair"));
  }
  TSIGN_CHECK(s.record(AuditEventKind::Repaired, in.key_id, epoch, in.helpers,
                       "share of party " + std::to_string(in.recovering) + " rebuilt by " + format_party_list(in.helpers)));
  if (*fresh) return s.describe(**fresh);
  TSIGN_TRY(StoredKey own, s.load(in.key_id));
  return s.describe(own);
}

}  // namespace tsign
