#pragma once
// The ChaCha20 block function (RFC 8439, section 2.3) on several independent inputs at once.
// The random-OT hash keys one ChaCha20 instance per extended OT, so its inputs come in batches
// that share no key, which libsodium's stream functions cannot batch. Keeping the state
// lane-minor lets the compiler run all lanes in SIMD registers. Internal to src/ot.
#include <cstddef>
#include <cstdint>

namespace tsign::ot::detail {

inline constexpr std::size_t kChaChaLanes = 16;

// State words 4..15 of every lane: key words 0..7, block counter, nonce words 0..2, stored
// words[w][lane]. Words are the little-endian reading of the RFC's byte strings.
struct ChaChaInput {
  std::uint32_t words[12][kChaChaLanes];
};

// out[lane] = the 64-byte ChaCha20 block of that lane's input. On x86-64 CPUs with AVX-512VL or
// AVX2 a build of the function for them runs; otherwise the baseline one, exposed so the tests
// cover it too.
void chacha20_blocks(const ChaChaInput& in, std::uint8_t out[kChaChaLanes][64]);
void chacha20_blocks_baseline(const ChaChaInput& in, std::uint8_t out[kChaChaLanes][64]);

// Queues ChaCha20 blocks, each with its own key, counter and nonce, and computes them sixteen at
// a time, storing the first `len` bytes of each at its destination. finish() computes what is
// left; the queue and the last blocks are wiped when the batch goes away.
class ChaChaBatch {
 public:
  ChaChaBatch() = default;
  ~ChaChaBatch();
  ChaChaBatch(const ChaChaBatch&) = delete;
  ChaChaBatch& operator=(const ChaChaBatch&) = delete;

  void add(const std::uint32_t key[8], std::uint32_t counter, const std::uint32_t nonce[3], std::uint8_t* dest,
           std::size_t len) {
    for (std::size_t w = 0; w < 8; ++w) in_.words[w][lane_] = key[w];
    in_.words[8][lane_] = counter;
    for (std::size_t w = 0; w < 3; ++w) in_.words[9 + w][lane_] = nonce[w];
    dest_[lane_] = dest;
    len_[lane_] = len;
    if (++lane_ == kChaChaLanes) run();
  }
  void finish();

 private:
  void run();
  ChaChaInput in_{};
  std::uint8_t block_[kChaChaLanes][64];
  std::uint8_t* dest_[kChaChaLanes];
  std::size_t len_[kChaChaLanes];
  std::size_t lane_ = 0;
};

// The first `bytes` bytes of the ChaCha20 (IETF) keystream, block counter from 0, under each of
// `count` keys (32 bytes each, one after the other) and one nonce, into out key by key
// (count·bytes bytes): the bytes crypto_stream_chacha20_ietf gives per key, with the blocks of
// all keys computed sixteen at a time. The OT extension expands hundreds of seeds into short
// streams per session, too short for libsodium's own multi-block paths.
void chacha20_streams(const std::uint8_t* keys, std::size_t count, const std::uint8_t nonce[12], std::size_t bytes,
                      std::uint8_t* out);

}  // namespace tsign::ot::detail
