#pragma once
// Byte strings and hex conversion used across every layer.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tsign {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;
template <std::size_t N>
using ByteArray = std::array<std::uint8_t, N>;

// Identifies a party in every protocol; never zero.
using PartyId = std::uint32_t;

// Names a threshold key across parties, refreshes and reshares.
using KeyId = ByteArray<32>;

std::string to_hex(ByteSpan bytes);
// Throws std::invalid_argument on odd length or a non-hex digit (for tests, tools and vectors).
Bytes from_hex(std::string_view hex);

inline ByteSpan as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

inline void append(Bytes& out, ByteSpan more) { out.insert(out.end(), more.begin(), more.end()); }

// Constant-time equality of two equally long byte strings (false when lengths differ).
bool ct_equal(ByteSpan a, ByteSpan b);

}  // namespace tsign
