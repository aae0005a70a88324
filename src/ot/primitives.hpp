#pragma once
// Symmetric primitives shared by the OT layer: keyed BLAKE2b for domain-separated hashing,
// ChaCha20 as the PRG and as the correlation-robust hash of extended OTs, and small
// constant-time helpers. Internal to src/ot.
#include <sodium.h>

#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/declassify.hpp"
#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/secret.hpp"

namespace tsign::ot::detail {

// Incremental BLAKE2b keyed with a 32-byte session digest; the label starts the input, framed
// by its length, so no two labels can produce the same stream.
class KeyedHash {
 public:
  KeyedHash(const Digest32& key, std::string_view label, std::size_t out_len = 32);
  KeyedHash& update(ByteSpan data);
  KeyedHash& update_u32(std::uint32_t v);
  void finish(std::span<std::uint8_t> out);
  Digest32 finish32();

 private:
  crypto_generichash_blake2b_state state_;
  std::size_t out_len_;
};

Digest32 keyed_hash(const Digest32& key, std::string_view label, std::initializer_list<ByteSpan> parts);

// ChaCha20 (IETF) keystream of out.size() bytes under key and a 12-byte nonce, from block
// first_block on (a stream read in pieces).
void prg(const std::uint8_t key[32], const std::uint8_t nonce[12], std::span<std::uint8_t> out,
         std::uint32_t first_block = 0);

// Little-endian words <-> bytes, independent of the host's byte order (inline: the inner loops
// load single 32-byte values).
inline void store_words(std::span<const std::uint64_t> words, std::span<std::uint8_t> out) {
  assert(out.size() == words.size() * 8);
  if constexpr (std::endian::native == std::endian::little) {
    if (!out.empty()) std::memcpy(out.data(), words.data(), out.size());
  } else {
    for (std::size_t i = 0; i < words.size(); ++i) {
      for (std::size_t k = 0; k < 8; ++k) out[8 * i + k] = static_cast<std::uint8_t>(words[i] >> (8 * k));
    }
  }
}

inline void load_words(ByteSpan in, std::span<std::uint64_t> words) {
  assert(in.size() == words.size() * 8);
  if constexpr (std::endian::native == std::endian::little) {
    if (!in.empty()) std::memcpy(words.data(), in.data(), in.size());
  } else {
    for (std::size_t i = 0; i < words.size(); ++i) {
      std::uint64_t v = 0;
      for (std::size_t k = 0; k < 8; ++k) v |= std::uint64_t{in[8 * i + k]} << (8 * k);
      words[i] = v;
    }
  }
}

// Constant-time: out = bit ? a : b, for bit in {0, 1}.
inline void select_bytes(std::uint8_t bit, ByteSpan a, ByteSpan b, std::span<std::uint8_t> out) {
  const auto mask = static_cast<std::uint8_t>(0 - bit);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>((a[i] & mask) | (b[i] & ~mask));
}

// Marks bytes the protocol publishes (a message, a check's verdict) as public for the
// constant-time check; see src/core/declassify.hpp.
inline void publish(ByteSpan bytes) { tsign::detail::declassify(bytes.data(), bytes.size()); }
inline bool published(bool verdict) { return tsign::detail::declassified(verdict); }

inline std::uint8_t get_bit(ByteSpan bits, std::size_t i) { return static_cast<std::uint8_t>((bits[i / 8] >> (i % 8)) & 1); }

// Heap arrays for secret per-session values, wiped when they go away (see SecretScratch).
using WipedWords = SecretScratch<std::uint64_t>;
using WipedBytes = SecretScratch<std::uint8_t>;

}  // namespace tsign::ot::detail
