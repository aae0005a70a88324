#include "tsign/net/x25519.hpp"

#include <sodium.h>

#include <algorithm>

#include "tsign/core/random.hpp"
#include "core/sodium_init.hpp"

namespace tsign {

X25519KeyPair X25519KeyPair::generate() {
  ensure_sodium();
  while (true) {
    auto key = from_private(random_array<32>());
    if (key) return std::move(key).value();
  }
}

Result<X25519KeyPair> X25519KeyPair::from_private(ByteSpan private_key) {
  ensure_sodium();
  if (private_key.size() != 32) return make_error(ErrorKind::InvalidInput, "X25519 private key must be 32 bytes");
  if (std::all_of(private_key.begin(), private_key.end(), [](std::uint8_t b) { return b == 0; })) {
    return make_error(ErrorKind::InvalidInput, "degenerate X25519 private key (all zero)");
  }
  Secret<ByteArray<32>> priv;
  std::copy(private_key.begin(), private_key.end(), priv.expose_mut().begin());
  X25519PublicKey pub{};
  if (crypto_scalarmult_base(pub.data(), priv.expose().data()) != 0 ||
      std::all_of(pub.begin(), pub.end(), [](std::uint8_t b) { return b == 0; })) {
    return make_error(ErrorKind::InvalidInput, "degenerate X25519 private key (low-order result)");
  }
  return X25519KeyPair(std::move(priv), pub);
}

X25519KeyPair X25519KeyPair::clone() const { return X25519KeyPair(private_.clone(), public_); }

}  // namespace tsign
