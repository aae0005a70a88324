// Equivocation proofs come from other parties or operators: hostile bytes never crash, and whatever
// decodes encodes back to the same bytes and is checked without trusting any of it.
#include <cstdlib>

#include "tsign/net/broadcast_keys.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tsign::ByteSpan input(data, size);
  auto proof = tsign::decode_equivocation_proof(input);
  if (proof.ok()) {
    tsign::Bytes again = tsign::encode_equivocation_proof(*proof);
    if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) std::abort();
    // A key nobody holds: no fuzzed proof can verify under it.
    if (tsign::verify_equivocation_proof(*proof, tsign::ByteArray<32>{9}).ok()) std::abort();
  }
  return 0;
}
