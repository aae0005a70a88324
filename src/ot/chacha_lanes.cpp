#include "chacha_lanes.hpp"

#include <sodium.h>

#include <algorithm>
#include <bit>
#include <cstring>

// The block function runs on eight lanes at a time in one 8x32-bit vector per state word, or
// on all sixteen in one 16x32-bit vector. On x86-64 (GCC, ELF) it is compiled three times: for
// AVX-512VL (sixteen lanes; 32 registers hold the whole state, rotations are single
// instructions), for AVX2 (two passes of eight lanes, rotations by 8 and 16 as byte shuffles,
// some words spilled) and for the baseline (SSE2: two passes, two registers per word, shifts
// only), and the first call picks one.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__ELF__)
#define TSIGN_CHACHA_AVX2 1
#endif

namespace tsign::ot::detail {

namespace {

constexpr std::uint32_t kSigma[4] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

// One state word across eight or sixteen lanes (GCC/Clang vectors: SIMD registers where the
// target has them).
typedef std::uint32_t Lanes8 __attribute__((vector_size(32)));
typedef std::uint32_t Lanes16 __attribute__((vector_size(64)));
typedef std::uint8_t LaneBytes8 __attribute__((vector_size(32)));
static_assert(kChaChaLanes == 16);

// Byte shuffles for rotations left by 8 and 16 within each 32-bit little-endian word: byte i of
// the result is byte i - N/8 of the same word. (__builtin_shufflevector takes constant indices,
// the same in GCC and Clang.)
#define TSIGN_ROTL8_BYTES 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14, 19, 16, 17, 18, 23, 20, 21, 22, \
                          27, 24, 25, 26, 31, 28, 29, 30
#define TSIGN_ROTL16_BYTES 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 18, 19, 16, 17, 22, 23, 20, 21, \
                           26, 27, 24, 25, 30, 31, 28, 29

// In place: vectors passed by value would change the calling convention between the targets.
// kShuffle (eight lanes only): rotations by 8 and 16 as byte shuffles.
template <bool kShuffle, int N, class V>
[[gnu::always_inline]] inline void xor_rotl(V& v, const V& w) {
  v ^= w;
  if constexpr (kShuffle && (N == 8 || N == 16) && std::endian::native == std::endian::little) {
    static_assert(sizeof(V) == 32);
    const LaneBytes8 b = reinterpret_cast<LaneBytes8>(v);
    if constexpr (N == 8) {
      v = reinterpret_cast<V>(__builtin_shufflevector(b, b, TSIGN_ROTL8_BYTES));
    } else {
      v = reinterpret_cast<V>(__builtin_shufflevector(b, b, TSIGN_ROTL16_BYTES));
    }
  } else {
    v = (v << N) | (v >> (32 - N));
  }
}

template <bool kShuffle, class V>
[[gnu::always_inline]] inline void quarter_round(V& a, V& b, V& c, V& d) {
  a += b;
  xor_rotl<kShuffle, 16>(d, a);
  c += d;
  xor_rotl<kShuffle, 12>(b, c);
  a += b;
  xor_rotl<kShuffle, 8>(d, a);
  c += d;
  xor_rotl<kShuffle, 7>(b, c);
}

// Words 0..15 of eight lanes (y[w], lane-minor) as eight 64-byte blocks out[0..7]. kTranspose:
// an 8x8 word transpose per half block with unpacks and 128-bit permutes, each row stored at
// once; otherwise word by word. (t and u hold only output words, as out does.)
template <bool kTranspose>
[[gnu::always_inline]] inline void store_blocks(const Lanes8 y[16], std::uint8_t out[][64]) {
  if constexpr (kTranspose && std::endian::native == std::endian::little) {
    #pragma GCC unroll 16
    for (int h = 0; h < 2; ++h) {
      const Lanes8* v = y + 8 * h;
      Lanes8 t[8], u[8];
      #pragma GCC unroll 16
      for (int i = 0; i < 4; ++i) {
        t[2 * i] = __builtin_shufflevector(v[2 * i], v[2 * i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[2 * i + 1] = __builtin_shufflevector(v[2 * i], v[2 * i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
      }
      #pragma GCC unroll 16
      for (int i = 0; i < 2; ++i) {
        #pragma GCC unroll 16
        for (int k = 0; k < 2; ++k) {
          const Lanes8& a = t[4 * i + k];
          const Lanes8& b = t[4 * i + k + 2];
          u[4 * i + 2 * k] = __builtin_shufflevector(a, b, 0, 1, 8, 9, 4, 5, 12, 13);
          u[4 * i + 2 * k + 1] = __builtin_shufflevector(a, b, 2, 3, 10, 11, 6, 7, 14, 15);
        }
      }
      // u[0..3] hold words 0..3 of lanes (r, r+4) for r = 0..3, u[4..7] words 4..7.
      #pragma GCC unroll 16
      for (int r = 0; r < 4; ++r) {
        const Lanes8 lo = __builtin_shufflevector(u[r], u[4 + r], 0, 1, 2, 3, 8, 9, 10, 11);
        const Lanes8 hi = __builtin_shufflevector(u[r], u[4 + r], 4, 5, 6, 7, 12, 13, 14, 15);
        std::memcpy(out[r] + 32 * h, &lo, 32);
        std::memcpy(out[r + 4] + 32 * h, &hi, 32);
      }
    }
  } else {
    #pragma GCC unroll 16
    for (int w = 0; w < 16; ++w) {
      #pragma GCC unroll 16
      for (std::size_t l = 0; l < 8; ++l) {
        std::uint32_t v = y[w][l];
        if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
        std::memcpy(out[l] + 4 * w, &v, 4);
      }
    }
  }
}

// The blocks of lanes first .. first + W - 1, W the lanes of V. The feed-forward reads the input
// again rather than keeping a copy: one state to wipe. The loops around the rounds are unrolled:
// as loops they cost a third as much as the rounds.
template <class V, bool kShuffle, bool kTranspose>
[[gnu::always_inline]] inline void run_blocks(const ChaChaInput& in, std::size_t first,
                                              std::uint8_t out[kChaChaLanes][64]) {
  constexpr std::size_t W = sizeof(V) / 4;
  V x[16];
  #pragma GCC unroll 16
  for (int w = 0; w < 4; ++w) {
    #pragma GCC unroll 16
    for (std::size_t l = 0; l < W; ++l) x[w][l] = kSigma[w];
  }
  #pragma GCC unroll 16
  for (int w = 0; w < 12; ++w) std::memcpy(&x[4 + w], &in.words[w][first], sizeof(V));
  for (int round = 0; round < 10; ++round) {
    quarter_round<kShuffle>(x[0], x[4], x[8], x[12]);
    quarter_round<kShuffle>(x[1], x[5], x[9], x[13]);
    quarter_round<kShuffle>(x[2], x[6], x[10], x[14]);
    quarter_round<kShuffle>(x[3], x[7], x[11], x[15]);
    quarter_round<kShuffle>(x[0], x[5], x[10], x[15]);
    quarter_round<kShuffle>(x[1], x[6], x[11], x[12]);
    quarter_round<kShuffle>(x[2], x[7], x[8], x[13]);
    quarter_round<kShuffle>(x[3], x[4], x[9], x[14]);
  }
  #pragma GCC unroll 16
  for (int w = 0; w < 4; ++w) x[w] += kSigma[w];
  #pragma GCC unroll 16
  for (int w = 0; w < 12; ++w) {
    V v;
    std::memcpy(&v, &in.words[w][first], sizeof(V));
    x[4 + w] += v;
  }
  // Eight lanes at a time: each word's half g.
  #pragma GCC unroll 2
  for (std::size_t g = 0; g < W / 8; ++g) {
    Lanes8 y[16];
    #pragma GCC unroll 16
    for (int w = 0; w < 16; ++w) std::memcpy(&y[w], reinterpret_cast<const std::uint32_t*>(&x[w]) + 8 * g, 32);
    store_blocks<kTranspose>(y, out + first + 8 * g);
  }
  sodium_memzero(x, sizeof x);  // the state holds the keys
}

#ifdef TSIGN_CHACHA_AVX2
__attribute__((target("avx2"))) void blocks_avx2(const ChaChaInput& in, std::uint8_t out[kChaChaLanes][64]) {
  run_blocks<Lanes8, true, true>(in, 0, out);
  run_blocks<Lanes8, true, true>(in, 8, out);
}

__attribute__((target("avx2,avx512f,avx512vl"))) void blocks_avx512(const ChaChaInput& in,
                                                                    std::uint8_t out[kChaChaLanes][64]) {
  run_blocks<Lanes16, false, true>(in, 0, out);
}

using BlocksFn = void (*)(const ChaChaInput&, std::uint8_t[kChaChaLanes][64]);

BlocksFn pick_blocks() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512vl") != 0 && __builtin_cpu_supports("avx512f") != 0) return blocks_avx512;
  if (__builtin_cpu_supports("avx2") != 0) return blocks_avx2;
  return chacha20_blocks_baseline;
}
#endif

}  // namespace

void chacha20_blocks_baseline(const ChaChaInput& in, std::uint8_t out[kChaChaLanes][64]) {
  run_blocks<Lanes8, false, false>(in, 0, out);
  run_blocks<Lanes8, false, false>(in, 8, out);
}

void chacha20_blocks(const ChaChaInput& in, std::uint8_t out[kChaChaLanes][64]) {
#ifdef TSIGN_CHACHA_AVX2
  static const BlocksFn blocks = pick_blocks();
  blocks(in, out);
#else
  chacha20_blocks_baseline(in, out);
#endif
}

namespace {

std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

}  // namespace

ChaChaBatch::~ChaChaBatch() {
  sodium_memzero(&in_, sizeof in_);  // keys
  sodium_memzero(block_, sizeof block_);
}

void ChaChaBatch::run() {
  chacha20_blocks(in_, block_);
  for (std::size_t l = 0; l < lane_; ++l) {
    // Public lengths: the common ones (whole blocks, the half blocks of the random-OT hash and
    // the 8-byte tails of the seed streams) copy without a library call.
    if (len_[l] == 64) {
      std::memcpy(dest_[l], block_[l], 64);
    } else if (len_[l] == 32) {
      std::memcpy(dest_[l], block_[l], 32);
    } else if (len_[l] == 8) {
      std::memcpy(dest_[l], block_[l], 8);
    } else {
      std::memcpy(dest_[l], block_[l], len_[l]);
    }
  }
  lane_ = 0;
}

void ChaChaBatch::finish() {
  if (lane_ == 0) return;
  // Spare lanes of the last call repeat lane 0 and are not stored.
  for (std::size_t l = lane_; l < kChaChaLanes; ++l) {
    for (std::size_t w = 0; w < 12; ++w) in_.words[w][l] = in_.words[w][0];
  }
  run();
}

void chacha20_streams(const std::uint8_t* keys, std::size_t count, const std::uint8_t nonce[12], std::size_t bytes,
                      std::uint8_t* out) {
  const std::size_t blocks = (bytes + 63) / 64;
  std::uint32_t nonce_words[3], key[8];
  for (std::size_t w = 0; w < 3; ++w) nonce_words[w] = load_le32(nonce + 4 * w);
  ChaChaBatch batch;
  for (std::size_t k = 0; k < count; ++k) {
    for (std::size_t w = 0; w < 8; ++w) key[w] = load_le32(keys + 32 * k + 4 * w);
    for (std::size_t b = 0; b < blocks; ++b) {
      batch.add(key, static_cast<std::uint32_t>(b), nonce_words, out + k * bytes + 64 * b,
                std::min<std::size_t>(64, bytes - 64 * b));
    }
  }
  batch.finish();
  sodium_memzero(key, sizeof key);
}

}  // namespace tsign::ot::detail
