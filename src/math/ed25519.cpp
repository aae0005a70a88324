// Ed25519 scalars and points over libsodium's crypto_core_ed25519 and scalarmult primitives.
#include <sodium.h>

#include <algorithm>
#include <vector>

#include "core/declassify.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/ed25519.hpp"

namespace tsign {

namespace {
constexpr ByteArray<32> kIdentityEncoding = {1};
// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
constexpr ByteArray<32> kOrderL = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                   0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                   0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
}  // namespace

Ed25519Scalar::~Ed25519Scalar() { sodium_memzero(bytes_.data(), bytes_.size()); }

Ed25519Scalar Ed25519Scalar::one() { return from_u64(1); }

Ed25519Scalar Ed25519Scalar::from_u64(std::uint64_t v) {
  Ed25519Scalar s;
  for (int i = 0; i < 8; ++i) s.bytes_[i] = std::uint8_t(v >> (8 * i));
  return s;  // 2^64 < L, already reduced
}

Result<Ed25519Scalar> Ed25519Scalar::from_bytes(ByteSpan bytes) {
  if (bytes.size() != 32) {
    return make_error(ErrorKind::InvalidInput, "ed25519 scalar must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  // sodium_compare is constant time over little-endian numbers.
  if (detail::declassified(sodium_compare(bytes.data(), kOrderL.data(), 32)) >= 0) {
    return make_error(ErrorKind::InvalidInput, "ed25519 scalar is not below the group order");
  }
  Ed25519Scalar s;
  std::copy(bytes.begin(), bytes.end(), s.bytes_.begin());
  return s;
}

Ed25519Scalar Ed25519Scalar::from_bytes_reduce(ByteSpan bytes) {
  std::uint8_t wide[64] = {};
  std::copy_n(bytes.begin(), std::min<std::size_t>(bytes.size(), 64), wide);
  Ed25519Scalar s;
  crypto_core_ed25519_scalar_reduce(s.bytes_.data(), wide);
  sodium_memzero(wide, sizeof wide);
  return s;
}

Ed25519Scalar Ed25519Scalar::random() {
  for (;;) {
    // 64 uniform bytes reduced mod L: bias below 2^-250. Drawn through random_fill so the
    // constant-time check sees them as secret.
    ByteArray<64> wide = random_array<64>();
    Ed25519Scalar s = from_bytes_reduce(wide);
    sodium_memzero(wide.data(), wide.size());
    if (!detail::declassified(s.is_zero())) return s;
  }
}

Ed25519Scalar Ed25519Scalar::operator+(const Ed25519Scalar& o) const {
  Ed25519Scalar r;
  crypto_core_ed25519_scalar_add(r.bytes_.data(), bytes_.data(), o.bytes_.data());
  return r;
}
Ed25519Scalar Ed25519Scalar::operator-(const Ed25519Scalar& o) const {
  Ed25519Scalar r;
  crypto_core_ed25519_scalar_sub(r.bytes_.data(), bytes_.data(), o.bytes_.data());
  return r;
}
Ed25519Scalar Ed25519Scalar::operator*(const Ed25519Scalar& o) const {
  Ed25519Scalar r;
  crypto_core_ed25519_scalar_mul(r.bytes_.data(), bytes_.data(), o.bytes_.data());
  return r;
}
Ed25519Scalar Ed25519Scalar::operator-() const {
  Ed25519Scalar r;
  crypto_core_ed25519_scalar_negate(r.bytes_.data(), bytes_.data());
  return r;
}
Ed25519Scalar Ed25519Scalar::invert() const {
  Ed25519Scalar r;
  (void)crypto_core_ed25519_scalar_invert(r.bytes_.data(), bytes_.data());  // 0 -> 0
  return r;
}
bool Ed25519Scalar::operator==(const Ed25519Scalar& o) const {
  return sodium_memcmp(bytes_.data(), o.bytes_.data(), 32) == 0;
}
bool Ed25519Scalar::is_zero() const { return sodium_is_zero(bytes_.data(), 32) == 1; }

Ed25519Point::Ed25519Point() : enc_(kIdentityEncoding) {}

Ed25519Point Ed25519Point::generator() { return base_mul(Ed25519Scalar::one()); }

bool Ed25519Point::is_identity() const { return enc_ == kIdentityEncoding; }

Ed25519Point Ed25519Point::base_mul(const Ed25519Scalar& k) {
  Ed25519Point p;
  ByteArray<32> kb = k.to_bytes();
  // Fails only for k = 0 (identity result); p stays the identity then.
  const int status = crypto_scalarmult_ed25519_base_noclamp(p.enc_.data(), kb.data());
  detail::declassify(p.enc_.data(), p.enc_.size());  // k·G is public
  if (detail::declassified(status) != 0) p.enc_ = kIdentityEncoding;
  sodium_memzero(kb.data(), kb.size());
  return p;
}

Ed25519Point Ed25519Point::mul_vartime(const Ed25519Scalar& public_scalar) const {
  Ed25519Point p;
  if (is_identity()) return p;
  ByteArray<32> kb = public_scalar.to_bytes();
  const int status = crypto_scalarmult_ed25519_noclamp(p.enc_.data(), kb.data(), enc_.data());
  detail::declassify(p.enc_.data(), p.enc_.size());  // points are public values
  if (detail::declassified(status) != 0) p.enc_ = kIdentityEncoding;
  sodium_memzero(kb.data(), kb.size());
  return p;
}

Ed25519Point Ed25519Point::operator+(const Ed25519Point& o) const {
  Ed25519Point r;
  crypto_core_ed25519_add(r.enc_.data(), enc_.data(), o.enc_.data());
  return r;
}
Ed25519Point Ed25519Point::operator-(const Ed25519Point& o) const {
  Ed25519Point r;
  crypto_core_ed25519_sub(r.enc_.data(), enc_.data(), o.enc_.data());
  return r;
}
Ed25519Point Ed25519Point::operator-() const { return Ed25519Point{} - *this; }

Ed25519Point Ed25519Point::sum(std::span<const Ed25519Point> points) {
  Ed25519Point acc;
  for (const auto& p : points) acc += p;
  return acc;
}

bool Ed25519Point::operator==(const Ed25519Point& o) const { return enc_ == o.enc_; }

Result<Ed25519Point> Ed25519Point::from_bytes(ByteSpan bytes, bool allow_identity) {
  if (bytes.size() != 32) return make_error(ErrorKind::InvalidInput, "ed25519 point must be 32 bytes");
  Ed25519Point p;
  std::copy(bytes.begin(), bytes.end(), p.enc_.begin());
  if (p.is_identity()) {
    if (allow_identity) return p;
    return make_error(ErrorKind::InvalidInput, "ed25519 point is the identity");
  }
  // Canonical, on the curve, not of small order, and in the prime-order subgroup.
  if (crypto_core_ed25519_is_valid_point(p.enc_.data()) != 1) {
    return make_error(ErrorKind::InvalidInput, "ed25519 point is not a canonical prime-order point");
  }
  return p;
}

}  // namespace tsign
