#pragma once
// secp256k1 points drawn from a hash or from fresh randomness: the base OT's random oracle onto
// the group and its receiver's uniform points. Internal to src/ot.
//
// Both try x-coordinates until one lies on the curve (half of them do), taking the sign of y
// from the same bytes, which makes the point uniform. The number of tries depends on the input,
// so both run on public values only; hence _vartime. libsecp256k1 has no hash-to-curve, and a
// constant-time map (RFC 9380) would cost several exponentiations where a try costs one square
// root; the base OT keeps the count of tries independent of its secrets instead (base_ot.hpp).
#include <cstddef>

#include "math/secp256k1_group.hpp"
#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"

namespace tsign::ot::detail {

// H(session, index, encoding) ∈ secp256k1 \ {O}, with no known discrete logarithm. encoding is
// a public point's SEC1 bytes.
secp256k1_p::Affine hash_to_point_vartime(const Digest32& session, std::size_t index, ByteSpan encoding);

// A uniform point, published by the caller: only the accepted try is kept, and the count of
// rejected ones, independent of it, is all the timing shows.
secp256k1_p::Affine random_point_vartime();

}  // namespace tsign::ot::detail
