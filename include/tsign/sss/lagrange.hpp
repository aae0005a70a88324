#pragma once
// Party identifiers as field elements, and Lagrange interpolation coefficients over them.
#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "tsign/core/result.hpp"
#include "tsign/math/group.hpp"

namespace tsign {

// Identifiers must be non-zero and pairwise distinct; the error names each offending one.
inline Status validate_identifiers(std::span<const PartyId> ids) {
  std::vector<PartyId> sorted(ids.begin(), ids.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<PartyId> bad;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] == 0 || (i > 0 && sorted[i] == sorted[i - 1])) {
      if (bad.empty() || bad.back() != sorted[i]) bad.push_back(sorted[i]);
    }
  }
  if (!bad.empty()) {
    return make_error(ErrorKind::InvalidInput, "party identifiers must be non-zero and distinct", bad);
  }
  return {};
}

template <PrimeOrderGroup G>
typename G::Scalar identifier_scalar(PartyId id) {
  return G::Scalar::from_u64(id);
}

// λ_i(x) = Π_{j≠i} (x - x_j) / (x_i - x_j) for every i in `set`, in the order of `set`.
// One inversion for the whole set.
template <PrimeOrderGroup G>
Result<std::vector<typename G::Scalar>> lagrange_coefficients(std::span<const PartyId> set,
                                                              const typename G::Scalar& x = typename G::Scalar{}) {
  using S = typename G::Scalar;
  TSIGN_CHECK(validate_identifiers(set));
  if (set.empty()) return make_error(ErrorKind::InvalidInput, "Lagrange coefficients of an empty set");
  const std::size_t m = set.size();
  std::vector<S> xs(m), num(m, S::one()), den(m, S::one());
  for (std::size_t i = 0; i < m; ++i) xs[i] = identifier_scalar<G>(set[i]);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      if (i == j) continue;
      num[i] *= x - xs[j];
      den[i] *= xs[i] - xs[j];
    }
  }
  // Montgomery's batch inversion: invert the product of all denominators once.
  std::vector<S> prefix(m);
  S acc = S::one();
  for (std::size_t i = 0; i < m; ++i) {
    prefix[i] = acc;
    acc *= den[i];
  }
  S inv = acc.invert();
  std::vector<S> out(m);
  for (std::size_t i = m; i-- > 0;) {
    out[i] = num[i] * inv * prefix[i];
    inv *= den[i];
  }
  return out;
}

// λ_i(x) for one member `i` of `set`.
template <PrimeOrderGroup G>
Result<typename G::Scalar> lagrange_coefficient(PartyId i, std::span<const PartyId> set,
                                                const typename G::Scalar& x = typename G::Scalar{}) {
  using S = typename G::Scalar;
  TSIGN_CHECK(validate_identifiers(set));
  if (std::find(set.begin(), set.end(), i) == set.end()) {
    return make_error(ErrorKind::InvalidInput, "party " + std::to_string(i) + " is not in the interpolation set", {i});
  }
  const S xi = identifier_scalar<G>(i);
  S num = S::one(), den = S::one();
  for (PartyId j : set) {
    if (j == i) continue;
    const S xj = identifier_scalar<G>(j);
    num *= x - xj;
    den *= xi - xj;
  }
  return num * den.invert();
}

}  // namespace tsign
