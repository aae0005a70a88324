// Signer-service requests: hostile JSON never crashes the strict decoder, and what it accepts
// encodes and decodes back to the same signing bytes.
#include <cstdlib>
#include <string_view>

#include "tsign/service/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto request = tsign::decode_request(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!request.ok()) return 0;
  auto again = tsign::decode_request(tsign::encode_request(*request));
  if (!again.ok() || tsign::request_signing_bytes(*again) != tsign::request_signing_bytes(*request)) std::abort();
  return 0;
}
