#pragma once
// Aggregation (RFC 9591 section 5.3): sum the shares, verify the signature, and when it does
// not verify, check every share on its own and name every signer whose share is wrong.
#include <vector>

#include "tsign/frost/signature.hpp"
#include "tsign/frost/signing_context.hpp"

namespace tsign::frost {

// Exactly one share per signer of the package is required; missing, duplicated or foreign
// shares are refused (InvalidInput naming them). A signature that fails verification gives
// ProtocolAborted naming every signer whose share fails verify_signature_share. The signature
// returned has been verified with verify_signature (libsecp256k1 / libsodium where they apply).
template <FrostCiphersuite C>
Result<Signature<C>> aggregate(const SigningPackage<C>& package, const std::vector<SignatureShare<C>>& shares,
                               const PublicKeyPackage<C>& keys);
template <FrostCiphersuite C>
Result<Signature<C>> aggregate(const SigningContext<C>& context, const std::vector<SignatureShare<C>>& shares,
                               const PublicKeyPackage<C>& keys);

// One share against its signer's commitment and verifying share (RFC 9591 section 5.4):
// z_i·G == R_i + (c·λ_i)·Y_i. ProtocolAborted naming the signer when it fails.
template <FrostCiphersuite C>
Status verify_signature_share(const SigningContext<C>& context, const SignatureShare<C>& share,
                              const PublicKeyPackage<C>& keys);
template <FrostCiphersuite C>
Status verify_signature_share(const SigningPackage<C>& package, const SignatureShare<C>& share,
                              const PublicKeyPackage<C>& keys);

}  // namespace tsign::frost
