#include "math/secp256k1_comb.hpp"

#include <stdexcept>

#include "math/secp256k1_scalar_limbs.hpp"
#include "tsign/core/secret.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign::secp256k1_p {

namespace {

using secp256k1_n::kN;

// (2^256 - 1) mod n, that is 2^256 - 1 - n.
constexpr Limbs kAllOnesModN = [] {
  Limbs out{};
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) out[i] = subb(~std::uint64_t{0}, kN[i], borrow);
  return out;
}();

// x/2 mod n for x below n: (x + n)/2 when x is odd, a 257-bit sum shifted back into 256 bits.
Limbs halve_mod_n(const Limbs& x) {
  const Limbs addend = secp256k1_n::masked(kN, 0 - (x[0] & 1));
  Limbs sum{};
  std::uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) sum[i] = addc(x[i], addend[i], carry);
  Limbs out{};
  for (int i = 0; i < 3; ++i) out[i] = (sum[i] >> 1) | (sum[i + 1] << 63);
  out[3] = (sum[3] >> 1) | (carry << 63);
  return out;
}

}  // namespace

Comb::Comb(const Affine& base) : table_(kDigits * kOddMultiples) {
  // Every entry is a small odd multiple of a power of 16 times B, all distinct and none the
  // identity (n is prime and larger than any of those multiples), so the formulas' exceptional
  // cases cannot arise on a valid base.
  std::vector<Jacobian> entries(table_.size());
  Jacobian power = to_jacobian(base);  // 16^i·B
  for (std::size_t i = 0; i < kDigits; ++i) {
    const Jacobian doubled = twice(power);
    entries[i * kOddMultiples] = power;
    for (std::size_t j = 1; j < kOddMultiples; ++j) {
      entries[i * kOddMultiples + j] = add(entries[i * kOddMultiples + j - 1], doubled);
    }
    for (int k = 0; k < 4; ++k) power = twice(power);
  }
  if (!to_affine(entries, table_)) throw std::invalid_argument("tsign: comb base is not a curve point");
}

const Comb& Comb::generator() {
  static const Comb comb(from_pubkey(Secp256k1Point::generator().pubkey()));
  return comb;
}

Jacobian Comb::mul(const ByteArray<32>& k) const {
  // k = Σ d_i·16^i with odd digits d_i = 2·t_i − 15 ∈ {±1, ±3, …, ±15}, where t_i are the
  // nibbles of e = (k + 2^256 − 1)/2 mod n: Σ (2·t_i − 15)·16^i = 2e − (2^256 − 1) ≡ k. Odd
  // digits make every step an addition of a table entry, with no zero digit to skip.
  // On the stack and wiped before returning: a locked allocation per product would cost more
  // than the product.
  struct Scratch {
    Limbs e;
    Affine entry, negated;
  } s;
  s.e = halve_mod_n(secp256k1_n::add_mod(limbs64::from_be(k.data()), kAllOnesModN));
  Jacobian acc{};
  for (std::size_t i = 0; i < kDigits; ++i) {
    const std::uint64_t t = (s.e[i / 16] >> (4 * (i % 16))) & 15;
    const std::uint64_t negative = (t >> 3) ^ 1;  // d_i < 0 exactly when t_i < 8
    // |d_i| = 2j + 1 with j = t − 8 for t ≥ 8 and j = 7 − t otherwise.
    const std::uint64_t j = (t & 7) ^ (negative * 7);
    for (std::size_t m = 0; m < kOddMultiples; ++m) {
      assign_if(s.entry, table_[i * kOddMultiples + m], limbs64::equal_mask(m, j));
    }
    s.negated = negate(s.entry);
    assign_if(s.entry, s.negated, 0 - negative);
    if (i == 0) {
      acc = to_jacobian(s.entry);
    } else {
      acc = add(acc, s.entry);
    }
  }
  detail::secure_wipe(&s, sizeof s);
  return acc;
}

}  // namespace tsign::secp256k1_p
