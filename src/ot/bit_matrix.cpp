#include "tsign/ot/bit_matrix.hpp"

#include <sodium.h>

#include <cassert>

namespace tsign::ot {

void transpose_64x64(std::uint64_t block[64]) {
  // Recursive block swap done level by level: at width w, exchange the upper w bits of row k
  // with the lower w bits of row k + w inside every 2w x 2w sub-block.
  std::uint64_t mask = 0x00000000FFFFFFFFULL;
  for (unsigned w = 32; w != 0; w >>= 1, mask ^= mask << w) {
    for (unsigned k = 0; k < 64; k = ((k | w) + 1) & ~w) {
      const std::uint64_t t = ((block[k] >> w) ^ block[k | w]) & mask;
      block[k] ^= t << w;
      block[k | w] ^= t;
    }
  }
}

void transpose_bits(std::span<const std::uint64_t> in, std::size_t rows, std::size_t cols,
                    std::span<std::uint64_t> out) {
  assert(rows % 64 == 0 && cols % 64 == 0);
  assert(in.size() == rows * cols / 64 && out.size() == in.size());
  const std::size_t in_words = cols / 64, out_words = rows / 64;
  std::uint64_t block[64];
  for (std::size_t rb = 0; rb < out_words; ++rb) {
    for (std::size_t cb = 0; cb < in_words; ++cb) {
      for (std::size_t i = 0; i < 64; ++i) block[i] = in[(rb * 64 + i) * in_words + cb];
      transpose_64x64(block);
      for (std::size_t i = 0; i < 64; ++i) out[(cb * 64 + i) * out_words + rb] = block[i];
    }
  }
  sodium_memzero(block, sizeof block);  // the matrices hold secrets
}

}  // namespace tsign::ot
