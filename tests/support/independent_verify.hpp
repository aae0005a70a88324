#pragma once
// Signature checks that do not go through tsign's verifiers: libsecp256k1 (BIP-340, ECDSA, and
// the group equation of FROST(secp256k1)) and libsodium (Ed25519).
#include <string>

#include "tsign/core/bytes.hpp"

namespace tsign::test {

bool bip340_verifies(const std::string& xonly_hex, ByteSpan message, const std::string& signature_hex);
bool ed25519_verifies(const std::string& public_key_hex, ByteSpan message, const std::string& signature_hex);
bool ecdsa_verifies(const std::string& public_key_hex, const std::string& digest_hex, const std::string& signature_hex);
// z·G == R + c·PK with libsecp256k1's point arithmetic; c is RFC 9591's H2 for FROST(secp256k1).
bool frost_secp256k1_verifies(const std::string& public_key_hex, ByteSpan message, const std::string& signature_hex);
// BIP-341's x-only output key of a compressed internal key, tweaked with libsecp256k1: key path
// only (BIP-86) for an empty root, else committing to the 32-byte Merkle root. Empty on bad input.
std::string taproot_output_key_hex(const std::string& internal_key_hex, const std::string& merkle_root_hex = "");

}  // namespace tsign::test
