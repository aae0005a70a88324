#include "tsign/frost/signing_protocol.hpp"

#include <algorithm>
#include <optional>

#include "internals.hpp"

namespace tsign::frost {

namespace {

template <FrostCiphersuite C>
struct SigningState final : ProtocolState<Signature<C>> {
  KeyShare<typename C::Group> key;
  PublicKeyPackage<C> keys;
  Bytes message;
  TaprootTweak taproot;
  std::optional<SigningNonces<C>> nonces;
  std::optional<SigningContext<C>> context;
  std::optional<SignatureShare<C>> own_share;

  SigningState(KeyShare<typename C::Group> k, Bytes m, TaprootTweak t)
      : key(std::move(k)), keys(PublicKeyPackage<C>::from_key_share(key)), message(std::move(m)), taproot(t) {}

  Result<Outgoing> start() override {
    TSIGN_TRY(auto n, commit<C>(key));
    nonces.emplace(std::move(n));
    Outgoing out;
    out.push_back(broadcast(nonces->commitments().encode()));
    return out;
  }

  // Round 0 in: the other signers' commitments. Out: this signer's signature share.
  Result<Outgoing> advance(std::size_t, const RoundMessages& in) override {
    auto out = on_commitments(in);
    nonces.reset();  // used or not, the nonces never outlive round 0
    return out;
  }

  Result<Outgoing> on_commitments(const RoundMessages& in) {
    SigningPackage<C> package;
    package.message = message;
    package.taproot = taproot;
    package.commitments.push_back(nonces->commitments());
    std::vector<PartyId> culprits;
    for (const auto& [sender, payload] : in.broadcast) {
      auto commitments = SigningCommitments<C>::decode(payload);
      if (!commitments.ok() || commitments->identifier != sender) {
        culprits.push_back(sender);
        continue;
      }
      package.commitments.push_back(std::move(commitments).value());
    }
    if (!culprits.empty()) {
      return make_error(ErrorKind::ProtocolAborted,
                        "FROST signing: malformed commitments from " + detail::list_parties(culprits), culprits);
    }
    TSIGN_TRY(auto ctx, SigningContext<C>::create(package, key));
    context.emplace(std::move(ctx));
    TSIGN_TRY(auto share, sign(*context, std::move(*nonces), key));
    own_share = share;
    Outgoing out;
    out.push_back(broadcast(share.encode()));
    return out;
  }

  // Round 1 in: the other signers' shares. Aggregates and verifies.
  Result<Signature<C>> finish(const RoundMessages& in) override {
    std::vector<SignatureShare<C>> shares{*own_share};
    std::vector<PartyId> culprits;
    for (const auto& [sender, payload] : in.broadcast) {
      auto share = SignatureShare<C>::decode(payload);
      if (!share.ok() || share->identifier != sender) {
        culprits.push_back(sender);
        continue;
      }
      shares.push_back(std::move(share).value());
    }
    if (!culprits.empty()) {
      return make_error(ErrorKind::ProtocolAborted,
                        "FROST signing: malformed signature shares from " + detail::list_parties(culprits), culprits);
    }
    return aggregate(*context, shares, keys);
  }
};

}  // namespace

template <FrostCiphersuite C>
Result<SigningProtocol<C>> SigningProtocol<C>::create(KeyShare<typename C::Group> key, std::vector<PartyId> signers,
                                                      Bytes message, TaprootTweak taproot) {
  std::sort(signers.begin(), signers.end());
  TSIGN_CHECK(validate_identifiers(signers));
  if (!std::binary_search(signers.begin(), signers.end(), key.self)) {
    return make_error(ErrorKind::InvalidInput, "FROST signing: this party is not among the signers");
  }
  std::vector<PartyId> unknown;
  for (PartyId p : signers) {
    if (!std::binary_search(key.parties.begin(), key.parties.end(), p)) unknown.push_back(p);
  }
  if (!unknown.empty()) {
    return make_error(ErrorKind::InvalidInput,
                      "FROST signing: signers that do not hold the key: " + detail::list_parties(unknown), unknown);
  }
  if (signers.size() < key.threshold) {
    return make_error(ErrorKind::InvalidInput, "FROST signing: " + std::to_string(signers.size()) +
                                                   " signers, the key needs " + std::to_string(key.threshold));
  }
  if (!C::kTaproot && taproot.mode != TaprootTweak::Mode::None) {
    return make_error(ErrorKind::InvalidInput, "FROST signing: a Taproot tweak is only meaningful for the TR suite");
  }
  const PartyId self = key.self;
  std::vector<PartyId> others;
  for (PartyId p : signers) {
    if (p != self) others.push_back(p);
  }
  // Two commitments, then one signature share: far below a kilobyte in every suite. The parties
  // must agree on the commitments (they fix every binding factor), but each share is checked
  // against them on its own, and an equivocator's shares cannot both pass.
  RoundShape shape = RoundShape::uniform(kRounds, others, {true, false}).bounded(kMaxMessageSize).checked_individually(1);
  auto state = std::make_unique<SigningState<C>>(std::move(key), std::move(message), taproot);
  return SigningProtocol(std::string(C::kName) + "/sign", self, std::move(signers), std::move(shape),
                         std::move(state));
}

#define TSIGN_INSTANTIATE(C) template class SigningProtocol<C>;
TSIGN_FROST_FOR_EACH_SUITE(TSIGN_INSTANTIATE)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost
