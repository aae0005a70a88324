#include "tsign/frost/taproot.hpp"

#include "tsign/core/hash.hpp"

namespace tsign::frost {

Result<Secp256k1Scalar> taproot_tweak_scalar(const Secp256k1Point& internal_key, const TaprootTweak& tweak) {
  if (internal_key.is_identity()) return make_error(ErrorKind::InvalidInput, "Taproot internal key is the identity");
  const auto x = internal_key.x_only();
  Digest32 h;
  switch (tweak.mode) {
    case TaprootTweak::Mode::None:
      return Secp256k1Scalar::zero();
    case TaprootTweak::Mode::NoScripts:
      h = tagged_hash("TapTweak", {x});
      break;
    case TaprootTweak::Mode::MerkleRoot:
      h = tagged_hash("TapTweak", {x, tweak.merkle_root});
      break;
    default:
      return make_error(ErrorKind::InvalidInput, "unknown Taproot tweak mode");
  }
  auto t = Secp256k1Scalar::from_bytes(h);
  // Unreachable in practice (tools/mutation/equivalents.txt): a hash at or above n has probability 2^-128.
  if (!t.ok()) return make_error(ErrorKind::InvalidInput, "Taproot tweak is not below the group order");
  return t;
}

Result<Secp256k1Point> taproot_output_key(const Secp256k1Point& internal_key, const TaprootTweak& tweak) {
  TSIGN_TRY(Secp256k1Scalar t, taproot_tweak_scalar(internal_key, tweak));
  const Secp256k1Point even = internal_key.has_even_y() ? internal_key : -internal_key;
  Secp256k1Point q = even + Secp256k1Point::base_mul(t);
  // Unreachable by design (tools/mutation/equivalents.txt): it takes a TapTweak preimage.
  if (q.is_identity()) return make_error(ErrorKind::InvalidInput, "Taproot output key is the identity");
  return q;
}

}  // namespace tsign::frost
