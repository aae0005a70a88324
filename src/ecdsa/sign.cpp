#include "tsign/ecdsa/sign.hpp"

#include <algorithm>

namespace tsign {

EcdsaSignParty::EcdsaSignParty(PartyId self, std::vector<PartyId> parties, EcdsaPresignParty presign,
                               const Digest32& digest)
    : StagedProtocol(std::string(kName), self, std::move(parties)),
      presign_(std::make_unique<EcdsaPresignParty>(std::move(presign))),
      digest_(digest) {}
EcdsaSignParty::~EcdsaSignParty() = default;
EcdsaSignParty::EcdsaSignParty(EcdsaSignParty&&) noexcept = default;
EcdsaSignParty& EcdsaSignParty::operator=(EcdsaSignParty&&) noexcept = default;

Result<EcdsaSignParty> EcdsaSignParty::create(EcdsaKeyShare& share, EcdsaSignConfig config) {
  EcdsaPresignConfig presign{config.session, config.signers, config.path};
  TSIGN_TRY(auto party, EcdsaPresignParty::make(share, std::move(presign), config.digest, std::string(kName)));
  return EcdsaSignParty(share.key.self, config.signers, std::move(party), config.digest);
}

RoundSpec EcdsaSignParty::expects_from(std::size_t round, PartyId sender) const {
  if (round < EcdsaPresignParty::kRounds) return presign_->expects_from(round, sender);
  if (round != kRounds - 1 || sender == self() || !std::binary_search(parties().begin(), parties().end(), sender)) {
    return {};
  }
  return {true, false};
}

const std::optional<EcdsaSignature>& EcdsaSignParty::signature() const { return online_ ? online_->signature() : none_; }

const Secp256k1Point& EcdsaSignParty::public_key() const { return presign_->public_key(); }

Result<std::vector<OutgoingMessage>> EcdsaSignParty::on_start() { return presign_->start(); }

Result<std::vector<OutgoingMessage>> EcdsaSignParty::on_round(std::size_t round, const RoundMessages& in) {
  if (round + 1 < EcdsaPresignParty::kRounds) return presign_->advance(round, in);
  if (round + 1 == EcdsaPresignParty::kRounds) {
    TSIGN_CHECK(presign_->advance(round, in));
    TSIGN_TRY(Presignature presignature, presign_->take_presignature());
    TSIGN_TRY(auto online, EcdsaOnlineParty::create(std::move(presignature), digest_));
    online_ = std::make_unique<EcdsaOnlineParty>(std::move(online));
    return online_->start();
  }
  return online_->advance(0, in);
}

void EcdsaSignParty::wipe() { online_.reset(); }

}  // namespace tsign
