#pragma once
// Symmetric primitives shared by the OT layer: keyed BLAKE2b for domain-separated hashing,
// ChaCha20 as the PRG, HChaCha20 as the correlation-robust hash of extended OTs, and small
// constant-time helpers. Internal to src/ot.
#include <sodium.h>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"

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

// ChaCha20 (IETF) keystream of out.size() bytes under key and a 12-byte nonce.
void prg(const std::uint8_t key[32], const std::uint8_t nonce[12], std::span<std::uint8_t> out);

// Little-endian words <-> bytes, independent of the host's byte order.
void store_words(std::span<const std::uint64_t> words, std::span<std::uint8_t> out);
void load_words(ByteSpan in, std::span<std::uint64_t> words);

// Constant-time: out = bit ? a : b, for bit in {0, 1}.
inline void select_bytes(std::uint8_t bit, ByteSpan a, ByteSpan b, std::span<std::uint8_t> out) {
  const auto mask = static_cast<std::uint8_t>(0 - bit);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>((a[i] & mask) | (b[i] & ~mask));
}

inline std::uint8_t get_bit(ByteSpan bits, std::size_t i) { return static_cast<std::uint8_t>((bits[i / 8] >> (i % 8)) & 1); }

// A vector of words for secret intermediate values: wiped when it goes away.
class WipedWords {
 public:
  explicit WipedWords(std::size_t n) : words_(n, 0) {}
  ~WipedWords() { sodium_memzero(words_.data(), words_.size() * sizeof(std::uint64_t)); }
  WipedWords(const WipedWords&) = delete;
  WipedWords& operator=(const WipedWords&) = delete;
  std::uint64_t* data() { return words_.data(); }
  const std::uint64_t* data() const { return words_.data(); }
  std::size_t size() const { return words_.size(); }
  std::uint64_t& operator[](std::size_t i) { return words_[i]; }
  std::uint64_t operator[](std::size_t i) const { return words_[i]; }
  std::span<std::uint64_t> span() { return words_; }
  std::span<const std::uint64_t> span() const { return words_; }

 private:
  std::vector<std::uint64_t> words_;
};

}  // namespace tsign::ot::detail
