#pragma once
// Values given on the command line. A malformed value is invalid input (exit code 2), named with
// the option it came from. The general parsers (decimals, party ids and lists, hex) are the
// library's (core/text_fields.hpp).
#include <chrono>
#include <string_view>

#include "tsign/core/text_fields.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign::cli {

inline Result<std::uint64_t> parse_number(std::string_view text, std::uint64_t max, std::string_view what) {
  return parse_decimal(text, max, what);
}
// "frost-secp256k1", "frost-secp256k1-tr", "frost-ed25519", "ecdsa" (or "ecdsa-secp256k1").
Result<ShareSuite> parse_suite(std::string_view text);
// Whole seconds, 1 to 86400.
Result<std::chrono::milliseconds> parse_seconds(std::string_view text, std::string_view what);

}  // namespace tsign::cli
