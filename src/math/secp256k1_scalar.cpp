// Secp256k1Scalar: the limb arithmetic of secp256k1_scalar_limbs.hpp, values in Montgomery form
// (R = 2^256). No branch and no memory index depends on a scalar's value.
#include <sodium.h>

#include "core/declassify.hpp"
#include "secp256k1_scalar_limbs.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign {

using namespace secp256k1_n;

Secp256k1Scalar::~Secp256k1Scalar() { sodium_memzero(limbs_.data(), sizeof limbs_); }

Secp256k1Scalar Secp256k1Scalar::one() { return Secp256k1ScalarOps::make(kR); }

Secp256k1Scalar Secp256k1Scalar::from_u64(std::uint64_t v) {
  return Secp256k1ScalarOps::make(mont_mul(Limbs{v, 0, 0, 0}, kR2));
}

Result<Secp256k1Scalar> Secp256k1Scalar::from_bytes(ByteSpan bytes) {
  if (bytes.size() != 32) {
    return make_error(ErrorKind::InvalidInput, "secp256k1 scalar must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  Limbs raw = from_be(bytes.data());
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
  Limbs hi = from_be(wide), lo = from_be(wide + 32);
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
  Limbs plain = from_mont(limbs_);
  ByteArray<32> out;
  to_be(plain, out.data());
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
