#include "primitives.hpp"

#include <bit>
#include <cassert>
#include <cstring>

#include "tsign/core/sodium_init.hpp"

namespace tsign::ot::detail {

KeyedHash::KeyedHash(const Digest32& key, std::string_view label, std::size_t out_len) : out_len_(out_len) {
  ensure_sodium();
  assert(out_len >= crypto_generichash_blake2b_BYTES_MIN && out_len <= crypto_generichash_blake2b_BYTES_MAX);
  crypto_generichash_blake2b_init(&state_, key.data(), key.size(), out_len);
  update_u32(static_cast<std::uint32_t>(label.size()));
  update(as_bytes(label));
}

KeyedHash& KeyedHash::update(ByteSpan data) {
  crypto_generichash_blake2b_update(&state_, data.data(), data.size());
  return *this;
}

KeyedHash& KeyedHash::update_u32(std::uint32_t v) {
  const std::uint8_t be[4] = {std::uint8_t(v >> 24), std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)};
  return update(be);
}

void KeyedHash::finish(std::span<std::uint8_t> out) {
  assert(out.size() == out_len_);
  crypto_generichash_blake2b_final(&state_, out.data(), out_len_);
  sodium_memzero(&state_, sizeof state_);
}

Digest32 KeyedHash::finish32() {
  Digest32 out;
  finish(out);
  return out;
}

Digest32 keyed_hash(const Digest32& key, std::string_view label, std::initializer_list<ByteSpan> parts) {
  KeyedHash h(key, label);
  for (ByteSpan p : parts) h.update(p);
  return h.finish32();
}

void prg(const std::uint8_t key[32], const std::uint8_t nonce[12], std::span<std::uint8_t> out) {
  crypto_stream_chacha20_ietf(out.data(), out.size(), nonce, key);
}

void store_words(std::span<const std::uint64_t> words, std::span<std::uint8_t> out) {
  assert(out.size() == words.size() * 8);
  if constexpr (std::endian::native == std::endian::little) {
    if (!out.empty()) std::memcpy(out.data(), words.data(), out.size());
    return;
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::size_t k = 0; k < 8; ++k) out[8 * i + k] = static_cast<std::uint8_t>(words[i] >> (8 * k));
  }
}

void load_words(ByteSpan in, std::span<std::uint64_t> words) {
  assert(in.size() == words.size() * 8);
  if constexpr (std::endian::native == std::endian::little) {
    if (!in.empty()) std::memcpy(words.data(), in.data(), in.size());
    return;
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < 8; ++k) v |= std::uint64_t{in[8 * i + k]} << (8 * k);
    words[i] = v;
  }
}

}  // namespace tsign::ot::detail
