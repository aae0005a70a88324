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

}  // namespace tsign::test
