#pragma once
// Strict parsers for the values configuration files and operators write as text: decimals, party
// ids and lists, hex. A malformed value is InvalidInput naming `what` (the option or field).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"

namespace tsign {

// `s` without leading and trailing blanks (spaces, tabs, a carriage return).
std::string_view trim_blanks(std::string_view s);
// The words of `s` separated by runs of spaces and tabs.
std::vector<std::string_view> split_blank_separated(std::string_view s);
// A decimal without sign or leading zeros, at most `max`.
Result<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max, std::string_view what);
// 1 .. 2^32-1.
Result<PartyId> parse_party_id(std::string_view text, std::string_view what);
// "1,2,3": non-zero, distinct; returned ascending.
Result<std::vector<PartyId>> parse_party_list(std::string_view text, std::string_view what);
// "1,2,3".
std::string format_party_list(const std::vector<PartyId>& parties);
// Hex digits (either case), optionally of an exact byte length.
Result<Bytes> parse_hex(std::string_view text, std::string_view what, std::optional<std::size_t> size = std::nullopt);
template <std::size_t N>
Result<ByteArray<N>> parse_hex_array(std::string_view text, std::string_view what) {
  TSIGN_TRY(Bytes raw, parse_hex(text, what, N));
  ByteArray<N> out{};
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}

}  // namespace tsign
