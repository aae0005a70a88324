#pragma once
// Polynomials over a group's scalar field. Coefficients are secret: each scalar wipes itself.
#include <cstddef>
#include <vector>

#include "tsign/math/group.hpp"

namespace tsign {

template <PrimeOrderGroup G>
class Polynomial {
 public:
  using Scalar = typename G::Scalar;

  explicit Polynomial(std::vector<Scalar> coefficients) : coeffs_(std::move(coefficients)) {}

  // A uniformly random polynomial of the given degree with a chosen constant term.
  static Polynomial random(std::size_t degree, const Scalar& constant) {
    std::vector<Scalar> c(degree + 1);
    c[0] = constant;
    for (std::size_t k = 1; k <= degree; ++k) c[k] = Scalar::random();
    return Polynomial(std::move(c));
  }

  Scalar evaluate(const Scalar& x) const {
    Scalar acc;
    for (std::size_t k = coeffs_.size(); k-- > 0;) acc = acc * x + coeffs_[k];
    return acc;
  }

  const std::vector<Scalar>& coefficients() const { return coeffs_; }
  const Scalar& constant() const { return coeffs_.front(); }
  std::size_t degree() const { return coeffs_.size() - 1; }

 private:
  std::vector<Scalar> coeffs_;
};

}  // namespace tsign
