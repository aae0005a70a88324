#include "parse.hpp"

namespace tsign::cli {

Result<ShareSuite> parse_suite(std::string_view text) {
  if (text == "ecdsa") return ShareSuite::EcdsaSecp256k1;
  if (auto suite = share_suite_from_string(text)) return *suite;
  return make_error(ErrorKind::InvalidInput, "--suite: unknown suite '" + std::string(text.substr(0, 40)) +
                                                 "' (frost-secp256k1, frost-secp256k1-tr, frost-ed25519, ecdsa)");
}

Result<std::chrono::milliseconds> parse_seconds(std::string_view text, std::string_view what) {
  TSIGN_TRY(std::uint64_t s, parse_decimal(text, 86400, what));
  if (s == 0) return make_error(ErrorKind::InvalidInput, std::string(what) + ": must be at least 1 second");
  return std::chrono::milliseconds(s * 1000);
}

}  // namespace tsign::cli
