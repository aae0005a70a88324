#pragma once
// k·B for a fixed public point B and secret scalars k, in constant time, from a table of
// multiples of B: a comb of 64 signed 4-bit digits, 64 mixed additions and no doubling.
//
// libsecp256k1 keeps such a table for G only (ec_pubkey_create); for any other point its
// constant-time path is the ECDH ladder, which doubles 128 times per product. The base-OT
// receiver multiplies hundreds of secret scalars by the same sender point: building the table
// once (about a dozen products' worth of work) makes each product about half the ladder's cost.
// Internal to the library.
#include <vector>

#include "secp256k1_group.hpp"
#include "tsign/core/bytes.hpp"

namespace tsign::secp256k1_p {

class Comb {
 public:
  // base: a public point other than the identity.
  explicit Comb(const Affine& base);
  // The comb of G, built on first use.
  static const Comb& generator();

  // k·B for k big-endian below n. Never the identity for k ≠ 0; for k = 0 and a few other
  // values (each of probability 2^-256 for a uniform k) the result has Z = 0, which to_affine
  // reports.
  Jacobian mul(const ByteArray<32>& k) const;

 private:
  static constexpr std::size_t kDigits = 64;
  static constexpr std::size_t kOddMultiples = 8;
  std::vector<Affine> table_;  // table_[8·i + j] = (2j + 1)·16^i·B
};

}  // namespace tsign::secp256k1_p
