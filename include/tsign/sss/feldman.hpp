#pragma once
// Feldman verifiable secret sharing: public commitments C_k = a_k·G to a polynomial's
// coefficients let each holder check its share s = f(x) as s·G == Σ x^k·C_k.
#include <span>
#include <string>
#include <vector>

#include "tsign/core/codec.hpp"
#include "tsign/sss/lagrange.hpp"
#include "tsign/sss/polynomial.hpp"

namespace tsign {

template <PrimeOrderGroup G>
class FeldmanCommitment {
 public:
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;
  static constexpr std::uint32_t kMaxThreshold = 10000;

  FeldmanCommitment() = default;
  explicit FeldmanCommitment(std::vector<Point> coefficients) : coeffs_(std::move(coefficients)) {}

  static FeldmanCommitment of(const Polynomial<G>& poly) {
    std::vector<Point> c;
    c.reserve(poly.coefficients().size());
    for (const auto& a : poly.coefficients()) c.push_back(Point::base_mul(a));
    return FeldmanCommitment(std::move(c));
  }

  // Σ x^k·C_k: the public image of the share at x (a verifying share); x is public (a party's
  // identifier), the products are variable time.
  Point evaluate(const Scalar& x) const {
    std::vector<Point> terms;
    terms.reserve(coeffs_.size());
    Scalar power = Scalar::one();
    for (const auto& c : coeffs_) {
      terms.push_back(c.mul_vartime(power));
      power *= x;
    }
    return Point::sum(terms);
  }
  Point evaluate(PartyId id) const { return evaluate(identifier_scalar<G>(id)); }

  const std::vector<Point>& coefficients() const { return coeffs_; }
  const Point& constant() const { return coeffs_.front(); }
  std::uint32_t threshold() const { return static_cast<std::uint32_t>(coeffs_.size()); }

  // Coefficient-wise sum (the commitment to the sum of the polynomials).
  static FeldmanCommitment sum(std::span<const FeldmanCommitment> parts) {
    if (parts.empty()) return {};
    std::vector<Point> out(parts.front().coeffs_.size());
    std::vector<Point> column(parts.size());
    for (std::size_t k = 0; k < out.size(); ++k) {
      for (std::size_t j = 0; j < parts.size(); ++j) column[j] = parts[j].coeffs_.at(k);
      out[k] = Point::sum(column);
    }
    return FeldmanCommitment(std::move(out));
  }

  void encode(Writer& w) const {
    w.u32(threshold());
    for (const auto& c : coeffs_) w.raw(c.to_bytes());
  }
  Bytes encode() const {
    Writer w;
    encode(w);
    return std::move(w).take();
  }
  // Strict: exactly `expected_threshold` canonical points. Only the constant term may be the
  // identity, and only when allowed (refresh polynomials have a zero constant); the other
  // coefficients are random, so an identity there marks a malformed or malicious commitment.
  static Result<FeldmanCommitment> decode(Reader& r, std::uint32_t expected_threshold, bool allow_identity_constant = false) {
    TSIGN_TRY(std::uint32_t t, r.count(kMaxThreshold));
    if (t != expected_threshold) {
      return r.fail("commitment has " + std::to_string(t) + " coefficients, expected " + std::to_string(expected_threshold));
    }
    std::vector<Point> c;
    c.reserve(t);
    for (std::uint32_t k = 0; k < t; ++k) {
      TSIGN_TRY(ByteSpan b, r.raw(G::kPointSize));
      auto p = Point::from_bytes(b, k == 0 && allow_identity_constant);
      if (!p.ok()) return r.fail("coefficient " + std::to_string(k) + ": " + p.error().message);
      c.push_back(std::move(p).value());
    }
    return FeldmanCommitment(std::move(c));
  }

 private:
  std::vector<Point> coeffs_;
};

// One dealer's share for one recipient, with the dealer's commitment.
template <PrimeOrderGroup G>
struct DealtShare {
  PartyId dealer = 0;
  typename G::Scalar value;
  const FeldmanCommitment<G>* commitment = nullptr;
};

// Checks value·G == commitment(recipient); a failure names the dealer.
template <PrimeOrderGroup G>
Status feldman_verify(PartyId recipient, const DealtShare<G>& share) {
  if (share.commitment == nullptr || share.commitment->threshold() == 0) {
    return make_error(ErrorKind::ProtocolAborted, "dealer " + std::to_string(share.dealer) + " sent no commitment",
                      {share.dealer});
  }
  if (!(G::Point::base_mul(share.value) == share.commitment->evaluate(recipient))) {
    return make_error(ErrorKind::ProtocolAborted,
                      "share from dealer " + std::to_string(share.dealer) + " to party " + std::to_string(recipient) +
                          " does not match the dealer's commitment",
                      {share.dealer});
  }
  return {};
}

// Verifies many dealers' shares to one recipient with one check of their sum:
// (Σ s_j)·G == Σ_k x^k·(Σ_j C_{j,k}), costing t point multiplications instead of n·t. The sum is
// exactly what the recipient's combined share and every verifying share are built from. When the
// sum fails, each share is checked on its own and every bad dealer is named.
template <PrimeOrderGroup G>
Status feldman_verify_batch(PartyId recipient, std::span<const DealtShare<G>> shares) {
  if (shares.empty()) return {};
  std::vector<PartyId> bad_shape;
  const std::uint32_t t = shares.front().commitment ? shares.front().commitment->threshold() : 0;
  for (const auto& s : shares) {
    if (s.commitment == nullptr || s.commitment->threshold() != t || t == 0) bad_shape.push_back(s.dealer);
  }
  if (!bad_shape.empty()) {
    return make_error(ErrorKind::ProtocolAborted, "commitments of differing or empty length", bad_shape);
  }
  typename G::Scalar total;
  std::vector<FeldmanCommitment<G>> commitments;
  commitments.reserve(shares.size());
  for (const auto& s : shares) {
    total += s.value;
    commitments.push_back(*s.commitment);
  }
  if (G::Point::base_mul(total) == FeldmanCommitment<G>::sum(commitments).evaluate(recipient)) return {};

  std::vector<PartyId> culprits;
  for (const auto& s : shares) {
    if (!feldman_verify<G>(recipient, s).ok()) culprits.push_back(s.dealer);
  }
  if (culprits.empty()) {
    return make_error(ErrorKind::Internal, "batch Feldman check failed but every share verified alone");
  }
  return make_error(ErrorKind::ProtocolAborted,
                    "shares to party " + std::to_string(recipient) + " do not match their dealers' commitments",
                    culprits);
}

}  // namespace tsign
