#pragma once
// A party's identity, sealed with its passphrase (format in docs/cli.md, "The identity file format"):
//   "TSID" | version u16 = 1 | party id u32 | Argon2id opslimit u64, memlimit u64 | salt (16)
//   | nonce (24) | XChaCha20-Poly1305(X25519 transport private key ‖ Ed25519 audit seed) (64 + 16)
// Everything before the ciphertext is its associated data, so the party id and the Argon2id cost
// cannot be changed without the file failing to open. The Argon2id cost chosen when the vault is
// created is also the one its share files are sealed with.
//
// Beside it, identity.pub holds the public keys as text ("id = N", "transport_key = HEX",
// "audit_key = HEX"), for the cluster configuration and for anyone checking the audit log.
#include <string>
#include <string_view>

#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"
#include "tsign/net/x25519.hpp"
#include "tsign/core/identity_key.hpp"
#include "tsign/store/sealed_share.hpp"

namespace tsign {

inline constexpr std::size_t kIdentityFileSize = 4 + 2 + 4 + 8 + 8 + 16 + 24 + 64 + 16;

struct PartyIdentity {
  PartyId id = 0;
  Argon2Params kdf;
  X25519KeyPair transport = X25519KeyPair::generate();  // Noise static key
  IdentityKey audit = IdentityKey::generate();          // signs the audit log
};

// What the clear part of the file says (no passphrase needed).
struct IdentityHeader {
  PartyId id = 0;
  Argon2Params kdf;
};

Result<Bytes> seal_identity(const PartyIdentity& identity, const SecretBytes& passphrase);
// Strict size and fields; a wrong passphrase or a modified byte is a Storage error.
Result<IdentityHeader> read_identity_header(ByteSpan file);
Result<PartyIdentity> unseal_identity(ByteSpan file, const SecretBytes& passphrase);

struct PublicIdentity {
  PartyId id = 0;
  X25519PublicKey transport_key{};
  ByteArray<32> audit_key{};
};
std::string format_public_identity(const PublicIdentity& identity);
// Strict: each of the three keys once, nothing else (comments and blank lines aside).
Result<PublicIdentity> parse_public_identity(std::string_view text);

}  // namespace tsign
