#pragma once
// Hash functions and constructions the protocols share (all backed by libsodium).
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "tsign/core/bytes.hpp"

namespace tsign {

using Digest32 = ByteArray<32>;
using Digest64 = ByteArray<64>;

// Incremental SHA-256.
class Sha256 {
 public:
  Sha256();
  Sha256& update(ByteSpan data);
  Sha256& update(std::string_view text) { return update(as_bytes(text)); }
  Sha256& update_u32(std::uint32_t v);  // big-endian
  Sha256& update_u64(std::uint64_t v);  // big-endian
  // Length-prefixed (u64 big-endian) so concatenations cannot collide.
  Sha256& update_framed(ByteSpan data);
  Digest32 finish();

 private:
  alignas(16) std::uint8_t state_[128];
};

// Incremental SHA-512.
class Sha512 {
 public:
  Sha512();
  Sha512& update(ByteSpan data);
  Sha512& update(std::string_view text) { return update(as_bytes(text)); }
  Digest64 finish();

 private:
  alignas(16) std::uint8_t state_[256];
};

Digest32 sha256(ByteSpan data);
Digest64 sha512(ByteSpan data);
// SHA-256 over the concatenation of parts.
Digest32 sha256(std::initializer_list<ByteSpan> parts);
Digest64 sha512(std::initializer_list<ByteSpan> parts);

// BIP-340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || data...).
Digest32 tagged_hash(std::string_view tag, std::initializer_list<ByteSpan> parts);
// A SHA-256 already primed with the BIP-340 tag prefix.
Sha256 tagged_hasher(std::string_view tag);

Digest32 hmac_sha256(ByteSpan key, std::initializer_list<ByteSpan> parts);
Digest64 hmac_sha512(ByteSpan key, std::initializer_list<ByteSpan> parts);

// RIPEMD-160 and Bitcoin's HASH160 = RIPEMD160(SHA256(x)), for BIP-32 fingerprints.
ByteArray<20> ripemd160(ByteSpan data);
ByteArray<20> hash160(ByteSpan data);

// RFC 9380 expand_message_xmd with SHA-256; out_len <= 255 * 32, dst <= 255 bytes.
Bytes expand_message_xmd_sha256(ByteSpan msg, ByteSpan dst, std::size_t out_len);

}  // namespace tsign
