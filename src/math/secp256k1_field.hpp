#pragma once
// Constant-time arithmetic mod p = 2^256 - 2^32 - 977, the field of secp256k1, on 4x64-bit limbs.
// It serves the fixed-base multiplications of secp256k1_comb.hpp, which libsecp256k1's public API
// does not offer. Values stay below 2^256 but not necessarily below p between operations;
// normalized() gives the canonical representative. No branch and no memory index depends on a
// value. Internal to the library.
#include <cstdint>

#include "limbs64.hpp"

namespace tsign::secp256k1_p {

using limbs64::addc;
using limbs64::ColumnSum;
using limbs64::Limbs;
using limbs64::subb;
using limbs64::u128;

// 2^256 mod p: a carry out of the top limb folds back in as this much.
inline constexpr std::uint64_t kFold = 0x1000003D1ULL;
inline constexpr Limbs kP = {0xFFFFFFFEFFFFFC2FULL, 0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFFFFFFFFFFULL,
                             0xFFFFFFFFFFFFFFFFULL};

struct Fe {
  Limbs v{};
};

// r + fold·kFold over the whole chain; fold below 2^64 / kFold. Returns the carry out.
inline std::uint64_t add_fold(Limbs& r, std::uint64_t fold) {
  const u128 first = (u128)fold * kFold + r[0];
  r[0] = (std::uint64_t)first;
  std::uint64_t carry = 0;
  r[1] = addc(r[1], (std::uint64_t)(first >> 64), carry);
  r[2] = addc(r[2], 0, carry);
  r[3] = addc(r[3], 0, carry);
  return carry;
}

inline Fe add(const Fe& a, const Fe& b) {
  Fe r;
  std::uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) r.v[i] = addc(a.v[i], b.v[i], carry);
  // A wrap leaves r below kFold, so the second fold cannot carry.
  carry = add_fold(r.v, carry);
  add_fold(r.v, carry);
  return r;
}

inline Fe sub(const Fe& a, const Fe& b) {
  Fe r;
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) r.v[i] = subb(a.v[i], b.v[i], borrow);
  // A borrow left a - b + 2^256: subtracting kFold makes it a - b + p. When that borrows too, r
  // was below kFold and one more kFold (p again) brings it back without borrowing.
  for (int round = 0; round < 2; ++round) {
    const std::uint64_t take = borrow * kFold;
    borrow = 0;
    r.v[0] = subb(r.v[0], take, borrow);
    for (int i = 1; i < 4; ++i) r.v[i] = subb(r.v[i], 0, borrow);
  }
  return r;
}

// t = lo + hi·2^256 ≡ lo + hi·kFold: a 289-bit value, whose top limb folds in once more.
inline Fe reduce(const std::uint64_t t[8]) {
  Fe r;
  u128 acc = 0;
  for (int i = 0; i < 4; ++i) {
    acc += (u128)t[i + 4] * kFold + t[i];
    r.v[i] = (std::uint64_t)acc;
    acc >>= 64;
  }
  const std::uint64_t carry = add_fold(r.v, (std::uint64_t)acc);
  // A wrap here leaves r below 2^67: the last fold cannot carry.
  add_fold(r.v, carry);
  return r;
}

inline Fe mul(const Fe& a, const Fe& b) {
  const Limbs &x = a.v, &y = b.v;
  ColumnSum c;
  std::uint64_t t[8];
  c.add((u128)x[0] * y[0]);
  t[0] = c.next();
  c.add((u128)x[0] * y[1]), c.add((u128)x[1] * y[0]);
  t[1] = c.next();
  c.add((u128)x[0] * y[2]), c.add((u128)x[1] * y[1]), c.add((u128)x[2] * y[0]);
  t[2] = c.next();
  c.add((u128)x[0] * y[3]), c.add((u128)x[1] * y[2]), c.add((u128)x[2] * y[1]), c.add((u128)x[3] * y[0]);
  t[3] = c.next();
  c.add((u128)x[1] * y[3]), c.add((u128)x[2] * y[2]), c.add((u128)x[3] * y[1]);
  t[4] = c.next();
  c.add((u128)x[2] * y[3]), c.add((u128)x[3] * y[2]);
  t[5] = c.next();
  c.add((u128)x[3] * y[3]);
  t[6] = c.next();
  t[7] = c.next();
  return reduce(t);
}

// a·a with each cross product computed once.
inline Fe sqr(const Fe& a) {
  const Limbs& x = a.v;
  ColumnSum c;
  // A doubled product can pass 2^128: it goes in twice.
  const auto add_twice = [&c](u128 p) {
    c.add(p);
    c.add(p);
  };
  std::uint64_t t[8];
  c.add((u128)x[0] * x[0]);
  t[0] = c.next();
  add_twice((u128)x[0] * x[1]);
  t[1] = c.next();
  add_twice((u128)x[0] * x[2]), c.add((u128)x[1] * x[1]);
  t[2] = c.next();
  add_twice((u128)x[0] * x[3]), add_twice((u128)x[1] * x[2]);
  t[3] = c.next();
  add_twice((u128)x[1] * x[3]), c.add((u128)x[2] * x[2]);
  t[4] = c.next();
  add_twice((u128)x[2] * x[3]);
  t[5] = c.next();
  c.add((u128)x[3] * x[3]);
  t[6] = c.next();
  t[7] = c.next();
  return reduce(t);
}

inline Fe twice(const Fe& a) { return add(a, a); }

// The representative below p.
inline Fe normalized(const Fe& a) {
  Limbs plus = a.v;
  // a >= p exactly when a + kFold reaches 2^256; then a - p is that sum mod 2^256.
  const std::uint64_t wrapped = add_fold(plus, 1);
  return Fe{limbs64::select(0 - wrapped, plus, a.v)};
}

inline Fe negate(const Fe& a) {
  const Fe n = normalized(a);
  Fe r;
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) r.v[i] = subb(kP[i], n.v[i], borrow);
  return r;  // p for zero, which is zero mod p
}

// All ones when a ≡ 0, else zero.
inline std::uint64_t zero_mask(const Fe& a) {
  const Fe n = normalized(a);
  const std::uint64_t any = n.v[0] | n.v[1] | n.v[2] | n.v[3];
  return limbs64::equal_mask(any, 0);
}

inline void assign_if(Fe& r, const Fe& a, std::uint64_t mask) { r.v = limbs64::select(mask, a.v, r.v); }

// a^(2^n).
inline Fe sqr_n(Fe a, int n) {
  for (int i = 0; i < n; ++i) a = sqr(a);
  return a;
}

// a^(p-2) = a^-1 (zero for zero). p - 2 in binary is 223 ones, 0, 22 ones, 0000, 1, 0, 11, 0, 1;
// the chain builds x_k = a^(2^k - 1) for the runs: 255 squarings and 15 multiplications.
inline Fe inverse(const Fe& a) {
  const Fe x2 = mul(sqr(a), a);
  const Fe x3 = mul(sqr(x2), a);
  const Fe x6 = mul(sqr_n(x3, 3), x3);
  const Fe x9 = mul(sqr_n(x6, 3), x3);
  const Fe x11 = mul(sqr_n(x9, 2), x2);
  const Fe x22 = mul(sqr_n(x11, 11), x11);
  const Fe x44 = mul(sqr_n(x22, 22), x22);
  const Fe x88 = mul(sqr_n(x44, 44), x44);
  const Fe x176 = mul(sqr_n(x88, 88), x88);
  const Fe x220 = mul(sqr_n(x176, 44), x44);
  const Fe x223 = mul(sqr_n(x220, 3), x3);
  Fe r = mul(sqr_n(x223, 23), x22);
  r = mul(sqr_n(r, 5), a);
  r = mul(sqr_n(r, 3), x2);
  return mul(sqr_n(r, 2), a);
}

inline Fe from_be(const std::uint8_t* p) { return Fe{limbs64::from_be(p)}; }
inline void to_be(const Fe& a, std::uint8_t* p) { limbs64::to_be(normalized(a).v, p); }

}  // namespace tsign::secp256k1_p
