#pragma once
// Values given on the command line. A malformed value is invalid input (exit code 2), named with
// the option it came from.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign::cli {

// A decimal without sign or leading zeros, at most `max`.
Result<std::uint64_t> parse_number(std::string_view text, std::uint64_t max, std::string_view what);
Result<PartyId> parse_party_id(std::string_view text, std::string_view what);
// "1,2,3": non-zero, distinct; returned ascending.
Result<std::vector<PartyId>> parse_party_list(std::string_view text, std::string_view what);
// Hex digits (either case), optionally of an exact byte length.
Result<Bytes> parse_hex(std::string_view text, std::string_view what, std::optional<std::size_t> size = std::nullopt);
template <std::size_t N>
Result<ByteArray<N>> parse_hex_array(std::string_view text, std::string_view what) {
  TSIGN_TRY(Bytes raw, parse_hex(text, what, N));
  ByteArray<N> out{};
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}
// "frost-secp256k1", "frost-secp256k1-tr", "frost-ed25519", "ecdsa" (or "ecdsa-secp256k1").
Result<ShareSuite> parse_suite(std::string_view text);
// Whole seconds, 1 to 86400.
Result<std::chrono::milliseconds> parse_seconds(std::string_view text, std::string_view what);

std::string join_parties(const std::vector<PartyId>& parties);

}  // namespace tsign::cli
