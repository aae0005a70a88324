// Party configuration files: hostile text never crashes the strict parser.
#include <string_view>

#include "tsign/net/party_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto config = tsign::parse_party_config(std::string_view(reinterpret_cast<const char*>(data), size),
                                          "/nonexistent-tsign-fuzz");
  if (config.ok()) (void)tsign::format_party_config(*config, std::nullopt);
  return 0;
}
