#pragma once
// GF(2^128) = GF(2)[X] / (X^128 + X^7 + X^2 + X + 1), used by the OT-extension consistency check.
// Bit i of the 128-bit value (lo holds bits 0..63, hi bits 64..127) is the coefficient of X^i;
// this is the plain polynomial order, not GCM's reflected one.
//
// Multiplication uses the carry-less multiply instruction (PCLMULQDQ) when the CPU has it and a
// portable constant-time fallback otherwise; both are exposed so the tests can compare them.
#include <cstdint>
#include <span>

namespace tsign::ot {

struct Gf128 {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  friend bool operator==(const Gf128&, const Gf128&) = default;
  Gf128& operator^=(const Gf128& o) {
    lo ^= o.lo;
    hi ^= o.hi;
    return *this;
  }
};

inline Gf128 operator^(Gf128 a, const Gf128& b) { return a ^= b; }

// X^i for i < 128.
Gf128 gf128_monomial(unsigned i);

Gf128 gf128_mul(const Gf128& a, const Gf128& b);
// Σ a_i·b_i over equally long spans, reduced once at the end.
Gf128 gf128_dot(std::span<const Gf128> a, std::span<const Gf128> b);

// The two implementations behind gf128_mul and gf128_dot.
bool gf128_has_clmul();  // true when the CPU supports PCLMULQDQ
Gf128 gf128_mul_portable(const Gf128& a, const Gf128& b);
Gf128 gf128_dot_portable(std::span<const Gf128> a, std::span<const Gf128> b);
// Only valid when gf128_has_clmul().
Gf128 gf128_mul_clmul(const Gf128& a, const Gf128& b);
Gf128 gf128_dot_clmul(std::span<const Gf128> a, std::span<const Gf128> b);

}  // namespace tsign::ot
