#include "secret_mul.hpp"

#include <secp256k1_ecdh.h>

#include <cstring>

#include "core/declassify.hpp"
#include "tsign/core/secret.hpp"

namespace tsign::ecdsa_internal {

namespace {

// Writes the uncompressed encoding of the shared point instead of hashing it.
int write_point(unsigned char* output, const unsigned char* x32, const unsigned char* y32, void*) {
  output[0] = 0x04;
  std::memcpy(output + 1, x32, 32);
  std::memcpy(output + 33, y32, 32);
  return 1;
}

}  // namespace

Secp256k1Point secret_mul(const Secp256k1Point& p, const Secp256k1Scalar& k) {
  if (p.is_identity()) return {};
  ByteArray<32> scalar = k.to_bytes();
  ByteArray<65> out{};
  // Fails only for k = 0 (k < n always holds): a public fact about a negligible event.
  const int ok = detail::declassified(
      secp256k1_ecdh(secp256k1_ctx(), out.data(), &p.pubkey(), scalar.data(), write_point, nullptr));
  detail::secure_wipe(scalar.data(), scalar.size());
  if (ok != 1) return {};
  detail::declassify(out.data(), out.size());  // the product is compared with public points
  auto point = Secp256k1Point::from_bytes(out);
  detail::secure_wipe(out.data(), out.size());
  return point.ok() ? point.value() : Secp256k1Point{};
}

}  // namespace tsign::ecdsa_internal
