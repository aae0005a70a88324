#include "tsign/core/hash.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace tsign {

static_assert(sizeof(crypto_hash_sha256_state) <= 128);
static_assert(sizeof(crypto_hash_sha512_state) <= 256);

static crypto_hash_sha256_state* s256(std::uint8_t* p) { return reinterpret_cast<crypto_hash_sha256_state*>(p); }
static crypto_hash_sha512_state* s512(std::uint8_t* p) { return reinterpret_cast<crypto_hash_sha512_state*>(p); }

Sha256::Sha256() { crypto_hash_sha256_init(s256(state_)); }
Sha256& Sha256::update(ByteSpan data) {
  crypto_hash_sha256_update(s256(state_), data.data(), data.size());
  return *this;
}
Sha256& Sha256::update_u32(std::uint32_t v) {
  std::uint8_t b[4] = {std::uint8_t(v >> 24), std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)};
  return update(b);
}
Sha256& Sha256::update_u64(std::uint64_t v) {
  std::uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = std::uint8_t(v >> (56 - 8 * i));
  return update(b);
}
Sha256& Sha256::update_framed(ByteSpan data) {
  update_u64(data.size());
  return update(data);
}
Digest32 Sha256::finish() {
  Digest32 out;
  crypto_hash_sha256_final(s256(state_), out.data());
  return out;
}

Sha512::Sha512() { crypto_hash_sha512_init(s512(state_)); }
Sha512& Sha512::update(ByteSpan data) {
  crypto_hash_sha512_update(s512(state_), data.data(), data.size());
  return *this;
}
Digest64 Sha512::finish() {
  Digest64 out;
  crypto_hash_sha512_final(s512(state_), out.data());
  return out;
}

Digest32 sha256(ByteSpan data) { return Sha256().update(data).finish(); }
Digest64 sha512(ByteSpan data) { return Sha512().update(data).finish(); }
Digest32 sha256(std::initializer_list<ByteSpan> parts) {
  Sha256 h;
  for (auto p : parts) h.update(p);
  return h.finish();
}
Digest64 sha512(std::initializer_list<ByteSpan> parts) {
  Sha512 h;
  for (auto p : parts) h.update(p);
  return h.finish();
}

Sha256 tagged_hasher(std::string_view tag) {
  Digest32 tag_hash = sha256(as_bytes(tag));
  Sha256 h;
  h.update(tag_hash).update(tag_hash);
  return h;
}

Digest32 tagged_hash(std::string_view tag, std::initializer_list<ByteSpan> parts) {
  Sha256 h = tagged_hasher(tag);
  for (auto p : parts) h.update(p);
  return h.finish();
}

Digest32 hmac_sha256(ByteSpan key, std::initializer_list<ByteSpan> parts) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.data(), key.size());
  for (auto p : parts) crypto_auth_hmacsha256_update(&st, p.data(), p.size());
  Digest32 out;
  crypto_auth_hmacsha256_final(&st, out.data());
  sodium_memzero(&st, sizeof st);
  return out;
}

Digest64 hmac_sha512(ByteSpan key, std::initializer_list<ByteSpan> parts) {
  crypto_auth_hmacsha512_state st;
  crypto_auth_hmacsha512_init(&st, key.data(), key.size());
  for (auto p : parts) crypto_auth_hmacsha512_update(&st, p.data(), p.size());
  Digest64 out;
  crypto_auth_hmacsha512_final(&st, out.data());
  sodium_memzero(&st, sizeof st);
  return out;
}

Bytes expand_message_xmd_sha256(ByteSpan msg, ByteSpan dst, std::size_t out_len) {
  constexpr std::size_t b_in_bytes = 32, r_in_bytes = 64;
  const std::size_t ell = (out_len + b_in_bytes - 1) / b_in_bytes;
  if (ell > 255 || out_len > 65535 || dst.size() > 255) {
    throw std::invalid_argument("expand_message_xmd: output or DST too long");
  }
  const std::uint8_t dst_len = static_cast<std::uint8_t>(dst.size());
  const std::uint8_t z_pad[r_in_bytes] = {};
  const std::uint8_t l_i_b[2] = {std::uint8_t(out_len >> 8), std::uint8_t(out_len)};
  const std::uint8_t zero = 0;
  Digest32 b0 = Sha256().update(z_pad).update(msg).update(l_i_b).update({&zero, 1}).update(dst).update({&dst_len, 1}).finish();
  std::uint8_t idx = 1;
  Digest32 bi = Sha256().update(b0).update({&idx, 1}).update(dst).update({&dst_len, 1}).finish();
  Bytes out(bi.begin(), bi.end());
  for (std::size_t i = 2; i <= ell; ++i) {
    Digest32 mixed;
    for (std::size_t k = 0; k < 32; ++k) mixed[k] = b0[k] ^ bi[k];
    idx = static_cast<std::uint8_t>(i);
    bi = Sha256().update(mixed).update({&idx, 1}).update(dst).update({&dst_len, 1}).finish();
    out.insert(out.end(), bi.begin(), bi.end());
  }
  out.resize(out_len);
  return out;
}

}  // namespace tsign
