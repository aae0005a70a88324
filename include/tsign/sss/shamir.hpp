#pragma once
// Shamir secret sharing: t-of-n split over arbitrary non-zero identifiers and reconstruction.
#include <span>
#include <string>
#include <vector>

#include "tsign/sss/feldman.hpp"
#include "tsign/sss/lagrange.hpp"
#include "tsign/sss/polynomial.hpp"

namespace tsign {

template <PrimeOrderGroup G>
struct Share {
  PartyId id = 0;
  typename G::Scalar value;

  void encode(Writer& w) const { w.u32(id).raw(value.to_bytes()); }
  static Result<Share> decode(Reader& r) {
    TSIGN_TRY(PartyId id, r.u32());
    if (id == 0) return r.fail("share identifier is zero");
    TSIGN_TRY(ByteSpan b, r.raw(G::kScalarSize));
    auto v = G::Scalar::from_bytes(b);
    if (!v.ok()) return r.fail("share of party " + std::to_string(id) + ": " + v.error().message);
    return Share{id, std::move(v).value()};
  }
};

template <PrimeOrderGroup G>
struct Dealing {
  std::vector<Share<G>> shares;      // in the order of the identifiers given
  FeldmanCommitment<G> commitment;  // lets each holder verify its share
};

inline Status validate_threshold(std::uint32_t t, std::size_t n) {
  if (t < 1) return make_error(ErrorKind::InvalidInput, "threshold must be at least 1");
  if (t > n) {
    return make_error(ErrorKind::InvalidInput,
                      "threshold " + std::to_string(t) + " exceeds the number of parties " + std::to_string(n));
  }
  return {};
}

// Evaluates `poly` at every identifier.
template <PrimeOrderGroup G>
std::vector<Share<G>> evaluate_shares(const Polynomial<G>& poly, std::span<const PartyId> ids) {
  std::vector<Share<G>> out;
  out.reserve(ids.size());
  for (PartyId id : ids) out.push_back({id, poly.evaluate(identifier_scalar<G>(id))});
  return out;
}

template <PrimeOrderGroup G>
Result<Dealing<G>> shamir_split(const typename G::Scalar& secret, std::uint32_t t, std::span<const PartyId> ids) {
  TSIGN_CHECK(validate_identifiers(ids));
  TSIGN_CHECK(validate_threshold(t, ids.size()));
  auto poly = Polynomial<G>::random(t - 1, secret);
  return Dealing<G>{evaluate_shares(poly, ids), FeldmanCommitment<G>::of(poly)};
}

// Interpolates the secret from t or more shares (all of them are used).
template <PrimeOrderGroup G>
Result<typename G::Scalar> shamir_reconstruct(std::span<const Share<G>> shares, std::uint32_t t) {
  if (t < 1) return make_error(ErrorKind::InvalidInput, "threshold must be at least 1");
  if (shares.size() < t) {
    return make_error(ErrorKind::InvalidInput, "reconstruction needs " + std::to_string(t) + " shares, got " +
                                                   std::to_string(shares.size()));
  }
  std::vector<PartyId> ids;
  for (const auto& s : shares) ids.push_back(s.id);
  TSIGN_TRY(auto lambdas, lagrange_coefficients<G>(ids));
  typename G::Scalar secret;
  for (std::size_t i = 0; i < shares.size(); ++i) secret += lambdas[i] * shares[i].value;
  return secret;
}

}  // namespace tsign
