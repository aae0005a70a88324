#include "secp256k1_secret_point.hpp"

#include <secp256k1_ecdh.h>

#include <cstring>

#include "core/declassify.hpp"
#include "tsign/core/secret.hpp"

namespace tsign::detail {

namespace {

// Writes the uncompressed encoding of the shared point instead of hashing it.
int write_point(unsigned char* output, const unsigned char* x32, const unsigned char* y32, void*) {
  output[0] = 0x04;
  std::memcpy(output + 1, x32, 32);
  std::memcpy(output + 33, y32, 32);
  return 1;
}

}  // namespace

bool secret_mul_consttime_uncompressed(const secp256k1_pubkey& p, const ByteArray<32>& k, std::span<std::uint8_t, 65> out) {
  // Fails only for k = 0 (k < n always holds): a public fact about a negligible event.
  const int ok = declassified(secp256k1_ecdh(secp256k1_ctx(), out.data(), &p, k.data(), write_point, nullptr));
  if (ok != 1) secure_wipe(out.data(), out.size());
  return ok == 1;
}

Secp256k1Point secret_mul_consttime(const Secp256k1Point& p, const Secp256k1Scalar& k) {
  if (p.is_identity()) return {};
  ByteArray<32> scalar = k.to_bytes();
  ByteArray<65> out{};
  const bool ok = secret_mul_consttime_uncompressed(p.pubkey(), scalar, out);
  secure_wipe(scalar.data(), scalar.size());
  if (!ok) return {};
  declassify(out.data(), out.size());  // the product is compared with public points
  auto point = Secp256k1Point::from_bytes(out);
  secure_wipe(out.data(), out.size());
  return point.ok() ? point.value() : Secp256k1Point{};
}

}  // namespace tsign::detail
