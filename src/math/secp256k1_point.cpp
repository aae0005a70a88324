// secp256k1 points over libsecp256k1's public API, with an explicit identity.
#include <secp256k1_extrakeys.h>
#include <sodium.h>

#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/declassify.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign {

const secp256k1_context* secp256k1_ctx() {
  static secp256k1_context* ctx = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    ByteArray<32> seed = random_array<32>();
    // Randomization blinds base multiplications against side channels.
    if (secp256k1_context_randomize(c, seed.data()) != 1) throw std::runtime_error("secp256k1 context randomization failed");
    sodium_memzero(seed.data(), seed.size());
    return c;
  }();
  return ctx;
}

Secp256k1Point Secp256k1Point::generator() { return base_mul(Secp256k1Scalar::one()); }

Secp256k1Point Secp256k1Point::from_pubkey(const secp256k1_pubkey& pk) {
  Secp256k1Point p;
  p.pk_ = pk;
  p.identity_ = false;
  return p;
}

Secp256k1Point Secp256k1Point::base_mul(const Secp256k1Scalar& k) {
  ByteArray<32> kb = k.to_bytes();
  Secp256k1Point p;
  // Fails only for k = 0, whose product is the identity.
  p.identity_ = secp256k1_ec_pubkey_create(secp256k1_ctx(), &p.pk_, kb.data()) != 1;
  sodium_memzero(kb.data(), kb.size());
  detail::declassify(&p, sizeof p);  // k·G is public
  return p;
}

Secp256k1Point Secp256k1Point::mul_vartime(const Secp256k1Scalar& public_scalar) const {
  if (identity_) return {};
  ByteArray<32> kb = public_scalar.to_bytes();
  Secp256k1Point p = *this;
  p.identity_ = secp256k1_ec_pubkey_tweak_mul(secp256k1_ctx(), &p.pk_, kb.data()) != 1;
  sodium_memzero(kb.data(), kb.size());
  detail::declassify(&p, sizeof p);  // points are public values
  return p;
}

Secp256k1Point Secp256k1Point::sum(std::span<const Secp256k1Point> points) {
  std::vector<const secp256k1_pubkey*> terms;
  terms.reserve(points.size());
  for (const auto& p : points) {
    if (!p.identity_) terms.push_back(&p.pk_);
  }
  Secp256k1Point out;
  if (terms.empty()) return out;
  // combine fails exactly when the sum is the point at infinity.
  out.identity_ = secp256k1_ec_pubkey_combine(secp256k1_ctx(), &out.pk_, terms.data(), terms.size()) != 1;
  return out;
}

Secp256k1Point Secp256k1Point::operator+(const Secp256k1Point& o) const {
  if (identity_) return o;
  if (o.identity_) return *this;
  const secp256k1_pubkey* terms[2] = {&pk_, &o.pk_};
  Secp256k1Point out;
  out.identity_ = secp256k1_ec_pubkey_combine(secp256k1_ctx(), &out.pk_, terms, 2) != 1;
  return out;
}

Secp256k1Point Secp256k1Point::operator-() const {
  Secp256k1Point out = *this;
  if (!identity_ && secp256k1_ec_pubkey_negate(secp256k1_ctx(), &out.pk_) != 1) {
    throw std::logic_error("secp256k1 negate failed on a valid point");
  }
  return out;
}

Secp256k1Point Secp256k1Point::operator-(const Secp256k1Point& o) const { return *this + (-o); }

bool Secp256k1Point::operator==(const Secp256k1Point& o) const {
  if (identity_ || o.identity_) return identity_ == o.identity_;
  return secp256k1_ec_pubkey_cmp(secp256k1_ctx(), &pk_, &o.pk_) == 0;
}

ByteArray<33> Secp256k1Point::to_bytes() const {
  ByteArray<33> out{};
  if (identity_) return out;
  std::size_t len = out.size();
  secp256k1_ec_pubkey_serialize(secp256k1_ctx(), out.data(), &len, &pk_, SECP256K1_EC_COMPRESSED);
  return out;
}

ByteArray<65> Secp256k1Point::to_uncompressed() const {
  if (identity_) throw std::logic_error("the identity has no uncompressed encoding");
  ByteArray<65> out{};
  std::size_t len = out.size();
  secp256k1_ec_pubkey_serialize(secp256k1_ctx(), out.data(), &len, &pk_, SECP256K1_EC_UNCOMPRESSED);
  return out;
}

ByteArray<32> Secp256k1Point::x_only() const {
  if (identity_) throw std::logic_error("the identity has no x coordinate");
  ByteArray<33> c = to_bytes();
  ByteArray<32> out;
  std::copy(c.begin() + 1, c.end(), out.begin());
  return out;
}

bool Secp256k1Point::has_even_y() const { return !identity_ && to_bytes()[0] == 0x02; }

Result<Secp256k1Point> Secp256k1Point::from_bytes(ByteSpan bytes, bool allow_identity) {
  if (bytes.size() == 33 && sodium_is_zero(bytes.data(), bytes.size())) {
    if (allow_identity) return Secp256k1Point{};
    return make_error(ErrorKind::InvalidInput, "secp256k1 point is the identity");
  }
  const bool compressed = bytes.size() == 33 && (bytes[0] == 0x02 || bytes[0] == 0x03);
  const bool uncompressed = bytes.size() == 65 && bytes[0] == 0x04;  // hybrid 06/07 refused
  if (!compressed && !uncompressed) {
    return make_error(ErrorKind::InvalidInput, "secp256k1 point: not a SEC1 compressed or uncompressed encoding");
  }
  Secp256k1Point p;
  if (secp256k1_ec_pubkey_parse(secp256k1_ctx(), &p.pk_, bytes.data(), bytes.size()) != 1) {
    return make_error(ErrorKind::InvalidInput, "secp256k1 point is not on the curve");
  }
  p.identity_ = false;
  return p;
}

Result<Secp256k1Point> Secp256k1Point::from_x_only(ByteSpan bytes) {
  if (bytes.size() != 32) return make_error(ErrorKind::InvalidInput, "x-only key must be 32 bytes");
  std::uint8_t c[33];
  c[0] = 0x02;
  std::copy(bytes.begin(), bytes.end(), c + 1);
  return from_bytes(c);
}

}  // namespace tsign
