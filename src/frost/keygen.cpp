#include "tsign/frost/keygen.hpp"

#include <algorithm>

#include "core/declassify.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/random.hpp"
#include "tsign/sss/shamir.hpp"

namespace tsign::frost {

template <PrimeOrderGroup G>
Result<DealerOutput<G>> deal_key_shares(const Polynomial<G>& polynomial, std::span<const PartyId> parties,
                                        const std::optional<ByteArray<32>>& chain_code) {
  using Point = typename G::Point;
  TSIGN_CHECK(validate_identifiers(parties));
  const auto threshold = static_cast<std::uint32_t>(polynomial.coefficients().size());
  TSIGN_CHECK(validate_threshold(threshold, parties.size()));
  // Whether the key is zero is a validity flag, not a secret.
  if (tsign::detail::declassified(polynomial.constant().is_zero())) return make_error(ErrorKind::InvalidInput, "the key to split is zero");

  std::vector<PartyId> ids(parties.begin(), parties.end());
  std::sort(ids.begin(), ids.end());
  DealerOutput<G> out;
  out.commitment = FeldmanCommitment<G>::of(polynomial);
  const Point group_key = out.commitment.constant();
  const KeyId key_id = derive_key_id<G>(group_key);
  const ByteArray<32> chain = chain_code ? *chain_code : random_array<32>();

  std::map<PartyId, Point> verifying_shares;
  std::vector<Secret<typename G::Scalar>> secrets;
  secrets.reserve(ids.size());
  for (PartyId id : ids) {
    Secret<typename G::Scalar> s(polynomial.evaluate(identifier_scalar<G>(id)));
    verifying_shares.emplace(id, Point::base_mul(s.expose()));
    secrets.push_back(std::move(s));
  }
  out.shares.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    KeyShare<G> ks;
    ks.key_id = key_id;
    ks.epoch = 0;
    ks.self = ids[i];
    ks.threshold = threshold;
    ks.parties = ids;
    ks.signing_share = std::move(secrets[i]);
    ks.verifying_shares = verifying_shares;
    ks.group_public_key = group_key;
    ks.chain_code = chain;
    out.shares.push_back(std::move(ks));
  }
  return out;
}

template <PrimeOrderGroup G>
Result<DealerOutput<G>> split_secret_key(const Secret<typename G::Scalar>& secret, std::uint32_t threshold,
                                         std::span<const PartyId> parties,
                                         const std::optional<ByteArray<32>>& chain_code) {
  TSIGN_CHECK(validate_threshold(threshold, parties.size()));
  if (!secret.has_value()) return make_error(ErrorKind::InvalidInput, "no key to split");
  auto polynomial = Polynomial<G>::random(threshold - 1, secret.expose());
  return deal_key_shares<G>(polynomial, parties, chain_code);
}

template <PrimeOrderGroup G>
Result<DealerOutput<G>> trusted_dealer_keygen(std::uint32_t threshold, std::span<const PartyId> parties,
                                              const std::optional<ByteArray<32>>& chain_code) {
  Secret<typename G::Scalar> secret(G::Scalar::random());
  return split_secret_key<G>(secret, threshold, parties, chain_code);
}

Result<Secret<Ed25519Scalar>> ed25519_secret_from_seed(ByteSpan seed) {
  if (seed.size() != 32) return make_error(ErrorKind::InvalidInput, "an Ed25519 seed is 32 bytes");
  Digest64 h = sha512(seed);
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
  Secret<Ed25519Scalar> out(Ed25519Scalar::from_bytes_reduce(ByteSpan(h).first(32)));
  tsign::detail::secure_wipe(h.data(), h.size());
  return out;
}

#define TSIGN_INSTANTIATE(G)                                                                                      \
  template Result<DealerOutput<G>> deal_key_shares<G>(const Polynomial<G>&, std::span<const PartyId>,             \
                                                      const std::optional<ByteArray<32>>&);                       \
  template Result<DealerOutput<G>> split_secret_key<G>(const Secret<G::Scalar>&, std::uint32_t,                   \
                                                       std::span<const PartyId>, const std::optional<ByteArray<32>>&); \
  template Result<DealerOutput<G>> trusted_dealer_keygen<G>(std::uint32_t, std::span<const PartyId>,              \
                                                            const std::optional<ByteArray<32>>&);
TSIGN_INSTANTIATE(Secp256k1)
TSIGN_INSTANTIATE(Ed25519)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost
