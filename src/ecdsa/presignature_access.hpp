#pragma once
// Construction of a Presignature and the one-way hand-over of its secrets to the online round.
#include "tsign/ecdsa/presign.hpp"

namespace tsign::ecdsa_internal {

struct PresignatureAccess {
  static Presignature make(const Digest32& id, const KeyId& key_id, std::uint64_t epoch, PartyId self, std::vector<PartyId> signers, std::vector<std::uint32_t> path,
                           const Secp256k1Point& public_key, const Secp256k1Point& nonce_point,
                           const Secp256k1Scalar& phi, const Secp256k1Scalar& u, const Secp256k1Scalar& v) {
    Presignature p(Secret<Presignature::Secrets>(Presignature::Secrets{phi, u, v}));
    p.id_ = id;
    p.key_id_ = key_id;
    p.epoch_ = epoch;
    p.self_ = self;
    p.signers_ = std::move(signers);
    p.path_ = std::move(path);
    p.public_key_ = public_key;
    p.nonce_point_ = nonce_point;
    return p;
  }

  // Moves the secrets out: the presignature is unusable from here on.
  static Secret<Presignature::Secrets> take_secrets(Presignature& p) { return std::move(p.secrets_); }
};

}  // namespace tsign::ecdsa_internal
