#include "ot/gf128.hpp"

#include <cassert>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TSIGN_OT_HAVE_X86 1
#endif

namespace tsign::ot {

namespace {

// A 256-bit carry-less product, words little-endian.
struct Wide {
  std::uint64_t w[4] = {0, 0, 0, 0};
};

// Folds X^128·(w2 + w3·X^64) with X^128 = X^7 + X^2 + X + 1.
Gf128 reduce(const Wide& p) {
  const std::uint64_t w2 = p.w[2], w3 = p.w[3];
  Gf128 r;
  r.lo = p.w[0] ^ w2 ^ (w2 << 1) ^ (w2 << 2) ^ (w2 << 7);
  r.hi = p.w[1] ^ w3 ^ (w3 << 1) ^ (w3 << 2) ^ (w3 << 7) ^ (w2 >> 63) ^ (w2 >> 62) ^ (w2 >> 57);
  // Bits pushed past X^127 by the shifts of w3: at most 7 of them, folded once more.
  const std::uint64_t over = (w3 >> 63) ^ (w3 >> 62) ^ (w3 >> 57);
  r.lo ^= over ^ (over << 1) ^ (over << 2) ^ (over << 7);
  return r;
}

// Carry-less 32x32 -> 64 product with integer multiplications: each operand is split into four
// interleaved bit classes (positions ≡ 0, 1, 2, 3 mod 4). A product of two classes sums at most
// 8 bits per output position, which fits in the 4-bit gap before the next position of the same
// class, so masking recovers the carry-less bits. No branch or index depends on the inputs.
std::uint64_t clmul32(std::uint32_t x, std::uint32_t y) {
  constexpr std::uint64_t m0 = 0x1111111111111111ULL, m1 = 0x2222222222222222ULL;
  constexpr std::uint64_t m2 = 0x4444444444444444ULL, m3 = 0x8888888888888888ULL;
  const std::uint64_t x0 = x & m0, x1 = x & m1, x2 = x & m2, x3 = x & m3;
  const std::uint64_t y0 = y & m0, y1 = y & m1, y2 = y & m2, y3 = y & m3;
  const std::uint64_t z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
  const std::uint64_t z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
  const std::uint64_t z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
  const std::uint64_t z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
  return (z0 & m0) | (z1 & m1) | (z2 & m2) | (z3 & m3);
}

// 64x64 -> 128 by Karatsuba over 32-bit halves.
void clmul64(std::uint64_t a, std::uint64_t b, std::uint64_t& lo, std::uint64_t& hi) {
  const auto a0 = static_cast<std::uint32_t>(a), a1 = static_cast<std::uint32_t>(a >> 32);
  const auto b0 = static_cast<std::uint32_t>(b), b1 = static_cast<std::uint32_t>(b >> 32);
  const std::uint64_t l = clmul32(a0, b0), h = clmul32(a1, b1);
  const std::uint64_t m = clmul32(a0 ^ a1, b0 ^ b1) ^ l ^ h;
  lo = l ^ (m << 32);
  hi = h ^ (m >> 32);
}

// Accumulates a·b (unreduced, 256 bits) into acc, Karatsuba over 64-bit halves.
void mul_acc_portable(const Gf128& a, const Gf128& b, Wide& acc) {
  std::uint64_t l0, l1, h0, h1, m0, m1;
  clmul64(a.lo, b.lo, l0, l1);
  clmul64(a.hi, b.hi, h0, h1);
  clmul64(a.lo ^ a.hi, b.lo ^ b.hi, m0, m1);
  m0 ^= l0 ^ h0;
  m1 ^= l1 ^ h1;
  acc.w[0] ^= l0;
  acc.w[1] ^= l1 ^ m0;
  acc.w[2] ^= h0 ^ m1;
  acc.w[3] ^= h1;
}

#ifdef TSIGN_OT_HAVE_X86
__attribute__((target("pclmul,sse2"))) inline void mul_acc_clmul(const Gf128& a, const Gf128& b, __m128i& acc_lo,
                                                                  __m128i& acc_hi) {
  const __m128i x = _mm_set_epi64x(static_cast<long long>(a.hi), static_cast<long long>(a.lo));
  const __m128i y = _mm_set_epi64x(static_cast<long long>(b.hi), static_cast<long long>(b.lo));
  const __m128i lo = _mm_clmulepi64_si128(x, y, 0x00);
  const __m128i hi = _mm_clmulepi64_si128(x, y, 0x11);
  const __m128i mid = _mm_xor_si128(_mm_clmulepi64_si128(x, y, 0x01), _mm_clmulepi64_si128(x, y, 0x10));
  acc_lo = _mm_xor_si128(acc_lo, _mm_xor_si128(lo, _mm_slli_si128(mid, 8)));
  acc_hi = _mm_xor_si128(acc_hi, _mm_xor_si128(hi, _mm_srli_si128(mid, 8)));
}

__attribute__((target("pclmul,sse2"))) Gf128 dot_clmul_impl(const Gf128* a, const Gf128* b, std::size_t n) {
  __m128i acc_lo = _mm_setzero_si128(), acc_hi = _mm_setzero_si128();
  for (std::size_t i = 0; i < n; ++i) mul_acc_clmul(a[i], b[i], acc_lo, acc_hi);
  alignas(16) std::uint64_t w[4];
  _mm_store_si128(reinterpret_cast<__m128i*>(w), acc_lo);
  _mm_store_si128(reinterpret_cast<__m128i*>(w + 2), acc_hi);
  Wide p;
  for (int i = 0; i < 4; ++i) p.w[i] = w[i];
  return reduce(p);
}
#endif

bool detect_clmul() {
#ifdef TSIGN_OT_HAVE_X86
  __builtin_cpu_init();
  return __builtin_cpu_supports("pclmul") != 0;
#else
  return false;
#endif
}

}  // namespace

bool gf128_has_clmul() {
  static const bool available = detect_clmul();
  return available;
}

Gf128 gf128_monomial(unsigned i) {
  assert(i < 128);
  Gf128 r;
  if (i < 64) {
    r.lo = std::uint64_t{1} << i;
  } else {
    r.hi = std::uint64_t{1} << (i - 64);
  }
  return r;
}

Gf128 gf128_mul_portable(const Gf128& a, const Gf128& b) {
  Wide p;
  mul_acc_portable(a, b, p);
  return reduce(p);
}

Gf128 gf128_dot_portable(std::span<const Gf128> a, std::span<const Gf128> b) {
  assert(a.size() == b.size());
  Wide p;
  for (std::size_t i = 0; i < a.size(); ++i) mul_acc_portable(a[i], b[i], p);
  return reduce(p);
}

Gf128 gf128_mul_clmul(const Gf128& a, const Gf128& b) { return gf128_dot_clmul({&a, 1}, {&b, 1}); }

Gf128 gf128_dot_clmul(std::span<const Gf128> a, std::span<const Gf128> b) {
  assert(a.size() == b.size());
#ifdef TSIGN_OT_HAVE_X86
  assert(gf128_has_clmul());
  return dot_clmul_impl(a.data(), b.data(), a.size());
#else
  return gf128_dot_portable(a, b);
#endif
}

Gf128 gf128_mul(const Gf128& a, const Gf128& b) {
  return gf128_has_clmul() ? gf128_mul_clmul(a, b) : gf128_mul_portable(a, b);
}

Gf128 gf128_dot(std::span<const Gf128> a, std::span<const Gf128> b) {
  return gf128_has_clmul() ? gf128_dot_clmul(a, b) : gf128_dot_portable(a, b);
}

}  // namespace tsign::ot
