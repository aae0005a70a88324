#include "signing_check.hpp"

#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sodium.h>

#include "tsign/core/hash.hpp"
#include "tsign/sss/lagrange.hpp"

namespace tsign::test {

namespace {

template <class G>
std::vector<typename G::Scalar> lambdas_of(const std::vector<const KeyShare<G>*>& signers) {
  std::vector<PartyId> ids;
  for (const auto* s : signers) ids.push_back(s->self);
  return lagrange_coefficients<G>(ids).value();
}

}  // namespace

bool threshold_signature_verifies(const std::vector<const KeyShare<Secp256k1>*>& signers, ByteSpan message) {
  using Scalar = Secp256k1Scalar;
  using Point = Secp256k1Point;
  if (signers.empty()) return false;
  const Point Y = signers.front()->group_public_key;
  const bool negate_key = !Y.has_even_y();
  std::vector<Scalar> nonces;
  std::vector<Point> commitments;
  for (std::size_t i = 0; i < signers.size(); ++i) {
    nonces.push_back(Scalar::random());
    commitments.push_back(Point::base_mul(nonces.back()));
  }
  const Point R = Point::sum(commitments);
  const bool negate_nonce = !R.has_even_y();
  const auto rx = R.x_only();
  const auto yx = Y.x_only();
  const Scalar c = Scalar::from_bytes_reduce(tagged_hash("BIP0340/challenge", {rx, yx, message}));
  const auto lambdas = lambdas_of(signers);
  Scalar z;
  for (std::size_t i = 0; i < signers.size(); ++i) {
    const Scalar s = signers[i]->signing_share.expose();
    z += (negate_nonce ? -nonces[i] : nonces[i]) + c * lambdas[i] * (negate_key ? -s : s);
  }
  std::uint8_t sig[64];
  std::copy(rx.begin(), rx.end(), sig);
  const auto zb = z.to_bytes();
  std::copy(zb.begin(), zb.end(), sig + 32);
  secp256k1_xonly_pubkey pk;
  if (secp256k1_xonly_pubkey_parse(secp256k1_ctx(), &pk, yx.data()) != 1) return false;
  return secp256k1_schnorrsig_verify(secp256k1_ctx(), sig, message.data(), message.size(), &pk) == 1;
}

bool threshold_signature_verifies(const std::vector<const KeyShare<Ed25519>*>& signers, ByteSpan message) {
  using Scalar = Ed25519Scalar;
  using Point = Ed25519Point;
  if (signers.empty()) return false;
  const Point A = signers.front()->group_public_key;
  std::vector<Scalar> nonces;
  std::vector<Point> commitments;
  for (std::size_t i = 0; i < signers.size(); ++i) {
    nonces.push_back(Scalar::random());
    commitments.push_back(Point::base_mul(nonces.back()));
  }
  const Point R = Point::sum(commitments);
  const auto rb = R.to_bytes();
  const auto ab = A.to_bytes();
  const Scalar c = Scalar::from_bytes_reduce(sha512({rb, ab, message}));
  const auto lambdas = lambdas_of(signers);
  Scalar z;
  for (std::size_t i = 0; i < signers.size(); ++i) {
    z += nonces[i] + c * lambdas[i] * signers[i]->signing_share.expose();
  }
  std::uint8_t sig[64];
  std::copy(rb.begin(), rb.end(), sig);
  const auto zb = z.to_bytes();
  std::copy(zb.begin(), zb.end(), sig + 32);
  return crypto_sign_verify_detached(sig, message.data(), message.size(), ab.data()) == 0;
}

}  // namespace tsign::test
