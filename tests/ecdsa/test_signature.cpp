// Parsing, verification and recovery of ECDSA signatures, and the last local step of signing:
// each refusal for the one property it guards.
#include "ecdsa/finalize.hpp"
#include "helpers.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;
namespace ei = tsign::ecdsa_internal;

namespace {

// A signature made in the clear with a known nonce k: s = k⁻¹·(z + r·x).
struct Signed {
  Secp256k1Scalar x, k;
  Secp256k1Point public_key;
  Digest32 digest{};
  ei::NonceX nonce;
  Secp256k1Scalar s;
};

Signed sign_in_clear() {
  Signed out;
  out.x = Secp256k1Scalar::random();
  out.k = Secp256k1Scalar::random();
  out.public_key = Secp256k1Point::base_mul(out.x);
  out.digest = random_array<32>();
  out.nonce = ei::nonce_x(Secp256k1Point::base_mul(out.k));
  out.s = out.k.invert() * (Secp256k1Scalar::from_bytes_reduce(out.digest) + out.nonce.r * out.x);
  return out;
}

template <class R>
void expect_invalid(const R& r, ErrorKind kind, const std::string& why) {
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().kind == kind);
  CHECK_THAT(r.error().message, Catch::Contains(why));
}

ByteArray<64> compact_of(const ByteArray<32>& r, const ByteArray<32>& s) {
  ByteArray<64> out;
  std::copy(r.begin(), r.end(), out.begin());
  std::copy(s.begin(), s.end(), out.begin() + 32);
  return out;
}

}  // namespace

TEST_CASE("ecdsa signature: finalize releases a low-s signature that verifies and recovers") {
  const Signed in = sign_in_clear();
  auto sig = ei::finalize_signature(in.nonce, in.s, in.digest, in.public_key);
  REQUIRE(sig.ok());
  CHECK(verify_ecdsa(*sig, in.digest, in.public_key).ok());
  CHECK(recover_ecdsa(*sig, in.digest).value() == in.public_key);
  // The nonce -k with -R gives the same signature after normalization.
  ei::NonceX opposite = in.nonce;
  opposite.odd_y = !opposite.odd_y;
  auto negated = ei::finalize_signature(opposite, -in.s, in.digest, in.public_key);
  REQUIRE(negated.ok());
  CHECK(negated->compact() == sig->compact());
  CHECK(negated->recovery_id == sig->recovery_id);
}

TEST_CASE("ecdsa signature: finalize refuses a combined s or r of zero") {
  const Signed in = sign_in_clear();
  expect_invalid(ei::finalize_signature(in.nonce, Secp256k1Scalar::zero(), in.digest, in.public_key),
                 ErrorKind::ProtocolAborted, "r = 0 or s = 0");
  ei::NonceX zero_r = in.nonce;
  zero_r.r = Secp256k1Scalar::zero();
  expect_invalid(ei::finalize_signature(zero_r, in.s, in.digest, in.public_key), ErrorKind::ProtocolAborted,
                 "r = 0 or s = 0");
}

TEST_CASE("ecdsa signature: finalize refuses a recovery id that does not recover the key") {
  // The signature verifies, but R's parity given is the wrong one: the recovery id would name
  // another key.
  const Signed in = sign_in_clear();
  ei::NonceX flipped = in.nonce;
  flipped.odd_y = !flipped.odd_y;
  expect_invalid(ei::finalize_signature(flipped, in.s, in.digest, in.public_key), ErrorKind::ProtocolAborted,
                 "the recovery id does not recover the key");
}

TEST_CASE("ecdsa signature: from_compact refuses a wrong length or recovery id") {
  const Signed in = sign_in_clear();
  const EcdsaSignature sig = ei::finalize_signature(in.nonce, in.s, in.digest, in.public_key).value();
  const ByteArray<64> good = sig.compact();
  REQUIRE(EcdsaSignature::from_compact(good, 3).ok());
  expect_invalid(EcdsaSignature::from_compact(ByteSpan(good).first(63), 0), ErrorKind::InvalidInput, "expected 64 bytes");
  Bytes longer(good.begin(), good.end());
  longer.push_back(0);
  expect_invalid(EcdsaSignature::from_compact(longer, 0), ErrorKind::InvalidInput, "expected 64 bytes");
  expect_invalid(EcdsaSignature::from_compact(good, 4), ErrorKind::InvalidInput, "recovery id out of range");
}

TEST_CASE("ecdsa signature: from_compact refuses a high s") {
  const Signed in = sign_in_clear();
  const EcdsaSignature sig = ei::finalize_signature(in.nonce, in.s, in.digest, in.public_key).value();
  const Secp256k1Scalar low = Secp256k1Scalar::from_bytes(sig.s).value();
  const ByteArray<32> high = (-low).to_bytes();
  expect_invalid(EcdsaSignature::from_compact(compact_of(sig.r, high), sig.recovery_id), ErrorKind::InvalidInput,
                 "s is not low");
}

TEST_CASE("ecdsa signature: from_compact refuses r or s of zero") {
  const ByteArray<32> zero{}, one = Secp256k1Scalar::one().to_bytes();
  expect_invalid(EcdsaSignature::from_compact(compact_of(zero, one), 0), ErrorKind::InvalidInput, "r or s is zero");
  expect_invalid(EcdsaSignature::from_compact(compact_of(one, zero), 0), ErrorKind::InvalidInput, "r or s is zero");
}

TEST_CASE("ecdsa signature: verification refuses the identity as public key") {
  const Signed in = sign_in_clear();
  const EcdsaSignature sig = ei::finalize_signature(in.nonce, in.s, in.digest, in.public_key).value();
  expect_invalid(verify_ecdsa(sig, in.digest, Secp256k1Point::identity()), ErrorKind::InvalidInput,
                 "the public key is the identity");
}

TEST_CASE("ecdsa signature: recovery refuses a recovery id above 3") {
  const Signed in = sign_in_clear();
  EcdsaSignature sig = ei::finalize_signature(in.nonce, in.s, in.digest, in.public_key).value();
  sig.recovery_id = 4;
  expect_invalid(recover_ecdsa(sig, in.digest), ErrorKind::InvalidInput, "recovery id out of range");
}
