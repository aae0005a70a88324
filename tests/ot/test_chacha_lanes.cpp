#include <sodium.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "ot/chacha_lanes.hpp"
#include "tsign/core/random.hpp"

using namespace tsign;
namespace otd = tsign::ot::detail;

namespace {

std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

}  // namespace

TEST_CASE("ChaCha20 lanes (dispatched and baseline) match libsodium's ChaCha20 (IETF) block by block") {
  for (int run = 0; run < 20; ++run) {
    std::uint8_t keys[otd::kChaChaLanes][32], nonces[otd::kChaChaLanes][12];
    std::uint32_t counters[otd::kChaChaLanes];
    otd::ChaChaInput in;
    for (std::size_t l = 0; l < otd::kChaChaLanes; ++l) {
      random_fill({keys[l], 32});
      random_fill({nonces[l], 12});
      counters[l] = run == 0 ? static_cast<std::uint32_t>(l) : load_le32(random_array<4>().data());
      for (std::size_t w = 0; w < 8; ++w) in.words[w][l] = load_le32(keys[l] + 4 * w);
      in.words[8][l] = counters[l];
      for (std::size_t w = 0; w < 3; ++w) in.words[9 + w][l] = load_le32(nonces[l] + 4 * w);
    }
    std::uint8_t out[otd::kChaChaLanes][64], base[otd::kChaChaLanes][64];
    otd::chacha20_blocks(in, out);
    otd::chacha20_blocks_baseline(in, base);
    for (std::size_t l = 0; l < otd::kChaChaLanes; ++l) {
      std::uint8_t zeros[64] = {}, want[64];
      crypto_stream_chacha20_ietf_xor_ic(want, zeros, 64, nonces[l], counters[l], keys[l]);
      CHECK(std::memcmp(out[l], want, 64) == 0);
      CHECK(std::memcmp(base[l], want, 64) == 0);
    }
  }
}

TEST_CASE("ChaCha20 streams under many keys match libsodium's stream key by key") {
  // Lengths around block boundaries, key counts that leave lanes spare or fill them exactly.
  for (std::size_t bytes : {1u, 8u, 63u, 64u, 65u, 72u, 128u, 200u}) {
    for (std::size_t count : {1u, 3u, 4u, 12u, 16u, 17u}) {
      std::vector<std::uint8_t> keys(32 * count), out(count * bytes, 0xAA);
      random_fill(keys);
      std::uint8_t nonce[12];
      random_fill({nonce, 12});
      otd::chacha20_streams(keys.data(), count, nonce, bytes, out.data());
      for (std::size_t k = 0; k < count; ++k) {
        std::vector<std::uint8_t> want(bytes);
        crypto_stream_chacha20_ietf(want.data(), bytes, nonce, keys.data() + 32 * k);
        CHECK(std::memcmp(out.data() + k * bytes, want.data(), bytes) == 0);
      }
    }
  }
}
