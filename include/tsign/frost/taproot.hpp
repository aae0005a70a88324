#pragma once
// BIP-341 Taproot tweaking for FROST(secp256k1, SHA-256, TR). Key shares stay untweaked; the
// tweak is chosen per signing package and applied at signing time to the group key and to every
// share (adding t to each Shamir share adds t to the secret, since Lagrange coefficients sum
// to one). Output key: Q = lift_x(P) + t·G with t = tagged_hash("TapTweak", x(P) [‖ merkle root]).
#include <cstdint>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign::frost {

struct TaprootTweak {
  enum class Mode : std::uint8_t {
    None = 0,        // sign for the internal key itself (plain BIP-340)
    NoScripts = 1,   // key path only: Q = P + H(x(P))·G, committing to an unspendable script path
    MerkleRoot = 2,  // key path of an output that also has scripts: Q = P + H(x(P) ‖ root)·G
  };

  Mode mode = Mode::None;
  ByteArray<32> merkle_root{};  // used only with Mode::MerkleRoot

  static TaprootTweak none() { return {}; }
  static TaprootTweak no_scripts() { return {Mode::NoScripts, {}}; }
  static TaprootTweak with_merkle_root(const ByteArray<32>& root) { return {Mode::MerkleRoot, root}; }

  bool operator==(const TaprootTweak&) const = default;
};

// t for `internal_key` (zero for Mode::None); refused when the hash is not below the group order,
// as BIP-341 specifies.
Result<Secp256k1Scalar> taproot_tweak_scalar(const Secp256k1Point& internal_key, const TaprootTweak& tweak);

// The key a TR signature verifies under, as a full point: lift_x(P) for Mode::None, else
// lift_x(P) + t·G. BIP-340 verifiers use its x coordinate.
Result<Secp256k1Point> taproot_output_key(const Secp256k1Point& internal_key, const TaprootTweak& tweak);

}  // namespace tsign::frost
