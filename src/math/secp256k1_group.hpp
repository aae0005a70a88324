#pragma once
// secp256k1 points (y² = x³ + 7 over secp256k1_field.hpp) in affine and Jacobian coordinates,
// for the fixed-base multiplications of secp256k1_comb.hpp. The formulas are the constant-time
// textbook ones without special cases: callers guarantee that no operand is the identity and
// that an addition never meets P + P or P + (−P), which for secret uniform scalars happens
// with negligible probability and otherwise shows up as a zero denominator (see to_affine and
// add_batch).
// Internal to the library.
#include <secp256k1.h>

#include <cstdint>
#include <span>

#include "secp256k1_field.hpp"

namespace tsign::secp256k1_p {

struct Affine {
  Fe x, y;
};

// (X/Z², Y/Z³).
struct Jacobian {
  Fe x, y, z;
};

inline Jacobian to_jacobian(const Affine& a) { return {a.x, a.y, Fe{{1, 0, 0, 0}}}; }

// 2·P ("dbl-2009-l", a = 0).
inline Jacobian twice(const Jacobian& p) {
  const Fe a = sqr(p.x), b = sqr(p.y), c = sqr(b);
  const Fe d = twice(sub(sub(sqr(add(p.x, b)), a), c));
  const Fe e = add(twice(a), a), f = sqr(e);
  Jacobian r;
  r.x = sub(f, twice(d));
  const Fe c8 = twice(twice(twice(c)));
  r.y = sub(mul(e, sub(d, r.x)), c8);
  r.z = twice(mul(p.y, p.z));
  return r;
}

// P + Q for Jacobian P and Q, P ≠ ±Q.
inline Jacobian add(const Jacobian& p, const Jacobian& q) {
  const Fe pzz = sqr(p.z), qzz = sqr(q.z);
  const Fe u1 = mul(p.x, qzz), u2 = mul(q.x, pzz);
  const Fe s1 = mul(p.y, mul(q.z, qzz)), s2 = mul(q.y, mul(p.z, pzz));
  const Fe h = sub(u2, u1), r = sub(s2, s1);
  const Fe hh = sqr(h), hhh = mul(h, hh), v = mul(u1, hh);
  Jacobian out;
  out.x = sub(sub(sqr(r), hhh), twice(v));
  out.y = sub(mul(r, sub(v, out.x)), mul(s1, hhh));
  out.z = mul(mul(p.z, q.z), h);
  return out;
}

inline Affine negate(const Affine& a) { return {a.x, secp256k1_p::negate(a.y)}; }

inline void assign_if(Jacobian& r, const Jacobian& a, std::uint64_t mask) {
  assign_if(r.x, a.x, mask);
  assign_if(r.y, a.y, mask);
  assign_if(r.z, a.z, mask);
}

inline void assign_if(Affine& r, const Affine& a, std::uint64_t mask) {
  assign_if(r.x, a.x, mask);
  assign_if(r.y, a.y, mask);
}

// Affine coordinates of every point with one field inversion (Montgomery's trick). False when
// some Z is zero, a case the callers' scalars reach with negligible probability: the verdict is
// a public fact, but `out` is then meaningless. `out` and `in` have the same size and may not
// overlap.
bool to_affine(std::span<const Jacobian> in, std::span<Affine> out);

// acc_i += addends_i for every i, in affine coordinates with one field inversion for the whole
// batch (Montgomery's trick): two multiplications and a squaring per point, plus three for the
// shared inversion, where a Jacobian mixed addition takes eleven. scratch holds two field
// elements per point. Returns all ones, leaving acc meaningless, when some acc_i = ±addends_i;
// the callers reach that with negligible probability.
std::uint64_t add_batch(std::span<Affine> acc, std::span<const Affine> addends, std::span<Fe> scratch);

// Coordinates of a public point parsed by libsecp256k1.
Affine from_pubkey(const secp256k1_pubkey& p);

// SEC1: 33-byte compressed or 65-byte uncompressed.
void serialize_compressed(const Affine& a, std::uint8_t out[33]);
void serialize_uncompressed(const Affine& a, std::uint8_t out[65]);
// The coordinates of a 65-byte uncompressed encoding that libsecp256k1 produced (not checked).
Affine parse_uncompressed(const std::uint8_t in[65]);

}  // namespace tsign::secp256k1_p
