#pragma once
// FROST signing as a RoundProtocol, so the engine can run it peer to peer with no coordinator:
//   round 0: every signer broadcasts its commitments;
//   round 1: every signer assembles the signing package from the broadcasts, signs, and
//            broadcasts its signature share;
//   then every signer aggregates and verifies, naming every signer whose share is wrong.
// The message, the signer set and the Taproot tweak are fixed at construction, so a peer cannot
// steer them. Each party derives the package and the group commitment once for both steps.
#include <optional>
#include <string>

#include "tsign/frost/aggregate.hpp"
#include "tsign/frost/sign.hpp"
#include "tsign/protocol/round.hpp"

namespace tsign::frost {

template <FrostCiphersuite C>
class SigningProtocol final : public RoundProtocol {
 public:
  // `signers` must include key.self; they are checked (at least t, known holders, distinct)
  // when start() runs.
  SigningProtocol(KeyShare<typename C::Group> key, std::vector<PartyId> signers, Bytes message,
                  TaprootTweak taproot = {});

  std::string_view name() const override;  // e.g. "frost_secp256k1/sign"
  PartyId self() const override { return key_.self; }
  const std::vector<PartyId>& parties() const override { return signers_; }
  std::size_t round_count() const override { return 2; }
  RoundSpec expects_from(std::size_t round, PartyId sender) const override;

  Result<std::vector<OutgoingMessage>> start() override;
  Result<std::vector<OutgoingMessage>> advance(std::size_t round, const RoundMessages& in) override;

  // The verified signature, once round 1 has been processed.
  const std::optional<Signature<C>>& signature() const { return signature_; }

 private:
  enum class Stage { Created, Committed, Signed, Done, Failed };

  // Every expected sender present, none unexpected; ProtocolAborted naming the others.
  Status check_senders(const RoundMessages& in) const;
  Result<std::vector<OutgoingMessage>> on_commitments(const RoundMessages& in);
  Result<std::vector<OutgoingMessage>> on_shares(const RoundMessages& in);

  KeyShare<typename C::Group> key_;
  PublicKeyPackage<C> keys_;
  std::vector<PartyId> signers_;
  Bytes message_;
  TaprootTweak taproot_;
  Stage stage_ = Stage::Created;
  std::optional<SigningNonces<C>> nonces_;
  std::optional<SigningContext<C>> context_;
  std::optional<SignatureShare<C>> own_share_;
  std::optional<Signature<C>> signature_;
};

}  // namespace tsign::frost
