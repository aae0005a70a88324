#pragma once
// What generic protocol code needs of a group (Secp256k1 or Ed25519).
#include <concepts>

#include "tsign/math/ed25519.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign {

template <class G>
concept PrimeOrderGroup = requires(const typename G::Scalar& s, const typename G::Point& p, ByteSpan b) {
  { G::Scalar::from_u64(1) } -> std::same_as<typename G::Scalar>;
  { G::Scalar::from_bytes(b) } -> std::same_as<Result<typename G::Scalar>>;
  { s.invert() } -> std::same_as<typename G::Scalar>;
  { G::Point::base_mul(s) } -> std::same_as<typename G::Point>;
  { p.mul_vartime(s) } -> std::same_as<typename G::Point>;
  { p + p } -> std::same_as<typename G::Point>;
  { G::Point::from_bytes(b, true) } -> std::same_as<Result<typename G::Point>>;
  { G::kName } -> std::convertible_to<std::string_view>;
};

static_assert(PrimeOrderGroup<Secp256k1>);
static_assert(PrimeOrderGroup<Ed25519>);

}  // namespace tsign
