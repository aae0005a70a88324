// Key share decoding for both groups: hostile bytes never crash, and whatever decodes re-encodes.
#include <cstdlib>

#include "tsign/keys/key_share.hpp"

template <class G>
static void round_trip(tsign::ByteSpan data) {
  auto ks = tsign::KeyShare<G>::decode(data);
  if (!ks.ok()) return;
  auto again = ks->encode();
  if (again.size() != data.size()) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tsign::ByteSpan bytes(data, size);
  round_trip<tsign::Secp256k1>(bytes);
  round_trip<tsign::Ed25519>(bytes);
  return 0;
}
