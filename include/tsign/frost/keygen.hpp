#pragma once
// Trusted-dealer key generation (RFC 9591 appendix C): one machine draws (or is given) the key,
// Shamir-splits it and hands each party its KeyShare. Splitting a given key is how a custodian
// moves an existing single-signer wallet into threshold custody; the dealer must then erase the
// key. Keys with no dealer at all come from the DKG.
#include <optional>
#include <span>
#include <vector>

#include "tsign/core/secret.hpp"
#include "tsign/keys/key_id.hpp"
#include "tsign/keys/key_share.hpp"
#include "tsign/sss/feldman.hpp"
#include "tsign/sss/polynomial.hpp"

namespace tsign::frost {

template <PrimeOrderGroup G>
struct DealerOutput {
  std::vector<KeyShare<G>> shares;  // in ascending party order
  FeldmanCommitment<G> commitment;  // lets each party check its share (RFC 9591 vss_verify)
};

// A random key split t-of-n among `parties` (non-zero, distinct, any order). Every share gets
// key_id = derive_key_id(group key) (keys/key_id.hpp), epoch 0 and the chain code given, or a
// random one.
template <PrimeOrderGroup G>
Result<DealerOutput<G>> trusted_dealer_keygen(std::uint32_t threshold, std::span<const PartyId> parties,
                                              const std::optional<ByteArray<32>>& chain_code = std::nullopt);

// The same for an existing secret key (wallet migration). For an Ed25519 wallet, pass
// ed25519_secret_from_seed(seed).
template <PrimeOrderGroup G>
Result<DealerOutput<G>> split_secret_key(const Secret<typename G::Scalar>& secret, std::uint32_t threshold,
                                         std::span<const PartyId> parties,
                                         const std::optional<ByteArray<32>>& chain_code = std::nullopt);

// The dealing for a given polynomial (its constant term is the key, its degree t - 1): the
// deterministic core of the two above, also used to reproduce published vectors.
template <PrimeOrderGroup G>
Result<DealerOutput<G>> deal_key_shares(const Polynomial<G>& polynomial, std::span<const PartyId> parties,
                                        const std::optional<ByteArray<32>>& chain_code = std::nullopt);

// The signing scalar of an RFC 8032 Ed25519 key: SHA-512(seed)[0..32], clamped, reduced mod L.
// Refuses a seed that is not 32 bytes.
Result<Secret<Ed25519Scalar>> ed25519_secret_from_seed(ByteSpan seed);

}  // namespace tsign::frost
