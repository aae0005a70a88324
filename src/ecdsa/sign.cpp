#include "tsign/ecdsa/sign.hpp"

#include "protocol/compose.hpp"

namespace tsign {

namespace {

using SignSequence = SequenceState<Presignature, EcdsaSignature>;

}  // namespace

Result<EcdsaSignProtocol> EcdsaSignProtocol::create(EcdsaKeyShare& share, EcdsaSignConfig config) {
  EcdsaPresignConfig presign{config.session, config.signers, config.path};
  TSIGN_TRY(auto party, EcdsaPresignProtocol::make(share, std::move(presign), config.digest, std::string(kName)));
  const PartyId self = party.self();
  const Secp256k1Point public_key = party.public_key();
  std::vector<PartyId> parties = party.parties();
  RoundShape online_shape = EcdsaOnlineProtocol::round_shape(self, parties);
  auto first = std::make_unique<EcdsaPresignProtocol>(std::move(party));
  RoundShape shape = SignSequence::shape(*first, online_shape);
  SignSequence::Next next = [&share, digest = config.digest](Presignature&& presignature)
      -> Result<std::unique_ptr<Protocol<EcdsaSignature>>> {
    TSIGN_TRY(auto online, EcdsaOnlineProtocol::create(share, std::move(presignature), digest));
    std::unique_ptr<Protocol<EcdsaSignature>> out = std::make_unique<EcdsaOnlineProtocol>(std::move(online));
    return out;
  };
  auto state = std::make_unique<SignSequence>(std::move(first), std::move(online_shape), std::move(next));
  return EcdsaSignProtocol(self, std::move(parties), std::move(shape), std::move(state), public_key);
}


}  // namespace tsign
