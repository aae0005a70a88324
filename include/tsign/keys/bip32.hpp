#pragma once
// Non-hardened BIP-32 derivation for threshold keys. Public derivation needs only the group key
// and the chain code agreed at key generation; each step adds a public tweak IL to the key, so
// signers derive at signing time (share + Σ IL works because Lagrange coefficients sum to one)
// and no child share is ever stored. Hardened steps need the whole private key: refused.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tsign/core/result.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign {

constexpr std::uint32_t kHardenedIndex = 0x80000000u;

struct ExtendedPublicKey {
  static constexpr std::uint32_t kMainnetVersion = 0x0488B21E;  // "xpub"
  static constexpr std::uint32_t kTestnetVersion = 0x043587CF;  // "tpub"

  std::uint32_t version = kMainnetVersion;
  std::uint8_t depth = 0;
  ByteArray<4> parent_fingerprint{};
  std::uint32_t child_number = 0;
  ByteArray<32> chain_code{};
  Secp256k1Point key;

  // The root of a threshold key: depth 0, no parent.
  static ExtendedPublicKey root(const Secp256k1Point& group_key, const ByteArray<32>& chain_code);

  std::string to_base58() const;
  // Strict: known version, 78 bytes, valid point, zero fingerprint/number at depth 0.
  static Result<ExtendedPublicKey> from_base58(std::string_view text);

  ByteArray<4> fingerprint() const;  // first 4 bytes of HASH160(key)
  // The non-hardened child `index`; `tweak` receives IL, with child.key = key + IL·G.
  Result<ExtendedPublicKey> child(std::uint32_t index, Secp256k1Scalar* tweak = nullptr) const;
};

struct DerivedKey {
  ExtendedPublicKey xpub;
  Secp256k1Scalar tweak;  // Σ IL along the path: child key = parent key + tweak·G
};

Result<DerivedKey> derive_path(const ExtendedPublicKey& root, std::span<const std::uint32_t> path);

// "m/0/1/44" → {0, 1, 44}. Hardened markers (H, h, ') are refused with a clear error.
Result<std::vector<std::uint32_t>> parse_derivation_path(std::string_view text);
std::string format_derivation_path(std::span<const std::uint32_t> path);

}  // namespace tsign
