#include <algorithm>

#include "core/declassify.hpp"
#include "dkg/common.hpp"
#include "finalize.hpp"
#include "presignature_access.hpp"
#include "sign_messages.hpp"
#include "tsign/ecdsa/sign.hpp"

namespace tsign {

using namespace ecdsa_internal;

namespace {

struct OnlineState final : ProtocolState<EcdsaSignature> {
  Presignature presignature;  // public part only once the share is computed
  Digest32 digest{};
  NonceX nonce;
  Secp256k1Scalar w, u;

  explicit OnlineState(Presignature&& p) : presignature(std::move(p)) {}

  Result<Outgoing> start() override {
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

  Result<Outgoing> advance(std::size_t, const RoundMessages&) override {
    return make_error(ErrorKind::Internal, "ECDSA online round: one round only");
  }

  Result<EcdsaSignature> finish(const RoundMessages& in) override {
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
    return std::move(sig).value();
  }
};

}  // namespace

RoundShape EcdsaOnlineProtocol::round_shape(PartyId self, const std::vector<PartyId>& signers) {
  std::vector<PartyId> others;
  for (PartyId p : signers) {
    if (p != self) others.push_back(p);
  }
  // sid, the message digest, w_i and u_i.
  return RoundShape::uniform(kRounds, others, {true, false}).bounded(1 + 4 * 32);
}

Result<EcdsaOnlineProtocol> EcdsaOnlineProtocol::create(const EcdsaKeyShare& share, Presignature&& presignature,
                                                        const Digest32& digest) {
  if (!presignature.usable()) {
    return make_error(ErrorKind::InvalidInput, "the presignature was already used: a presignature signs once");
  }
  if (presignature.key_id() != share.key.key_id || presignature.self() != share.key.self) {
    return make_error(ErrorKind::InvalidInput, "the presignature was made with another key or another party's share");
  }
  if (presignature.epoch() != share.key.epoch) {
    return make_error(ErrorKind::InvalidInput, "the presignature was made at epoch " + std::to_string(presignature.epoch()) +
                                                   " of the key, which is now at epoch " + std::to_string(share.key.epoch) +
                                                   ": a refresh or resharing voids every presignature made before it");
  }
  auto state = std::make_unique<OnlineState>(std::move(presignature));
  state->digest = digest;
  const PartyId self = state->presignature.self();
  std::vector<PartyId> parties = state->presignature.signers();
  const Secp256k1Point public_key = state->presignature.public_key();
  RoundShape shape = round_shape(self, parties);
  return EcdsaOnlineProtocol(self, std::move(parties), std::move(shape), std::move(state), public_key);
}

}  // namespace tsign
