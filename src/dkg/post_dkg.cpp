#include "tsign/dkg/post_dkg.hpp"

#include "tsign/core/hash.hpp"

namespace tsign {

void apply_taproot_no_script_tweak(KeyShare<Secp256k1>& share) {
  using Scalar = Secp256k1Scalar;
  using Point = Secp256k1Point;
  const auto x = share.group_public_key.x_only();
  // BIP-341 with an empty Merkle root; like ZcashFoundation/frost, reduce the hash mod n (a
  // value above n has probability about 2^-128).
  const Scalar tweak = Scalar::from_bytes_reduce(tagged_hash("TapTweak", {x}));
  const Point tweak_point = Point::base_mul(tweak);
  const bool negate = !share.group_public_key.has_even_y();
  auto adjust = [&](const Point& p) { return (negate ? -p : p) + tweak_point; };
  share.group_public_key = adjust(share.group_public_key);
  for (auto& entry : share.verifying_shares) entry.second = adjust(entry.second);
  if (share.signing_share.has_value()) {
    Scalar& s = share.signing_share.expose_mut();
    s = (negate ? -s : s) + tweak;
  }
}

}  // namespace tsign
