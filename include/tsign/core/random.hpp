#pragma once
// Randomness from the operating system's CSPRNG through libsodium.
#include <cstdint>
#include <span>

#include "tsign/core/bytes.hpp"

namespace tsign {

void random_fill(std::span<std::uint8_t> out);
Bytes random_bytes(std::size_t n);
template <std::size_t N>
ByteArray<N> random_array() {
  ByteArray<N> out;
  random_fill(out);
  return out;
}
// Uniform in [0, bound), bound > 0.
std::uint64_t random_below(std::uint64_t bound);

}  // namespace tsign
