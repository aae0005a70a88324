#include "tsign/ecdsa/keygen.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include "pair_setup.hpp"
#include "protocol/compose.hpp"
#include "tsign/dkg/public_data.hpp"
#include "tsign/dkg/refresh.hpp"

namespace tsign {

namespace {

using ecdsa_internal::PairSetup;
using ecdsa_internal::PairStates;
using KeyOutput = std::optional<EcdsaKeyShare>;
using SecpShare = KeyShare<Secp256k1>;

constexpr std::string_view kStep = "ECDSA key protocol";

Digest32 setup_session(const SessionId& session, std::string_view variant, ByteSpan context) {
  Sha256 h = tagged_hasher("tsign/ecdsa/pair-setup");
  h.update(session).update_framed(as_bytes(variant)).update_framed(context);
  return h.finish();
}

Bytes committee_context(const std::vector<PartyId>& parties, std::uint32_t threshold, ByteSpan extra = {}) {
  Writer w;
  w.u32(threshold).u32(static_cast<std::uint32_t>(parties.size()));
  for (PartyId p : parties) w.u32(p);
  w.var(extra);
  return std::move(w).take();
}

std::vector<PartyId> others(const std::vector<PartyId>& parties, PartyId self) {
  std::vector<PartyId> out;
  for (PartyId p : parties) {
    if (p != self) out.push_back(p);
  }
  return out;
}

// The key protocol and the pairwise setup in the same rounds.
template <class K>
std::unique_ptr<Protocol<std::pair<K, PairStates>>> alongside_setup(std::unique_ptr<Protocol<K>> key,
                                                                     std::unique_ptr<Protocol<PairStates>> setup) {
  RoundShape shape = ParallelState<K, PairStates>::shape(*key, *setup);
  const PartyId self = key->self();
  std::vector<PartyId> parties = key->parties();
  return std::make_unique<StateProtocol<std::pair<K, PairStates>>>(
      std::string(EcdsaKeyProtocol::kName) + "/setup", self, std::move(parties), std::move(shape),
      std::make_unique<ParallelState<K, PairStates>>(std::move(key), std::move(setup), std::string(kStep)));
}

Result<KeyOutput> assemble(SecpShare key, PairStates pairs) {
  EcdsaKeyShare out{std::move(key), std::move(pairs)};
  TSIGN_CHECK(out.validate());
  return KeyOutput(std::move(out));
}

}  // namespace

struct EcdsaKeyProtocolMaker {
  // sequence(first, confirmation): `finish` makes the output from the first part's, which is held
  // until every party confirmed.
  template <class A>
  static Result<EcdsaKeyProtocol> make(std::unique_ptr<Protocol<A>> first, const SessionId& session,
                                       std::function<Result<KeyOutput>(A&&)> finish, bool produces_share) {
    const PartyId self = first->self();
    std::vector<PartyId> parties = first->parties();
    RoundShape confirm_shape = ConfirmState<KeyOutput>::shape(others(parties, self));
    RoundShape shape = SequenceState<A, KeyOutput>::shape(*first, confirm_shape);
    if (shape.round_count() != EcdsaKeyProtocol::kRounds) {
      return make_error(ErrorKind::Internal, "ECDSA key protocol: the composed protocol has " +
                                                 std::to_string(shape.round_count()) + " rounds");
    }
    typename SequenceState<A, KeyOutput>::Next next =
        [self, parties, session, confirm_shape, finish = std::move(finish)](
            A&& output) -> Result<std::unique_ptr<Protocol<KeyOutput>>> {
      TSIGN_TRY(KeyOutput value, finish(std::move(output)));
      std::unique_ptr<Protocol<KeyOutput>> confirm = std::make_unique<StateProtocol<KeyOutput>>(
          std::string(EcdsaKeyProtocol::kName) + "/confirm", self, parties, confirm_shape,
          std::make_unique<ConfirmState<KeyOutput>>(std::move(value), session, self, std::string(kStep) + " confirmation"));
      return confirm;
    };
    auto state = std::make_unique<SequenceState<A, KeyOutput>>(std::move(first), std::move(confirm_shape), std::move(next));
    return EcdsaKeyProtocol(self, std::move(parties), std::move(shape), std::move(state), produces_share);
  }

  // The resharing variants: `inner` deals, receives, or both.
  static Result<EcdsaKeyProtocol> reshare(ReshareProtocol<Secp256k1> inner, const ReshareConfig& config,
                                          const KeyId& key_id) {
    const PartyId self = inner.self();
    const bool receives = inner.is_receiver();
    using Key = std::optional<SecpShare>;
    std::unique_ptr<Protocol<Key>> key = std::make_unique<ReshareProtocol<Secp256k1>>(std::move(inner));
    // A dealer outside the new committee runs the setup with no peers.
    auto setup = PairSetup::make(
        self, config.new_parties,
        setup_session(config.session, "reshare", committee_context(config.new_parties, config.new_threshold, key_id)));
    return make<std::pair<Key, PairStates>>(
        alongside_setup(std::move(key), std::move(setup)), config.session,
        [](std::pair<Key, PairStates>&& out) -> Result<KeyOutput> {
          if (!out.first) return KeyOutput();
          return assemble(std::move(*out.first), std::move(out.second));
        },
        receives);
  }
};

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::keygen(PartyId self, DkgConfig config) {
  TSIGN_TRY(auto dkg, DkgProtocol<FrostSecp256k1>::create(self, config));
  std::unique_ptr<Protocol<SecpShare>> key = std::make_unique<DkgProtocol<FrostSecp256k1>>(std::move(dkg));
  auto setup = PairSetup::make(self, config.parties,
                               setup_session(config.session, "keygen", committee_context(config.parties, config.threshold)));
  return EcdsaKeyProtocolMaker::make<std::pair<SecpShare, PairStates>>(
      alongside_setup(std::move(key), std::move(setup)), config.session,
      [](std::pair<SecpShare, PairStates>&& out) { return assemble(std::move(out.first), std::move(out.second)); },
      true);
}

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::refresh(const EcdsaKeyShare& share, const SessionId& session) {
  TSIGN_TRY(auto refresh, RefreshProtocol<Secp256k1>::create(share.key, session));
  std::unique_ptr<Protocol<SecpShare>> key = std::make_unique<RefreshProtocol<Secp256k1>>(std::move(refresh));
  auto setup = PairSetup::make(share.key.self, share.key.parties,
                               setup_session(session, "refresh", KeyPublicData<Secp256k1>::of(share.key).digest()));
  return EcdsaKeyProtocolMaker::make<std::pair<SecpShare, PairStates>>(
      alongside_setup(std::move(key), std::move(setup)), session,
      [](std::pair<SecpShare, PairStates>&& out) { return assemble(std::move(out.first), std::move(out.second)); },
      true);
}

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::reshare(const EcdsaKeyShare& share, ReshareConfig config) {
  TSIGN_TRY(auto party, ReshareProtocol<Secp256k1>::create(share.key, config));
  return EcdsaKeyProtocolMaker::reshare(std::move(party), config, share.key.key_id);
}

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::join(PartyId self, const KeyId& key_id,
                                                const Secp256k1Point& group_public_key, ReshareConfig config) {
  TSIGN_TRY(auto party, ReshareProtocol<Secp256k1>::join(self, key_id, group_public_key, config));
  return EcdsaKeyProtocolMaker::reshare(std::move(party), config, key_id);
}

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::rebuild_pairs(const KeyShare<Secp256k1>& share, const SessionId& session) {
  TSIGN_CHECK(share.validate());
  auto setup = PairSetup::make(share.self, share.parties,
                               setup_session(session, "rebuild", KeyPublicData<Secp256k1>::of(share).digest()));
  // Shared so the (copyable) continuation can hold it; it is moved into the output once.
  auto key = std::make_shared<std::optional<SecpShare>>(share.clone());
  return EcdsaKeyProtocolMaker::make<PairStates>(
      std::move(setup), session,
      [key](PairStates&& pairs) -> Result<KeyOutput> {
        if (!*key) return make_error(ErrorKind::Internal, "ECDSA key protocol: the key share was already used");
        SecpShare held = std::move(**key);
        key->reset();
        return assemble(std::move(held), std::move(pairs));
      },
      true);
}

}  // namespace tsign
