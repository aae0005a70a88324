#pragma once
// The secp256k1 group: a constant-time scalar field mod n and points over libsecp256k1.
// libsecp256k1's public API has no scalar inversion, rejects a zero scalar and cannot represent
// the point at infinity; these types fill those gaps so protocols can be written plainly.
#include <secp256k1.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"

namespace tsign {

// Shared, randomized libsecp256k1 context (read-only after creation, so thread-safe).
const secp256k1_context* secp256k1_ctx();

// An integer mod n (the group order). Zero is a valid value. All arithmetic is constant time;
// the value is wiped when the object dies. Kept in Montgomery form internally.
class Secp256k1Scalar {
 public:
  Secp256k1Scalar() = default;
  ~Secp256k1Scalar();
  Secp256k1Scalar(const Secp256k1Scalar&) = default;
  Secp256k1Scalar& operator=(const Secp256k1Scalar&) = default;

  static Secp256k1Scalar zero() { return {}; }
  static Secp256k1Scalar one();
  static Secp256k1Scalar from_u64(std::uint64_t v);
  // Exactly 32 big-endian bytes holding a value below n.
  static Result<Secp256k1Scalar> from_bytes(ByteSpan bytes);
  // Any big-endian string of at most 64 bytes (hash output), reduced mod n.
  static Secp256k1Scalar from_bytes_reduce(ByteSpan bytes);
  // Uniform and non-zero.
  static Secp256k1Scalar random();

  ByteArray<32> to_bytes() const;  // big-endian

  Secp256k1Scalar operator+(const Secp256k1Scalar& o) const;
  Secp256k1Scalar operator-(const Secp256k1Scalar& o) const;
  Secp256k1Scalar operator*(const Secp256k1Scalar& o) const;
  Secp256k1Scalar operator-() const;
  Secp256k1Scalar& operator+=(const Secp256k1Scalar& o) { return *this = *this + o; }
  Secp256k1Scalar& operator-=(const Secp256k1Scalar& o) { return *this = *this - o; }
  Secp256k1Scalar& operator*=(const Secp256k1Scalar& o) { return *this = *this * o; }
  // Multiplicative inverse; the inverse of zero is zero.
  Secp256k1Scalar invert() const;

  bool operator==(const Secp256k1Scalar& o) const;  // constant time
  bool is_zero() const;                             // constant time
  // The low bit of the canonical value (for parity decisions on public values).
  bool is_odd() const;

 private:
  std::array<std::uint64_t, 4> limbs_{};  // Montgomery form, little-endian limbs
  friend struct Secp256k1ScalarOps;
};

// A point on secp256k1, including the identity.
class Secp256k1Point {
 public:
  static constexpr std::size_t kEncodedSize = 33;

  Secp256k1Point() = default;  // the identity
  static Secp256k1Point identity() { return {}; }
  static Secp256k1Point generator();
  // k·G, constant time in k.
  static Secp256k1Point base_mul(const Secp256k1Scalar& k);
  // Σ points, one affine conversion for the whole sum.
  static Secp256k1Point sum(std::span<const Secp256k1Point> points);

  // SEC1 compressed (33 bytes) or uncompressed (65 bytes, prefix 04) encodings of a curve point.
  // The identity is accepted only as 33 zero bytes and only when allow_identity is set.
  static Result<Secp256k1Point> from_bytes(ByteSpan bytes, bool allow_identity = false);
  // BIP-340 x-only: the point with this x and even y.
  static Result<Secp256k1Point> from_x_only(ByteSpan bytes);
  static Secp256k1Point from_pubkey(const secp256k1_pubkey& pk);

  // Compressed SEC1; the identity encodes as 33 zero bytes.
  ByteArray<33> to_bytes() const;
  ByteArray<65> to_uncompressed() const;  // not for the identity
  ByteArray<32> x_only() const;           // not for the identity
  bool has_even_y() const;

  Secp256k1Point operator+(const Secp256k1Point& o) const;
  Secp256k1Point operator-(const Secp256k1Point& o) const;
  Secp256k1Point operator-() const;
  Secp256k1Point& operator+=(const Secp256k1Point& o) { return *this = *this + o; }
  // k·P in VARIABLE time (libsecp256k1's ecmult): for public scalars only, as its running time
  // depends on the scalar. A secret scalar goes through base_mul (k·G, constant time) or, for any
  // other point, the library's internal detail::secret_mul_consttime
  // (src/math/secp256k1_secret_point.hpp).
  Secp256k1Point mul_vartime(const Secp256k1Scalar& public_scalar) const;

  bool operator==(const Secp256k1Point& o) const;
  bool is_identity() const { return identity_; }
  // The libsecp256k1 form (not for the identity).
  const secp256k1_pubkey& pubkey() const { return pk_; }

 private:
  secp256k1_pubkey pk_{};
  bool identity_ = true;
};

// The group as a type parameter for generic protocol code.
struct Secp256k1 {
  using Scalar = Secp256k1Scalar;
  using Point = Secp256k1Point;
  static constexpr std::string_view kName = "secp256k1";
  static constexpr std::size_t kScalarSize = 32;
  static constexpr std::size_t kPointSize = 33;
};

}  // namespace tsign
