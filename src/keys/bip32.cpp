#include "tsign/keys/bip32.hpp"

#include "tsign/core/base58.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/core/hash.hpp"

namespace tsign {

ExtendedPublicKey ExtendedPublicKey::root(const Secp256k1Point& group_key, const ByteArray<32>& chain_code) {
  ExtendedPublicKey x;
  x.chain_code = chain_code;
  x.key = group_key;
  return x;
}

std::string ExtendedPublicKey::to_base58() const {
  Writer w;
  w.u32(version).u8(depth).raw(parent_fingerprint).u32(child_number).raw(chain_code).raw(key.to_bytes());
  return base58check_encode(w.bytes());
}

Result<ExtendedPublicKey> ExtendedPublicKey::from_base58(std::string_view text) {
  TSIGN_TRY(Bytes raw, base58check_decode(text, 78));
  Reader r(raw, "extended public key");
  ExtendedPublicKey x;
  TSIGN_TRY(x.version, r.u32());
  if (x.version != kMainnetVersion && x.version != kTestnetVersion) return r.fail("not an xpub or tpub version");
  TSIGN_TRY(x.depth, r.u8());
  TSIGN_TRY(x.parent_fingerprint, r.array<4>());
  TSIGN_TRY(x.child_number, r.u32());
  TSIGN_TRY(x.chain_code, r.array<32>());
  TSIGN_TRY(ByteSpan key_bytes, r.raw(33));
  TSIGN_CHECK(r.finish());
  if (key_bytes[0] != 0x02 && key_bytes[0] != 0x03) return r.fail("key is not a compressed public key");
  auto key = Secp256k1Point::from_bytes(key_bytes);
  if (!key.ok()) return r.fail(key.error().message);
  x.key = std::move(key).value();
  const bool root_fields_zero = x.child_number == 0 && x.parent_fingerprint == ByteArray<4>{};
  if (x.depth == 0 && !root_fields_zero) return r.fail("depth 0 with a parent fingerprint or child number");
  return x;
}

ByteArray<4> ExtendedPublicKey::fingerprint() const {
  auto h = hash160(key.to_bytes());
  return {h[0], h[1], h[2], h[3]};
}

Result<ExtendedPublicKey> ExtendedPublicKey::child(std::uint32_t index, Secp256k1Scalar* tweak) const {
  if (index & kHardenedIndex) {
    return make_error(ErrorKind::InvalidInput, "hardened derivation needs the whole private key; threshold keys derive non-hardened only");
  }
  if (depth == 255) return make_error(ErrorKind::InvalidInput, "BIP-32 depth limit reached");
  const auto ser_key = key.to_bytes();
  const std::uint8_t ser_index[4] = {std::uint8_t(index >> 24), std::uint8_t(index >> 16), std::uint8_t(index >> 8),
                                     std::uint8_t(index)};
  auto i = hmac_sha512(chain_code, {ser_key, ser_index});
  auto il = Secp256k1Scalar::from_bytes(ByteSpan(i.data(), 32));
  // Unreachable in practice (tools/mutation/equivalents.txt): BIP-32 specifies it for IL >= n (probability 2^-127).
  if (!il.ok()) return make_error(ErrorKind::InvalidInput, "BIP-32: IL is not below n for index " + std::to_string(index) + "; use the next index");
  ExtendedPublicKey out;
  out.version = version;
  out.depth = static_cast<std::uint8_t>(depth + 1);
  out.parent_fingerprint = fingerprint();
  out.child_number = index;
  std::copy(i.begin() + 32, i.end(), out.chain_code.begin());
  out.key = key + Secp256k1Point::base_mul(*il);
  // Unreachable in practice (tools/mutation/equivalents.txt): BIP-32 specifies it; it takes a key equal to -IL*G.
  if (out.key.is_identity()) return make_error(ErrorKind::InvalidInput, "BIP-32: child key is the identity; use the next index");
  if (tweak != nullptr) *tweak = *il;
  return out;
}

Result<DerivedKey> derive_path(const ExtendedPublicKey& root, std::span<const std::uint32_t> path) {
  DerivedKey d{root, Secp256k1Scalar::zero()};
  for (std::uint32_t index : path) {
    Secp256k1Scalar il;
    TSIGN_TRY(d.xpub, d.xpub.child(index, &il));
    d.tweak += il;
  }
  return d;
}

Result<std::vector<std::uint32_t>> parse_derivation_path(std::string_view text) {
  auto fail = [&](const std::string& why) {
    return make_error(ErrorKind::InvalidInput, "derivation path \"" + std::string(text) + "\": " + why);
  };
  if (text.empty() || text[0] != 'm') return fail("must start with m");
  std::vector<std::uint32_t> out;
  std::size_t pos = 1;
  while (pos < text.size()) {
    if (text[pos] != '/') return fail("expected '/'");
    ++pos;
    std::uint64_t value = 0;
    std::size_t digits = 0;
    if (pos + 1 < text.size() && text[pos] == '0' && text[pos + 1] >= '0' && text[pos + 1] <= '9') {
      return fail("leading zero in an index");
    }
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      value = value * 10 + std::uint64_t(text[pos] - '0');
      if (value >= kHardenedIndex) return fail("index out of range");
      ++pos;
      ++digits;
    }
    if (digits == 0) return fail("missing index");
    if (pos < text.size() && (text[pos] == 'H' || text[pos] == 'h' || text[pos] == '\'')) {
      return fail("hardened steps cannot be derived for a threshold key");
    }
    out.push_back(static_cast<std::uint32_t>(value));
  }
  return out;
}

std::string format_derivation_path(std::span<const std::uint32_t> path) {
  std::string out = "m";
  for (auto i : path) out += "/" + std::to_string(i);
  return out;
}

}  // namespace tsign
