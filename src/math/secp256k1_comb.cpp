#include "math/secp256k1_comb.hpp"

#include <cassert>
#include <cstring>
#include <stdexcept>

#include "math/secp256k1_scalar_limbs.hpp"
#include "core/declassify.hpp"
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

bool Comb::mul(std::span<const ByteArray<32>> scalars, std::span<Affine> out) const {
  const Comb* self[1] = {this};
  return mul(self, scalars, out);
}

bool Comb::mul(std::span<const Comb* const> combs, std::span<const ByteArray<32>> scalars, std::span<Affine> out) {
  // k = Σ d_i·16^i with odd digits d_i = 2·t_i − 15 ∈ {±1, ±3, …, ±15}, where t_i are the
  // nibbles of e = (k + 2^256 − 1)/2 mod n: Σ (2·t_i − 15)·16^i = 2e − (2^256 − 1) ≡ k. Odd
  // digits make every step an addition of a table entry, with no zero digit to skip.
  const std::size_t n = scalars.size(), total = combs.size() * n;
  assert(out.size() == total);
  SecretScratch<Limbs> recoded(n);
  SecretScratch<Affine> entries(total);
  SecretScratch<Fe> scratch(2 * total);
  auto e = recoded.span();
  for (std::size_t k = 0; k < n; ++k) {
    e[k] = halve_mod_n(secp256k1_n::add_mod(limbs64::from_be(scalars[k].data()), kAllOnesModN));
  }
  for (std::size_t c = 0; c < combs.size(); ++c) {
    for (std::size_t k = 0; k < n; ++k) combs[c]->entry(0, e[k], out[c * n + k]);
  }
  std::uint64_t failed = 0;
  for (std::size_t i = 1; i < kDigits; ++i) {
    for (std::size_t c = 0; c < combs.size(); ++c) {
      for (std::size_t k = 0; k < n; ++k) combs[c]->entry(i, e[k], entries.span()[c * n + k]);
    }
    failed |= add_batch(out, entries.span(), scratch.span());
  }
  return detail::declassified(failed) == 0;
}

void Comb::entry(std::size_t i, const Limbs& e, Affine& out) const {
  const std::uint64_t t = (e[i / 16] >> (4 * (i % 16))) & 15;
  const std::uint64_t negative = (t >> 3) ^ 1;  // d_i < 0 exactly when t_i < 8
  // |d_i| = 2j + 1 with j = t − 8 for t ≥ 8 and j = 7 − t otherwise.
  const std::uint64_t j = (t & 7) ^ (negative * 7);
  // Every entry is read and masked; exactly one survives the OR. Whole 64-byte entries as two
  // 32-byte vectors let the compiler use SIMD registers (SSE2 at least).
  typedef std::uint64_t Words __attribute__((vector_size(32)));
  Words x{}, y{};
  const Affine* row = &table_[i * kOddMultiples];
  for (std::size_t m = 0; m < kOddMultiples; ++m) {
    Words ex, ey;
    std::memcpy(&ex, row[m].x.v.data(), sizeof ex);
    std::memcpy(&ey, row[m].y.v.data(), sizeof ey);
    const std::uint64_t mask = limbs64::equal_mask(m, j);
    x |= ex & mask;
    y |= ey & mask;
  }
  std::memcpy(out.x.v.data(), &x, sizeof x);
  std::memcpy(out.y.v.data(), &y, sizeof y);
  assign_if(out.y, secp256k1_p::negate(out.y), 0 - negative);
}

}  // namespace tsign::secp256k1_p
