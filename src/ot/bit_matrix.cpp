#include "ot/bit_matrix.hpp"

#include <sodium.h>

#include <cassert>
#include <cstring>

// On x86-64 the batched transpose is compiled twice, for AVX2 (four blocks per register) and for
// the baseline (SSE2, two registers), and the loader picks one.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__ELF__)
#define TSIGN_TRANSPOSE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define TSIGN_TRANSPOSE_CLONES
#endif

namespace tsign::ot {

namespace {

constexpr std::size_t kLanes = 4;
// One row of four 64x64 blocks side by side (a GCC/Clang vector: SIMD registers where the target
// has them).
typedef std::uint64_t Rows __attribute__((vector_size(8 * kLanes)));

// The swaps of transpose_64x64 on several blocks at once: at width w, exchange the upper w bits
// of row k with the lower w bits of row k + w inside every 2w x 2w sub-block.
// Rows k with bit W clear (public indices) pair with k | W; the loops are unrolled, as their
// overhead would cost about as much as the swaps.
template <unsigned W, std::uint64_t M>
inline void swap_level(Rows block[64]) {
  #pragma GCC unroll 64
  for (unsigned base = 0; base < 64; base += 2 * W) {
    #pragma GCC unroll 32
    for (unsigned k = base; k < base + W; ++k) {
      const Rows t = ((block[k] >> W) ^ block[k | W]) & M;
      block[k] ^= t << W;
      block[k | W] ^= t;
    }
  }
}

// Blocks `first`, first + 1, ... (block b: input rows 64·(b / in_words).., word b % in_words) of
// the matrix, `count` <= kLanes of them; spare lanes repeat the first block and are not stored.
TSIGN_TRANSPOSE_CLONES void transpose_blocks(const std::uint64_t* in, std::size_t in_words, std::size_t out_words,
                                             std::size_t first, std::size_t count, std::uint64_t* out) {
  Rows block[64];
  std::size_t rb[kLanes], cb[kLanes];
  for (std::size_t l = 0; l < kLanes; ++l) {
    const std::size_t b = first + (l < count ? l : 0);
    rb[l] = b / in_words;
    cb[l] = b % in_words;
  }
  for (std::size_t i = 0; i < 64; ++i) {
    for (std::size_t l = 0; l < kLanes; ++l) block[i][l] = in[(rb[l] * 64 + i) * in_words + cb[l]];
  }
  swap_level<32, 0x00000000FFFFFFFFULL>(block);
  swap_level<16, 0x0000FFFF0000FFFFULL>(block);
  swap_level<8, 0x00FF00FF00FF00FFULL>(block);
  swap_level<4, 0x0F0F0F0F0F0F0F0FULL>(block);
  swap_level<2, 0x3333333333333333ULL>(block);
  swap_level<1, 0x5555555555555555ULL>(block);
  for (std::size_t i = 0; i < 64; ++i) {
    for (std::size_t l = 0; l < count; ++l) out[(cb[l] * 64 + i) * out_words + rb[l]] = block[i][l];
  }
  sodium_memzero(block, sizeof block);  // the matrices hold secrets
}

}  // namespace

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
  const std::size_t in_words = cols / 64, out_words = rows / 64, blocks = in_words * out_words;
  for (std::size_t b = 0; b < blocks; b += kLanes) {
    transpose_blocks(in.data(), in_words, out_words, b, std::min(kLanes, blocks - b), out.data());
  }
}

}  // namespace tsign::ot
