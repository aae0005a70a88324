#pragma once
// The all-but-one OT of SoftSpoken, built from k base OTs with a GGM tree of depth k.
// The tree holder (OT-extension receiver) knows all 2^k leaves of a chunk. For each level l it
// publishes the XOR of the level's left children and of its right children, each masked with one
// key of base OT l. The other party, whose base-OT choice at level l is the complement of bit l
// of its secret δ, unmasks the sums on the side away from δ and rebuilds every leaf but leaf δ.
// Leaf index x has the level-l branch in bit l.
#include <cstdint>

#include "tsign/ot/params.hpp"

namespace tsign::ot::detail {

using Seed = std::uint8_t[32];

// leaves[x] for x < 2^k; sums[l][b] = XOR of the level-l nodes whose branch bit l is b.
void ggm_expand(const Seed root, Seed leaves[kLeaves], Seed sums[kSoftSpokenK][2]);

// From the sums on the side away from δ (known[l] = sums[l][1 - bit l of δ]), the leaves at
// relative positions: rel[y] = leaves[y XOR δ] for 1 <= y < 2^k (rel[0] is left zero).
// Constant time in δ.
void ggm_puncture(unsigned delta, const Seed known[kSoftSpokenK], Seed rel[kLeaves]);

}  // namespace tsign::ot::detail
