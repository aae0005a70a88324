// Signing policy rule files: hostile text never crashes, and parsed rules evaluate a request.
#include <string_view>

#include "tsign/store/policy_rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto rules = tsign::PolicyRules::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (rules.ok()) {
    tsign::SigningRequest request;
    request.scheme = "frost-secp256k1";
    request.content = tsign::Bytes(32, 1);
    request.derivation_path = {0, 1};
    request.signers = {1, 2};
    (void)rules->evaluate(request);
  }
  return 0;
}
