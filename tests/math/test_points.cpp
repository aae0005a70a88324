// Point types of both groups: algebra, identity handling and strict encodings.
#include <secp256k1.h>
#include <sodium.h>

#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "tsign/math/group.hpp"

using namespace tsign;

TEMPLATE_TEST_CASE("group laws hold", "", Secp256k1, Ed25519) {
  using S = typename TestType::Scalar;
  using P = typename TestType::Point;
  const P g = P::generator();
  for (int i = 0; i < 20; ++i) {
    S a = S::random(), b = S::random();
    P pa = P::base_mul(a), pb = P::base_mul(b);
    CHECK(g.mul_vartime(a) == pa);
    CHECK(pa + pb == P::base_mul(a + b));
    CHECK(pa - pb == P::base_mul(a - b));
    CHECK(pa.mul_vartime(b) == pb.mul_vartime(a));
    CHECK(-pa == P::base_mul(-a));
    P parts[] = {pa, pb, P::identity(), -pa};
    CHECK(P::sum(parts) == pb);
  }
  CHECK(P::base_mul(S::zero()).is_identity());
  CHECK(g.mul_vartime(S::zero()).is_identity());
  CHECK(P::identity().mul_vartime(S::random()).is_identity());
  CHECK((g - g).is_identity());
  CHECK(g + P::identity() == g);
  CHECK(P::identity() + g == g);
  CHECK(g + g == P::base_mul(S::from_u64(2)));
  CHECK_FALSE(g.is_identity());
  CHECK(P::sum(std::span<const P>{}).is_identity());
}

TEMPLATE_TEST_CASE("point encodings round trip and the identity is opt-in", "", Secp256k1, Ed25519) {
  using S = typename TestType::Scalar;
  using P = typename TestType::Point;
  for (int i = 0; i < 20; ++i) {
    P p = P::base_mul(S::random());
    auto enc = p.to_bytes();
    auto back = P::from_bytes(enc);
    REQUIRE(back.ok());
    CHECK(*back == p);
  }
  auto id = P::identity().to_bytes();
  CHECK_FALSE(P::from_bytes(id).ok());
  auto id_ok = P::from_bytes(id, true);
  REQUIRE(id_ok.ok());
  CHECK(id_ok->is_identity());
  CHECK_FALSE(P::from_bytes(Bytes(TestType::kPointSize - 1)).ok());
  CHECK_FALSE(P::from_bytes(Bytes(TestType::kPointSize + 1)).ok());
}

TEST_CASE("secp256k1 point decoding rejects malformed SEC1") {
  using P = Secp256k1Point;
  P p = P::base_mul(Secp256k1Scalar::random());
  auto c = p.to_bytes();
  auto u = p.to_uncompressed();
  REQUIRE(P::from_bytes(u).ok());
  CHECK(*P::from_bytes(u) == p);
  auto bad_prefix = c;
  bad_prefix[0] = 0x05;
  CHECK_FALSE(P::from_bytes(bad_prefix).ok());
  auto hybrid = u;
  hybrid[0] = u[64] & 1 ? 0x07 : 0x06;
  CHECK_FALSE(P::from_bytes(hybrid).ok());
  auto off_curve = u;
  off_curve[64] ^= 1;
  CHECK_FALSE(P::from_bytes(off_curve).ok());
  // x = 5 is not on secp256k1 (5^3 + 7 = 132 is a non-residue mod p).
  Bytes not_x(33, 0);
  not_x[0] = 0x02;
  not_x[32] = 5;
  CHECK_FALSE(P::from_bytes(not_x).ok());
  Bytes x_too_big(33, 0xff);
  x_too_big[0] = 0x02;
  CHECK_FALSE(P::from_bytes(x_too_big).ok());
}

TEST_CASE("secp256k1 x-only keys follow BIP-340") {
  for (int i = 0; i < 10; ++i) {
    auto p = Secp256k1Point::base_mul(Secp256k1Scalar::random());
    auto lifted = Secp256k1Point::from_x_only(p.x_only());
    REQUIRE(lifted.ok());
    CHECK(lifted->has_even_y());
    CHECK((*lifted == p) == p.has_even_y());
    CHECK((*lifted == -p) == !p.has_even_y());
  }
  CHECK_FALSE(Secp256k1Point::from_x_only(Bytes(31)).ok());
}

TEST_CASE("secp256k1 generator is the standard one") {
  CHECK(to_hex(Secp256k1Point::generator().to_bytes()) ==
        "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
}

TEST_CASE("ed25519 generator and scalar decoding") {
  CHECK(to_hex(Ed25519Point::generator().to_bytes()) ==
        "5866666666666666666666666666666666666666666666666666666666666666");
  // L itself and 2^255-1 are not canonical.
  auto l = from_hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  CHECK_FALSE(Ed25519Scalar::from_bytes(l).ok());
  l[0] = 0xec;
  REQUIRE(Ed25519Scalar::from_bytes(l).ok());
  CHECK(*Ed25519Scalar::from_bytes(l) + Ed25519Scalar::one() == Ed25519Scalar::zero());
  CHECK_FALSE(Ed25519Scalar::from_bytes(Bytes(32, 0xff)).ok());
  CHECK_FALSE(Ed25519Scalar::from_bytes(Bytes(31)).ok());
}

TEST_CASE("ed25519 point decoding rejects small-order and non-canonical points") {
  // A point of order 8 (from libsodium's small-order blocklist) and a non-canonical y.
  auto small = from_hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
  CHECK_FALSE(Ed25519Point::from_bytes(small).ok());
  auto noncanon = from_hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  CHECK_FALSE(Ed25519Point::from_bytes(noncanon).ok());
  // G plus a small-order point lies outside the prime-order subgroup.
  unsigned char mixed[32];
  auto g = Ed25519Point::generator().to_bytes();
  REQUIRE(crypto_core_ed25519_add(mixed, g.data(), small.data()) == 0);
  CHECK_FALSE(Ed25519Point::from_bytes(ByteSpan(mixed, 32)).ok());
}

TEST_CASE("ed25519 scalar algebra") {
  using S = Ed25519Scalar;
  for (int i = 0; i < 100; ++i) {
    S a = S::random(), b = S::random();
    CHECK(a * a.invert() == S::one());
    CHECK(a * (b + S::one()) == a * b + a);
    CHECK(a - b + b == a);
  }
  CHECK(S::zero().invert().is_zero());
  CHECK(S::from_u64(6) * S::from_u64(7) == S::from_u64(42));
}

TEST_CASE("ed25519 decoding refuses encodings that are not 32 bytes") {
  // Views into a longer buffer of valid bytes: a decoder that ignored the length would read a
  // valid encoding there.
  Bytes zeros(64, 0);
  for (std::size_t n : {0, 31, 33}) {
    auto s = Ed25519Scalar::from_bytes(ByteSpan(zeros).first(n));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().kind == ErrorKind::InvalidInput);
    CHECK(s.error().message == "ed25519 scalar must be 32 bytes, got " + std::to_string(n));
  }
  Bytes g(64, 0);
  auto enc = Ed25519Point::generator().to_bytes();
  std::copy(enc.begin(), enc.end(), g.begin());
  REQUIRE(Ed25519Point::from_bytes(ByteSpan(g).first(32)).ok());
  for (std::size_t n : {0, 31, 33}) {
    auto p = Ed25519Point::from_bytes(ByteSpan(g).first(n), true);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().kind == ErrorKind::InvalidInput);
    CHECK(p.error().message == "ed25519 point must be 32 bytes");
  }
}
