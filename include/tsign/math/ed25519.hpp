#pragma once
// The Ed25519 group (prime-order subgroup of edwards25519) over libsodium.
// Scalars are little-endian; point decoding accepts only canonical prime-order points.
#include <cstdint>
#include <span>
#include <string_view>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"

namespace tsign {

// An integer mod L. Zero is a valid value; arithmetic is constant time; wiped on destruction.
class Ed25519Scalar {
 public:
  Ed25519Scalar() = default;
  ~Ed25519Scalar();
  Ed25519Scalar(const Ed25519Scalar&) = default;
  Ed25519Scalar& operator=(const Ed25519Scalar&) = default;

  static Ed25519Scalar zero() { return {}; }
  static Ed25519Scalar one();
  static Ed25519Scalar from_u64(std::uint64_t v);
  // Exactly 32 little-endian bytes holding a value below L.
  static Result<Ed25519Scalar> from_bytes(ByteSpan bytes);
  // Any little-endian string of at most 64 bytes, reduced mod L.
  static Ed25519Scalar from_bytes_reduce(ByteSpan bytes);
  static Ed25519Scalar random();  // uniform, non-zero

  ByteArray<32> to_bytes() const { return bytes_; }

  Ed25519Scalar operator+(const Ed25519Scalar& o) const;
  Ed25519Scalar operator-(const Ed25519Scalar& o) const;
  Ed25519Scalar operator*(const Ed25519Scalar& o) const;
  Ed25519Scalar operator-() const;
  Ed25519Scalar& operator+=(const Ed25519Scalar& o) { return *this = *this + o; }
  Ed25519Scalar& operator-=(const Ed25519Scalar& o) { return *this = *this - o; }
  Ed25519Scalar& operator*=(const Ed25519Scalar& o) { return *this = *this * o; }
  Ed25519Scalar invert() const;  // zero maps to zero

  bool operator==(const Ed25519Scalar& o) const;
  bool is_zero() const;
  bool is_odd() const { return (bytes_[0] & 1) != 0; }

 private:
  ByteArray<32> bytes_{};
};

// A point of the prime-order subgroup, including the identity.
class Ed25519Point {
 public:
  static constexpr std::size_t kEncodedSize = 32;

  Ed25519Point();  // the identity
  static Ed25519Point identity() { return {}; }
  static Ed25519Point generator();
  static Ed25519Point base_mul(const Ed25519Scalar& k);
  static Ed25519Point sum(std::span<const Ed25519Point> points);

  // A canonical encoding of a prime-order point; the identity only when allow_identity is set.
  static Result<Ed25519Point> from_bytes(ByteSpan bytes, bool allow_identity = false);
  ByteArray<32> to_bytes() const { return enc_; }

  Ed25519Point operator+(const Ed25519Point& o) const;
  Ed25519Point operator-(const Ed25519Point& o) const;
  Ed25519Point operator-() const;
  Ed25519Point& operator+=(const Ed25519Point& o) { return *this = *this + o; }
  // k·P for public data only, as Secp256k1Point::mul_vartime: generic code relies on nothing
  // more. (libsodium's crypto_scalarmult_ed25519_noclamp underneath happens to run in constant
  // time, but no secret scalar should depend on that.)
  Ed25519Point mul_vartime(const Ed25519Scalar& public_scalar) const;

  bool operator==(const Ed25519Point& o) const;
  bool is_identity() const;

 private:
  ByteArray<32> enc_;
};

struct Ed25519 {
  using Scalar = Ed25519Scalar;
  using Point = Ed25519Point;
  static constexpr std::string_view kName = "ed25519";
  static constexpr std::size_t kScalarSize = 32;
  static constexpr std::size_t kPointSize = 32;
};

}  // namespace tsign
