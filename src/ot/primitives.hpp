#pragma once
// Symmetric primitives shared by the OT layer: keyed BLAKE2b for domain-separated hashing,
// ChaCha20 as the PRG and as the correlation-robust hash of extended OTs, and small
// constant-time helpers. Internal to src/ot.
#include <sodium.h>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "../core/declassify.hpp"
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

// Marks bytes the protocol publishes (a message, a check's verdict) as public for the
// constant-time check; see src/core/declassify.hpp.
inline void publish(ByteSpan bytes) { tsign::detail::declassify(bytes.data(), bytes.size()); }
inline bool published(bool verdict) { return tsign::detail::declassified(verdict); }

inline std::uint8_t get_bit(ByteSpan bits, std::size_t i) { return static_cast<std::uint8_t>((bits[i / 8] >> (i % 8)) & 1); }

// A heap vector for secret per-session values, wiped when it goes away. Locked memory
// (SecretBytes) costs two system calls and a TLB flush per allocation, which is right for
// long-lived state but too slow for the many buffers of one multiplication.
template <class T>
class WipedVector {
 public:
  WipedVector() = default;
  explicit WipedVector(std::size_t n) : v_(n, T{}) {}
  ~WipedVector() { wipe(); }
  WipedVector(WipedVector&& o) noexcept : v_(std::move(o.v_)) {}
  WipedVector& operator=(WipedVector&& o) noexcept {
    if (this != &o) {
      wipe();
      v_ = std::move(o.v_);
    }
    return *this;
  }
  WipedVector(const WipedVector&) = delete;
  WipedVector& operator=(const WipedVector&) = delete;

  T* data() { return v_.data(); }
  const T* data() const { return v_.data(); }
  std::size_t size() const { return v_.size(); }
  T& operator[](std::size_t i) { return v_[i]; }
  const T& operator[](std::size_t i) const { return v_[i]; }
  std::span<T> span() { return v_; }
  std::span<const T> span() const { return v_; }

 private:
  void wipe() {
    if (!v_.empty()) sodium_memzero(v_.data(), v_.size() * sizeof(T));
  }
  std::vector<T> v_;
};

using WipedWords = WipedVector<std::uint64_t>;
using WipedBytes = WipedVector<std::uint8_t>;

}  // namespace tsign::ot::detail
