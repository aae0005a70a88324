#pragma once
// FROST threshold Schnorr signatures (RFC 9591) for secp256k1, BIP-340/Taproot and Ed25519.
//
// Coordinator flow (pure functions, no I/O):
//   auto dealt = trusted_dealer_keygen<Secp256k1>(t, parties);          // or the DKG
//   auto nonces = commit<FrostSecp256k1Tr>(share).value();             // round 1, each signer
//   SigningPackage<FrostSecp256k1Tr> pkg{message, {commitments...}, TaprootTweak::no_scripts()};
//   auto z_i = sign(pkg, std::move(nonces), share);                      // round 2, each signer
//   auto sig = aggregate(pkg, shares, PublicKeyPackage<...>::from_key_share(share));
// Peer-to-peer flow: SigningProtocol (a RoundProtocol driven by the engine).
#include "tsign/frost/aggregate.hpp"
#include "tsign/frost/ciphersuite.hpp"
#include "tsign/frost/commitments.hpp"
#include "tsign/frost/key_packages.hpp"
#include "tsign/frost/keygen.hpp"
#include "tsign/frost/nonces.hpp"
#include "tsign/frost/sign.hpp"
#include "tsign/frost/signature.hpp"
#include "tsign/frost/signing_context.hpp"
#include "tsign/frost/signing_package.hpp"
#include "tsign/frost/signing_protocol.hpp"
#include "tsign/frost/taproot.hpp"
