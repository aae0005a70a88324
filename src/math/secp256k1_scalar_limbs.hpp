#pragma once
// Constant-time arithmetic mod n, the secp256k1 group order, on 4x64-bit little-endian limbs.
// Secp256k1Scalar is built on these; the OT layer uses them directly in its inner loops, where
// values stay in plain (not Montgomery) form and scalar temporaries would cost a wipe each.
// No branch and no memory index depends on a limb's value. Internal to the library.
// The limb loops are unrolled explicitly: GCC at -O2 keeps them as loops, which costs more than
// the arithmetic in the OT layer's inner loops.
#include <array>
#include <cstdint>

#include "limbs64.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign {

namespace secp256k1_n {

using limbs64::addc;
using limbs64::ColumnSum;
using limbs64::from_be;
using limbs64::Limbs;
using limbs64::subb;
using limbs64::to_be;
using limbs64::u128;

inline constexpr Limbs kN = {0xBFD25E8CD0364141ULL, 0xBAAEDCE6AF48A03BULL, 0xFFFFFFFFFFFFFFFEULL,
                             0xFFFFFFFFFFFFFFFFULL};

// -n^-1 mod 2^64, by Newton iteration on the low limb.
constexpr std::uint64_t compute_n_prime() {
  std::uint64_t inv = 1;
  for (int i = 0; i < 7; ++i) inv *= 2 - kN[0] * inv;
  return ~inv + 1;
}
inline constexpr std::uint64_t kNPrime = compute_n_prime();

// a + b - (n if the sum reaches n): output below n whenever a + b < 2n (inputs below n, or a
// single value below 2^256 with b = 0).
constexpr Limbs add_mod(const Limbs& a, const Limbs& b) {
  Limbs sum{}, red{};
  std::uint64_t carry = 0, borrow = 0;
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) sum[i] = addc(a[i], b[i], carry);
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) red[i] = subb(sum[i], kN[i], borrow);
  // Take the reduced value when the sum overflowed 2^256 or did not borrow against n.
  const std::uint64_t take_red = 0 - (carry | (borrow ^ 1));
  Limbs out{};
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) out[i] = (red[i] & take_red) | (sum[i] & ~take_red);
  return out;
}

constexpr Limbs sub_mod(const Limbs& a, const Limbs& b) {
  Limbs diff{};
  std::uint64_t borrow = 0, carry = 0;
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) diff[i] = subb(a[i], b[i], borrow);
  const std::uint64_t mask = 0 - borrow;
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) diff[i] = addc(diff[i], kN[i] & mask, carry);
  return diff;
}

// Montgomery product a·b·R^-1 mod n (CIOS, R = 2^256). Needs a·b < n·R: one operand below n
// suffices. With a in Montgomery form (a·R) and b plain, the result is the plain a·b.
constexpr Limbs mont_mul(const Limbs& a, const Limbs& b) {
  std::uint64_t t[6] = {0, 0, 0, 0, 0, 0};
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    #pragma GCC unroll 16
    for (int j = 0; j < 4; ++j) {
      u128 p = (u128)a[j] * b[i] + t[j] + carry;
      t[j] = (std::uint64_t)p;
      carry = (std::uint64_t)(p >> 64);
    }
    u128 s = (u128)t[4] + carry;
    t[4] = (std::uint64_t)s;
    t[5] = (std::uint64_t)(s >> 64);

    const std::uint64_t m = t[0] * kNPrime;
    u128 p = (u128)m * kN[0] + t[0];
    carry = (std::uint64_t)(p >> 64);
    #pragma GCC unroll 16
    for (int j = 1; j < 4; ++j) {
      p = (u128)m * kN[j] + t[j] + carry;
      t[j - 1] = (std::uint64_t)p;
      carry = (std::uint64_t)(p >> 64);
    }
    s = (u128)t[4] + carry;
    t[3] = (std::uint64_t)s;
    t[4] = t[5] + (std::uint64_t)(s >> 64);
  }
  // t < 2n: subtract n once unless that borrows past the fifth limb.
  Limbs red{};
  std::uint64_t borrow = 0;
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) red[i] = subb(t[i], kN[i], borrow);
  const std::uint64_t keep_t = 0 - (borrow & (t[4] ^ 1));
  Limbs out{};
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) out[i] = (t[i] & keep_t) | (red[i] & ~keep_t);
  return out;
}

constexpr Limbs compute_r_mod_n() {
  // 2^256 - n, which is below n.
  Limbs zero{}, out{};
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    u128 d = (u128)zero[i] - kN[i] - borrow;
    out[i] = (std::uint64_t)d;
    borrow = (std::uint64_t)(d >> 64) & 1;
  }
  return out;
}
inline constexpr Limbs kR = compute_r_mod_n();

constexpr Limbs compute_r2() {
  Limbs x = kR;
  for (int i = 0; i < 256; ++i) x = add_mod(x, x);  // R·2^256 = R^2
  return x;
}
inline constexpr Limbs kR2 = compute_r2();
inline constexpr Limbs kR3 = mont_mul(kR2, kR2);  // R^2·R^2/R
inline constexpr Limbs kOneLimbs = {1, 0, 0, 0};

// Plain value <-> Montgomery form.
constexpr Limbs to_mont(const Limbs& plain) { return mont_mul(plain, kR2); }
constexpr Limbs from_mont(const Limbs& mont) { return mont_mul(mont, kOneLimbs); }

// The value of 32 big-endian bytes mod n, plain: one conditional subtraction, since 2^256 < 2n.
// For uniform bytes the result is within statistical distance (2^256 - n)/2^256 < 2^-127 of
// uniform: n is within 2^129 of 2^256.
inline Limbs reduce_be32(const std::uint8_t* p) { return add_mod(from_be(p), Limbs{}); }

// 1 when a < n, without branching on a.
constexpr std::uint64_t below_n(const Limbs& a) {
  std::uint64_t borrow = 0;
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) subb(a[i], kN[i], borrow);
  return borrow;
}

// a AND mask, limb by limb: a or zero for mask all ones or all zeros.
constexpr Limbs masked(const Limbs& a, std::uint64_t mask) {
  return {a[0] & mask, a[1] & mask, a[2] & mask, a[3] & mask};
}

// Delayed reduction: a sum of full 512-bit products kept in 576 bits and reduced once, where
// a loop would otherwise reduce every product. Any value below 2^576 is accepted, so up to 2^64
// products of two values below 2^256 (or below n) fit.
using Wide = std::array<std::uint64_t, 9>;

// acc += a·b, column by column.
constexpr void mul_add(Wide& acc, const Limbs& a, const Limbs& b) {
  ColumnSum sum;
  #pragma GCC unroll 16
  for (int c = 0; c < 8; ++c) {
    sum.add(acc[c]);
    #pragma GCC unroll 16
    for (int i = 0; i < 4; ++i) {
      if (c - i >= 0 && c - i < 4) sum.add((u128)a[i] * b[c - i]);  // c and i are public indices
    }
    acc[c] = sum.next();
  }
  acc[8] += sum.next();
}

// acc += a.
constexpr void add_to(Wide& acc, const Limbs& a) {
  std::uint64_t carry = 0;
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) acc[i] = addc(acc[i], a[i], carry);
  #pragma GCC unroll 16
  for (int i = 4; i < 9; ++i) acc[i] = addc(acc[i], 0, carry);
}

// 2^256 - n (129 bits): 2^256 ≡ c (mod n), so x = hi·2^256 + lo ≡ lo + hi·c.
inline constexpr std::uint64_t kC[3] = {~kN[0] + 1, ~kN[1], 1};

// One fold on an In-limb value: lo + hi·c, which the caller has shown to fit in Out limbs.
template <std::size_t In, std::size_t Out>
constexpr std::array<std::uint64_t, Out> fold(const std::array<std::uint64_t, In>& x) {
  static_assert(In > 4 && Out >= 4 && Out <= In);
  constexpr std::size_t H = In - 4;  // hi limbs
  std::array<std::uint64_t, Out> out{};
  ColumnSum sum;
  #pragma GCC unroll 16
  for (std::size_t c = 0; c < Out; ++c) {
    if (c < 4) sum.add(x[c]);
    #pragma GCC unroll 16
    for (std::size_t j = 0; j < 3; ++j) {  // c and j are public indices
      if (c >= j && c - j < H) sum.add(j == 2 ? (u128)x[4 + c - j] : (u128)kC[j] * x[4 + c - j]);
    }
    out[c] = sum.next();
  }
  return out;
}

// x mod n, plain, fully reduced. Bounds of the folds: x < 2^576 gives lo + hi·c < 2^256 + 2^449
// (8 limbs), then < 2^256 + 2^323 (6 limbs), then < 2^256 + 2^197 (5 limbs, top limb 0 or 1);
// when that top limb is 1 the low limbs are below 2^197, so the last fold stays below 2^256
// (4 limbs), and 2^256 < 2n leaves one conditional subtraction.
constexpr Limbs reduce_wide(const Wide& x) {
  const auto x8 = fold<9, 8>(x);
  const auto x6 = fold<8, 6>(x8);
  const auto x5 = fold<6, 5>(x6);
  const auto x4 = fold<5, 4>(x5);
  return add_mod(x4, Limbs{});
}

}  // namespace secp256k1_n

// Access to a scalar's Montgomery limbs.
struct Secp256k1ScalarOps {
  static Secp256k1Scalar make(const secp256k1_n::Limbs& mont) {
    Secp256k1Scalar s;
    s.limbs_ = mont;
    return s;
  }
  static const secp256k1_n::Limbs& limbs(const Secp256k1Scalar& s) { return s.limbs_; }
};

}  // namespace tsign
