#include "primitives.hpp"

#include <cassert>

#include "core/sodium_init.hpp"

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

void prg(const std::uint8_t key[32], const std::uint8_t nonce[12], std::span<std::uint8_t> out,
         std::uint32_t first_block) {
  if (first_block == 0) {
    crypto_stream_chacha20_ietf(out.data(), out.size(), nonce, key);
    return;
  }
  sodium_memzero(out.data(), out.size());  // xor_ic adds the stream to its input
  crypto_stream_chacha20_ietf_xor_ic(out.data(), out.data(), out.size(), nonce, first_block, key);
}

}  // namespace tsign::ot::detail
