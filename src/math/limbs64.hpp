#pragma once
// 256-bit values as 4x64-bit little-endian limbs: the carry chains and byte conversions shared by
// the arithmetic mod n (secp256k1_scalar_limbs.hpp) and mod p (secp256k1_field.hpp).
// Internal to the library.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace tsign::limbs64 {

__extension__ typedef unsigned __int128 u128;
using Limbs = std::array<std::uint64_t, 4>;

// a + b + carry with carry in {0, 1}; carry receives the carry out. On x86-64 the intrinsic keeps
// a chain of these in the carry flag (adc); the 128-bit form is the portable and compile-time path.
constexpr std::uint64_t addc(std::uint64_t a, std::uint64_t b, std::uint64_t& carry) {
#if defined(__x86_64__)
  if (!std::is_constant_evaluated()) {
    unsigned long long r;
    carry = _addcarry_u64(static_cast<unsigned char>(carry), a, b, &r);
    return r;
  }
#endif
  const u128 s = (u128)a + b + carry;
  carry = (std::uint64_t)(s >> 64);
  return (std::uint64_t)s;
}

// a - b - borrow with borrow in {0, 1}; borrow receives the borrow out (sbb on x86-64).
constexpr std::uint64_t subb(std::uint64_t a, std::uint64_t b, std::uint64_t& borrow) {
#if defined(__x86_64__)
  if (!std::is_constant_evaluated()) {
    unsigned long long r;
    borrow = _subborrow_u64(static_cast<unsigned char>(borrow), a, b, &r);
    return r;
  }
#endif
  const u128 d = (u128)a - b - borrow;
  borrow = (std::uint64_t)(d >> 64) & 1;
  return (std::uint64_t)d;
}

// A column sum for product scanning: up to 2^64 terms below 2^128 each, in 192 bits. Sums
// column by column compile to short add/adc chains, shorter than row-by-row partial products.
class ColumnSum {
 public:
  constexpr void add(u128 v) {
    t_ += v;
    t2_ += static_cast<std::uint64_t>(t_ < v);  // the carry out, without a branch
  }
  // Returns the low limb and shifts the sum down by one limb.
  constexpr std::uint64_t next() {
    const auto lo = static_cast<std::uint64_t>(t_);
    t_ = (t_ >> 64) | (u128)t2_ << 64;
    t2_ = 0;
    return lo;
  }

 private:
  u128 t_ = 0;
  std::uint64_t t2_ = 0;
};

// 32 big-endian bytes as limbs (any value below 2^256), and back.
inline Limbs from_be(const std::uint8_t* p) {
  Limbs out{};
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    std::uint64_t v;
    std::memcpy(&v, p + (3 - i) * 8, 8);
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    out[i] = v;
  }
  return out;
}

inline void to_be(const Limbs& a, std::uint8_t* p) {
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    std::uint64_t v = a[i];
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    std::memcpy(p + (3 - i) * 8, &v, 8);
  }
}

// All ones when a == b, else zero, without branching on either.
constexpr std::uint64_t equal_mask(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t x = a ^ b;
  return ((x | (0 - x)) >> 63) - 1;
}

// a where mask is all ones, b where it is zero.
constexpr Limbs select(std::uint64_t mask, const Limbs& a, const Limbs& b) {
  return {(a[0] & mask) | (b[0] & ~mask), (a[1] & mask) | (b[1] & ~mask), (a[2] & mask) | (b[2] & ~mask),
          (a[3] & mask) | (b[3] & ~mask)};
}

}  // namespace tsign::limbs64
