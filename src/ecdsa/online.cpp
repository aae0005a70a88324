#include <algorithm>

#include "core/declassify.hpp"
#include "dkg/common.hpp"
#include "finalize.hpp"
#include "presignature_access.hpp"
#include "sign_messages.hpp"
#include "tsign/ecdsa/sign.hpp"

namespace tsign {

using namespace ecdsa_internal;
using dkg_internal::Blame;

struct EcdsaOnlineParty::State {
  Presignature presignature;  // public part only once the share is computed
  Digest32 digest{};
  NonceX nonce;
  Secp256k1Scalar w, u;
  std::optional<EcdsaSignature> signature;

  explicit State(Presignature&& p) : presignature(std::move(p)) {}

  Result<std::vector<OutgoingMessage>> start() {
    auto secrets = PresignatureAccess::take_secrets(presignature);
    const auto& s = secrets.expose();
    nonce = nonce_x(presignature.nonce_point());
    w = Secp256k1Scalar::from_bytes_reduce(digest) * s.phi + nonce.r * s.v;
    u = s.u;
    secrets.reset();
    // Both are broadcast: additive shares that reveal nothing beyond the signature.
    detail::declassify(&w, sizeof w);
    detail::declassify(&u, sizeof u);
    std::vector<OutgoingMessage> out;
    out.push_back({std::nullopt, ShareMessage{digest, w, u}.encode(presignature.id())});
    return out;
  }

  Status combine(const RoundMessages& in) {
    Blame blame;
    Secp256k1Scalar sum_w = w, sum_u = u;
    for (const auto& [sender, payload] : in.broadcast) {
      auto msg = ShareMessage::decode(payload, presignature.id());
      if (!msg.ok()) {
        blame.add(sender, msg.error().message);
        continue;
      }
      if (msg->digest != digest) {
        blame.add(sender, "signs a different message");
        continue;
      }
      sum_w += msg->w;
      sum_u += msg->u;
    }
    TSIGN_CHECK(blame.status("ECDSA online round"));
    auto sig = finalize_signature(nonce, sum_w * sum_u.invert(), digest, presignature.public_key());
    if (!sig.ok()) {
      // w_j and u_j are additive shares that only verify together: every other signer is a suspect.
      std::vector<PartyId> suspects;
      for (PartyId p : presignature.signers()) {
        if (p != presignature.self()) suspects.push_back(p);
      }
      return make_error(ErrorKind::ProtocolAborted,
                        "ECDSA online round: the combined signature is invalid (" + sig.error().message +
                            "); a signer sent a wrong share, which DKLs23 cannot attribute to one of the suspects",
                        suspects);
    }
    signature = std::move(sig).value();
    return {};
  }
};

EcdsaOnlineParty::EcdsaOnlineParty(std::string name, PartyId self, std::vector<PartyId> parties,
                                   std::unique_ptr<State> state)
    : StagedProtocol(std::move(name), self, std::move(parties)), state_(std::move(state)) {}
EcdsaOnlineParty::~EcdsaOnlineParty() = default;
EcdsaOnlineParty::EcdsaOnlineParty(EcdsaOnlineParty&&) noexcept = default;
EcdsaOnlineParty& EcdsaOnlineParty::operator=(EcdsaOnlineParty&&) noexcept = default;

Result<EcdsaOnlineParty> EcdsaOnlineParty::create(Presignature&& presignature, const Digest32& digest) {
  if (!presignature.usable()) {
    return make_error(ErrorKind::InvalidInput, "the presignature was already used: a presignature signs once");
  }
  auto state = std::make_unique<State>(std::move(presignature));
  state->digest = digest;
  const PartyId self = state->presignature.self();
  std::vector<PartyId> parties = state->presignature.signers();
  return EcdsaOnlineParty(std::string(kName), self, std::move(parties), std::move(state));
}

RoundSpec EcdsaOnlineParty::expects_from(std::size_t round, PartyId sender) const {
  if (round != 0 || sender == self() || !std::binary_search(parties().begin(), parties().end(), sender)) return {};
  return {true, false};
}

const std::optional<EcdsaSignature>& EcdsaOnlineParty::signature() const { return state_->signature; }
const Secp256k1Point& EcdsaOnlineParty::public_key() const { return state_->presignature.public_key(); }

Result<std::vector<OutgoingMessage>> EcdsaOnlineParty::on_start() { return state_->start(); }

Result<std::vector<OutgoingMessage>> EcdsaOnlineParty::on_round(std::size_t, const RoundMessages& in) {
  TSIGN_CHECK(state_->combine(in));
  return std::vector<OutgoingMessage>{};
}

void EcdsaOnlineParty::wipe() {
  if (!state_) return;
  state_->w = state_->u = Secp256k1Scalar::zero();
  state_->signature.reset();
}

}  // namespace tsign
