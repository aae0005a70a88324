// Engine envelopes: hostile bytes never crash, and whatever decodes encodes back to the same bytes.
#include <cstdlib>

#include "tsign/net/envelope.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tsign::ByteSpan input(data, size);
  auto envelope = tsign::decode_envelope(input, 1 << 16);
  if (envelope.ok()) {
    tsign::Bytes again = tsign::encode_envelope(*envelope);
    if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) std::abort();
  }
  return 0;
}
