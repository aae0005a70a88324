// Extended public keys, Base58Check and derivation paths from user text.
#include <cstdlib>
#include <string>

#include "tsign/keys/bip32.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto x = tsign::ExtendedPublicKey::from_base58(text);
  if (x.ok() && x->to_base58() != text) std::abort();
  auto path = tsign::parse_derivation_path(text);
  if (path.ok() && tsign::format_derivation_path(*path) != text) std::abort();
  return 0;
}
