#include "tsign/frost/nonces.hpp"

#include "internals.hpp"
#include "tsign/core/random.hpp"

namespace tsign::frost {

template <FrostCiphersuite C>
Result<SigningNonces<C>> detail::commit_with_randomness(const KeyShare<typename C::Group>& key,
                                                        const ByteArray<32>& hiding_randomness,
                                                        const ByteArray<32>& binding_randomness) {
  using Scalar = typename C::Scalar;
  using Point = typename C::Point;
  if (!key.signing_share.has_value()) {
    return make_error(ErrorKind::InvalidKeyShare, "key share holds no signing share");
  }
  if (key.self == 0) return make_error(ErrorKind::InvalidKeyShare, "key share has no party identifier");
  auto share = key.signing_share.expose().to_bytes();
  const Scalar hiding = C::H3({hiding_randomness, share});
  const Scalar binding = C::H3({binding_randomness, share});
  tsign::detail::secure_wipe(share.data(), share.size());
  SigningCommitments<C> commitments{key.self, Point::base_mul(hiding), Point::base_mul(binding)};
  return detail::Internals<C>::make_nonces(hiding, binding, std::move(commitments));
}

template <FrostCiphersuite C>
Result<SigningNonces<C>> commit(const KeyShare<typename C::Group>& key) {
  auto hiding_randomness = random_array<32>();
  auto binding_randomness = random_array<32>();
  auto out = detail::commit_with_randomness<C>(key, hiding_randomness, binding_randomness);
  tsign::detail::secure_wipe(hiding_randomness.data(), hiding_randomness.size());
  tsign::detail::secure_wipe(binding_randomness.data(), binding_randomness.size());
  return out;
}

#define TSIGN_INSTANTIATE(C)                                                                                \
  template class SigningNonces<C>;                                                                          \
  template Result<SigningNonces<C>> commit<C>(const KeyShare<C::Group>&);                                   \
  template Result<SigningNonces<C>> detail::commit_with_randomness<C>(const KeyShare<C::Group>&,            \
                                                                      const ByteArray<32>&, const ByteArray<32>&);
TSIGN_FROST_FOR_EACH_SUITE(TSIGN_INSTANTIATE)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost
