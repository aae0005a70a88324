// Constant-time arithmetic mod n, the secp256k1 group order, in Montgomery form (R = 2^256).
// No branch and no memory index depends on a scalar's value.
#include <sodium.h>

#include "core/declassify.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign {

namespace {

__extension__ typedef unsigned __int128 u128;
using Limbs = std::array<std::uint64_t, 4>;

constexpr Limbs kN = {0xBFD25E8CD0364141ULL, 0xBAAEDCE6AF48A03BULL, 0xFFFFFFFFFFFFFFFEULL, 0xFFFFFFFFFFFFFFFFULL};

// -n^-1 mod 2^64, by Newton iteration on the low limb.
constexpr std::uint64_t compute_n_prime() {
  std::uint64_t inv = 1;
  for (int i = 0; i < 7; ++i) inv *= 2 - kN[0] * inv;
  return ~inv + 1;
}
constexpr std::uint64_t kNPrime = compute_n_prime();

// a + b - (n if the sum reaches n): output below n whenever a + b < 2n (inputs below n, or a
// single value below 2^256 with b = 0).
constexpr Limbs add_mod(const Limbs& a, const Limbs& b) {
  Limbs sum{}, red{};
  std::uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    u128 s = (u128)a[i] + b[i] + carry;
    sum[i] = (std::uint64_t)s;
    carry = (std::uint64_t)(s >> 64);
  }
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    u128 d = (u128)sum[i] - kN[i] - borrow;
    red[i] = (std::uint64_t)d;
    borrow = (std::uint64_t)(d >> 64) & 1;
  }
  // Take the reduced value when the sum overflowed 2^256 or did not borrow against n.
  const std::uint64_t take_red = 0 - (carry | (borrow ^ 1));
  Limbs out{};
  for (int i = 0; i < 4; ++i) out[i] = (red[i] & take_red) | (sum[i] & ~take_red);
  return out;
}

constexpr Limbs sub_mod(const Limbs& a, const Limbs& b) {
  Limbs diff{};
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    u128 d = (u128)a[i] - b[i] - borrow;
    diff[i] = (std::uint64_t)d;
    borrow = (std::uint64_t)(d >> 64) & 1;
  }
  const std::uint64_t mask = 0 - borrow;
  std::uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    u128 s = (u128)diff[i] + (kN[i] & mask) + carry;
    diff[i] = (std::uint64_t)s;
    carry = (std::uint64_t)(s >> 64);
  }
  return diff;
}

// Montgomery product a·b·R^-1 mod n (CIOS). Needs a·b < n·R: one operand below n suffices.
constexpr Limbs mont_mul(const Limbs& a, const Limbs& b) {
  std::uint64_t t[6] = {0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
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
  for (int i = 0; i < 4; ++i) {
    u128 d = (u128)t[i] - kN[i] - borrow;
    red[i] = (std::uint64_t)d;
    borrow = (std::uint64_t)(d >> 64) & 1;
  }
  const std::uint64_t keep_t = 0 - (borrow & (t[4] ^ 1));
  Limbs out{};
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
constexpr Limbs kR = compute_r_mod_n();

constexpr Limbs compute_r2() {
  Limbs x = kR;
  for (int i = 0; i < 256; ++i) x = add_mod(x, x);  // R·2^256 = R^2
  return x;
}
constexpr Limbs kR2 = compute_r2();
constexpr Limbs kR3 = mont_mul(kR2, kR2);  // R^2·R^2/R
constexpr Limbs kOneLimbs = {1, 0, 0, 0};

Limbs limbs_from_be(const std::uint8_t* p) {
  Limbs out{};
  for (int i = 0; i < 4; ++i) {
    std::uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v = (v << 8) | p[(3 - i) * 8 + k];
    out[i] = v;
  }
  return out;
}

// 1 when a < n, without branching on a.
std::uint64_t below_n(const Limbs& a) {
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    u128 d = (u128)a[i] - kN[i] - borrow;
    borrow = (std::uint64_t)(d >> 64) & 1;
  }
  return borrow;
}

}  // namespace

struct Secp256k1ScalarOps {
  static Secp256k1Scalar make(const Limbs& mont) {
    Secp256k1Scalar s;
    s.limbs_ = mont;
    return s;
  }
  static const Limbs& limbs(const Secp256k1Scalar& s) { return s.limbs_; }
};

Secp256k1Scalar::~Secp256k1Scalar() { sodium_memzero(limbs_.data(), sizeof limbs_); }

Secp256k1Scalar Secp256k1Scalar::one() { return Secp256k1ScalarOps::make(kR); }

Secp256k1Scalar Secp256k1Scalar::from_u64(std::uint64_t v) {
  return Secp256k1ScalarOps::make(mont_mul(Limbs{v, 0, 0, 0}, kR2));
}

Result<Secp256k1Scalar> Secp256k1Scalar::from_bytes(ByteSpan bytes) {
  if (bytes.size() != 32) {
    return make_error(ErrorKind::InvalidInput, "secp256k1 scalar must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  Limbs raw = limbs_from_be(bytes.data());
  const bool canonical = detail::declassified(below_n(raw)) != 0;  // only validity is revealed
  if (!canonical) {
    sodium_memzero(raw.data(), sizeof raw);
    return make_error(ErrorKind::InvalidInput, "secp256k1 scalar is not below the group order");
  }
  Secp256k1Scalar out = Secp256k1ScalarOps::make(mont_mul(raw, kR2));
  sodium_memzero(raw.data(), sizeof raw);
  return out;
}

Secp256k1Scalar Secp256k1Scalar::from_bytes_reduce(ByteSpan bytes) {
  // Big-endian value hi·2^256 + lo, left-padded to 64 bytes.
  std::uint8_t wide[64] = {};
  const std::size_t n = bytes.size() > 64 ? 64 : bytes.size();
  std::copy(bytes.end() - static_cast<std::ptrdiff_t>(n), bytes.end(), wide + (64 - n));
  Limbs hi = limbs_from_be(wide), lo = limbs_from_be(wide + 32);
  Limbs out;
  if (n <= 32) {
    // lo < 2^256 < 2n: one conditional subtraction reduces it, one product enters Montgomery form.
    // The branch is on the public length only.
    out = mont_mul(add_mod(lo, Limbs{}), kR2);
  } else {
    // lo·R^2/R = lo·R and hi·R^3/R = hi·R·R: the Montgomery forms of lo and hi·2^256.
    out = add_mod(mont_mul(lo, kR2), mont_mul(hi, kR3));
  }
  sodium_memzero(wide, sizeof wide);
  sodium_memzero(hi.data(), sizeof hi);
  sodium_memzero(lo.data(), sizeof lo);
  return Secp256k1ScalarOps::make(out);
}

Secp256k1Scalar Secp256k1Scalar::random() {
  for (;;) {
    ByteArray<64> wide = random_array<64>();
    Secp256k1Scalar s = from_bytes_reduce(wide);
    sodium_memzero(wide.data(), wide.size());
    if (!detail::declassified(s.is_zero())) return s;  // a rejected zero reveals nothing of s
  }
}

ByteArray<32> Secp256k1Scalar::to_bytes() const {
  Limbs plain = mont_mul(limbs_, kOneLimbs);
  ByteArray<32> out;
  for (int i = 0; i < 4; ++i) {
    for (int k = 0; k < 8; ++k) out[(3 - i) * 8 + k] = std::uint8_t(plain[i] >> (56 - 8 * k));
  }
  sodium_memzero(plain.data(), sizeof plain);
  return out;
}

Secp256k1Scalar Secp256k1Scalar::operator+(const Secp256k1Scalar& o) const {
  return Secp256k1ScalarOps::make(add_mod(limbs_, o.limbs_));
}
Secp256k1Scalar Secp256k1Scalar::operator-(const Secp256k1Scalar& o) const {
  return Secp256k1ScalarOps::make(sub_mod(limbs_, o.limbs_));
}
Secp256k1Scalar Secp256k1Scalar::operator*(const Secp256k1Scalar& o) const {
  return Secp256k1ScalarOps::make(mont_mul(limbs_, o.limbs_));
}
Secp256k1Scalar Secp256k1Scalar::operator-() const { return Secp256k1ScalarOps::make(sub_mod(Limbs{}, limbs_)); }

Secp256k1Scalar Secp256k1Scalar::invert() const {
  // Fermat: a^(n-2), fixed 4-bit windows over the public exponent.
  static constexpr Limbs kExp = {0xBFD25E8CD036413FULL, 0xBAAEDCE6AF48A03BULL, 0xFFFFFFFFFFFFFFFEULL, 0xFFFFFFFFFFFFFFFFULL};
  Limbs table[16];
  table[0] = kR;
  for (int i = 1; i < 16; ++i) table[i] = mont_mul(table[i - 1], limbs_);
  Limbs acc = kR;
  for (int w = 63; w >= 0; --w) {
    for (int s = 0; s < 4; ++s) acc = mont_mul(acc, acc);
    const unsigned digit = unsigned(kExp[w / 16] >> ((w % 16) * 4)) & 0xf;
    acc = mont_mul(acc, table[digit]);  // the index is the public exponent's digit
  }
  sodium_memzero(table, sizeof table);
  return Secp256k1ScalarOps::make(acc);
}

bool Secp256k1Scalar::operator==(const Secp256k1Scalar& o) const {
  std::uint64_t diff = 0;
  for (int i = 0; i < 4; ++i) diff |= limbs_[i] ^ o.limbs_[i];
  return ((diff | (0 - diff)) >> 63) == 0;
}

bool Secp256k1Scalar::is_zero() const { return *this == Secp256k1Scalar{}; }

bool Secp256k1Scalar::is_odd() const { return (to_bytes()[31] & 1) != 0; }

}  // namespace tsign
