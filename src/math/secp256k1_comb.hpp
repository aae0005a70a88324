#pragma once
// k·B for a fixed public point B and a batch of secret scalars k, in constant time, from a table
// of multiples of B: a comb of 64 signed 4-bit digits, 64 additions and no doubling, the
// additions of the whole batch sharing one field inversion per digit (add_batch).
//
// libsecp256k1 keeps such a table for G only (ec_pubkey_create); for any other point its
// constant-time path is the ECDH ladder, which doubles 128 times per product. The base-OT
// receiver multiplies hundreds of secret scalars by the same sender point: building the table
// once (a few dozen products' worth of work) makes each product well under half the ladder's
// cost.
// Internal to the library.
#include <span>
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

  // out_i = k_i·B for every k_i (big-endian, below n), affine. False, leaving out meaningless,
  // when some k_i is zero or one of the few other scalars (each of probability 2^-256 for a
  // uniform k_i) whose comb meets an exceptional addition: a public fact about negligible events.
  bool mul(std::span<const ByteArray<32>> scalars, std::span<Affine> out) const;

  // The same for several bases at once, out[c·size + i] = k_i·B_c: the digits are recoded once
  // and every step's additions, for all bases, share one field inversion.
  static bool mul(std::span<const Comb* const> combs, std::span<const ByteArray<32>> scalars,
                  std::span<Affine> out);

 private:
  // out = ±(2j + 1)·16^i·B, the signed digit i of a recoded scalar e, looked up in constant time.
  void entry(std::size_t i, const Limbs& e, Affine& out) const;

  static constexpr std::size_t kDigits = 64;
  static constexpr std::size_t kOddMultiples = 8;
  std::vector<Affine> table_;  // table_[8·i + j] = (2j + 1)·16^i·B
};

}  // namespace tsign::secp256k1_p
