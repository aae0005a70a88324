#include "tsign/frost/signing_protocol.hpp"

#include <algorithm>

#include "internals.hpp"

namespace tsign::frost {

template <FrostCiphersuite C>
SigningProtocol<C>::SigningProtocol(KeyShare<typename C::Group> key, std::vector<PartyId> signers, Bytes message,
                                    TaprootTweak taproot)
    : key_(std::move(key)),
      keys_(PublicKeyPackage<C>::from_key_share(key_)),
      signers_(std::move(signers)),
      message_(std::move(message)),
      taproot_(taproot) {
  std::sort(signers_.begin(), signers_.end());
}

template <FrostCiphersuite C>
std::string_view SigningProtocol<C>::name() const {
  static const std::string kProtocolName = std::string(C::kName) + "/sign";
  return kProtocolName;
}

template <FrostCiphersuite C>
RoundSpec SigningProtocol<C>::expects_from(std::size_t round, PartyId sender) const {
  RoundSpec spec;
  spec.broadcast = round < round_count() && sender != key_.self &&
                   std::binary_search(signers_.begin(), signers_.end(), sender);
  return spec;
}

template <FrostCiphersuite C>
Result<std::vector<OutgoingMessage>> SigningProtocol<C>::start() {
  if (stage_ != Stage::Created) return make_error(ErrorKind::InvalidInput, "FROST signing: start() called twice");
  stage_ = Stage::Failed;  // until this step succeeds
  TSIGN_CHECK(validate_identifiers(signers_));
  if (!std::binary_search(signers_.begin(), signers_.end(), key_.self)) {
    return make_error(ErrorKind::InvalidInput, "FROST signing: this party is not among the signers");
  }
  std::vector<PartyId> unknown;
  for (PartyId p : signers_) {
    if (!std::binary_search(key_.parties.begin(), key_.parties.end(), p)) unknown.push_back(p);
  }
  if (!unknown.empty()) {
    return make_error(ErrorKind::InvalidInput, "FROST signing: signers that do not hold the key: " + detail::list_parties(unknown),
                      unknown);
  }
  if (signers_.size() < key_.threshold) {
    return make_error(ErrorKind::InvalidInput, "FROST signing: " + std::to_string(signers_.size()) +
                                                   " signers, the key needs " + std::to_string(key_.threshold));
  }
  if (!C::kTaproot && taproot_.mode != TaprootTweak::Mode::None) {
    return make_error(ErrorKind::InvalidInput, "FROST signing: a Taproot tweak is only meaningful for the TR suite");
  }
  TSIGN_TRY(auto nonces, commit<C>(key_));
  nonces_.emplace(std::move(nonces));
  stage_ = Stage::Committed;
  return std::vector<OutgoingMessage>{{std::nullopt, nonces_->commitments().encode()}};
}

template <FrostCiphersuite C>
Status SigningProtocol<C>::check_senders(const RoundMessages& in) const {
  std::vector<PartyId> culprits;
  for (const auto& entry : in.direct) culprits.push_back(entry.first);  // FROST sends no direct messages
  for (const auto& entry : in.broadcast) {
    if (!std::binary_search(signers_.begin(), signers_.end(), entry.first)) culprits.push_back(entry.first);
  }
  if (!culprits.empty()) {
    std::sort(culprits.begin(), culprits.end());
    culprits.erase(std::unique(culprits.begin(), culprits.end()), culprits.end());
    return make_error(ErrorKind::ProtocolAborted, "FROST signing: unexpected messages from " + detail::list_parties(culprits),
                      culprits);
  }
  std::vector<PartyId> missing;
  for (PartyId p : signers_) {
    if (p != key_.self && !in.broadcast.count(p)) missing.push_back(p);
  }
  if (!missing.empty()) {
    return make_error(ErrorKind::ProtocolAborted, "FROST signing: no message from " + detail::list_parties(missing), missing);
  }
  return {};
}

template <FrostCiphersuite C>
Result<std::vector<OutgoingMessage>> SigningProtocol<C>::advance(std::size_t round, const RoundMessages& in) {
  const Stage expected = round == 0 ? Stage::Committed : round == 1 ? Stage::Signed : Stage::Failed;
  if (stage_ != expected || expected == Stage::Failed) {
    return make_error(ErrorKind::InvalidInput, "FROST signing: round " + std::to_string(round) + " is not expected now");
  }
  stage_ = Stage::Failed;  // until this step succeeds
  auto out = round == 0 ? on_commitments(in) : on_shares(in);
  nonces_.reset();  // used or not, the nonces never outlive round 1
  return out;
}

template <FrostCiphersuite C>
Result<std::vector<OutgoingMessage>> SigningProtocol<C>::on_commitments(const RoundMessages& in) {
  TSIGN_CHECK(check_senders(in));
  SigningPackage<C> package;
  package.message = message_;
  package.taproot = taproot_;
  package.commitments.push_back(nonces_->commitments());
  std::vector<PartyId> culprits;
  for (const auto& [sender, payload] : in.broadcast) {
    if (sender == key_.self) continue;
    auto commitments = SigningCommitments<C>::decode(payload);
    if (!commitments.ok() || commitments->identifier != sender) {
      culprits.push_back(sender);
      continue;
    }
    package.commitments.push_back(std::move(commitments).value());
  }
  if (!culprits.empty()) {
    return make_error(ErrorKind::ProtocolAborted, "FROST signing: malformed commitments from " + detail::list_parties(culprits),
                      culprits);
  }
  TSIGN_TRY(auto context, SigningContext<C>::create(package, key_));
  context_.emplace(std::move(context));
  TSIGN_TRY(auto share, sign(*context_, std::move(*nonces_), key_));
  own_share_ = share;
  stage_ = Stage::Signed;
  return std::vector<OutgoingMessage>{{std::nullopt, share.encode()}};
}

template <FrostCiphersuite C>
Result<std::vector<OutgoingMessage>> SigningProtocol<C>::on_shares(const RoundMessages& in) {
  TSIGN_CHECK(check_senders(in));
  std::vector<SignatureShare<C>> shares{*own_share_};
  std::vector<PartyId> culprits;
  for (const auto& [sender, payload] : in.broadcast) {
    if (sender == key_.self) continue;
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
  TSIGN_TRY(auto signature, aggregate(*context_, shares, keys_));
  signature_ = std::move(signature);
  stage_ = Stage::Done;
  return std::vector<OutgoingMessage>{};
}

#define TSIGN_INSTANTIATE(C) template class SigningProtocol<C>;
TSIGN_FROST_FOR_EACH_SUITE(TSIGN_INSTANTIATE)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost
