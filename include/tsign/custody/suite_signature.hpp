#pragma once
// What a signature of each suite covers, and its verification from public bytes alone: FROST
// signs the message itself (or the 32 digest bytes), ECDSA signs a digest (SHA-256 of the message
// unless a digest is given). For a custody backend checking a signature before it broadcasts.
#include <variant>

#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign {

// The message, or a 32-byte digest signed as given.
using SignedContent = std::variant<Bytes, Digest32>;

// The bytes a FROST signature covers: the message, or the 32 digest bytes.
Bytes frost_message(const SignedContent& content);
// The digest an ECDSA signature covers: the digest, or SHA-256 of the message.
Digest32 ecdsa_digest(const SignedContent& content);

// Whether `signature` is valid for `content` under `public_key` in the suite's forms (compressed
// secp256k1; x-only or compressed for BIP-340; 32 bytes for Ed25519; ECDSA compact r‖s, low s).
// InvalidInput for a public key that is no key of the suite; a malformed signature is false.
Result<bool> verify_suite_signature(ShareSuite suite, const SignedContent& content, ByteSpan public_key, ByteSpan signature);

}  // namespace tsign
