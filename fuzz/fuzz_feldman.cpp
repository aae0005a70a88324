// Feldman commitment and share decoding.
#include "tsign/sss/shamir.hpp"

template <class G>
static void decode_all(tsign::ByteSpan data) {
  if (data.empty()) return;
  tsign::Reader r(data.subspan(1), "fuzz");
  const std::uint32_t expected = data[0] % 8;
  auto c = tsign::FeldmanCommitment<G>::decode(r, expected, (data[0] & 0x80) != 0);
  if (c.ok()) (void)c->encode();
  tsign::Reader r2(data, "fuzz");
  (void)tsign::Share<G>::decode(r2);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  decode_all<tsign::Secp256k1>({data, size});
  decode_all<tsign::Ed25519>({data, size});
  return 0;
}
