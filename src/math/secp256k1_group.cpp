#include "math/secp256k1_group.hpp"

#include <cassert>

#include "core/declassify.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign::secp256k1_p {

bool to_affine(std::span<const Jacobian> in, std::span<Affine> out) {
  assert(in.size() == out.size());
  if (in.empty()) return true;
  // out[i].x holds z_0·…·z_i until step i of the backward pass replaces it.
  out[0].x = in[0].z;
  for (std::size_t i = 1; i < in.size(); ++i) out[i].x = mul(out[i - 1].x, in[i].z);
  if (detail::declassified(zero_mask(out.back().x)) != 0) return false;
  Fe inv = inverse(out.back().x);  // (z_0·…·z_i)^-1 at step i
  for (std::size_t i = in.size(); i-- > 0;) {
    Fe z_inv = inv;
    if (i > 0) {
      z_inv = mul(inv, out[i - 1].x);
      inv = mul(inv, in[i].z);
    }
    const Fe z_inv2 = sqr(z_inv);
    out[i].x = normalized(mul(in[i].x, z_inv2));
    out[i].y = normalized(mul(in[i].y, mul(z_inv2, z_inv)));
  }
  return true;
}

std::uint64_t add_batch(std::span<Affine> acc, std::span<const Affine> addends, std::span<Fe> scratch) {
  const std::size_t n = acc.size();
  assert(addends.size() == n && scratch.size() >= 2 * n);
  if (n == 0) return 0;
  // dx_i = x(addend_i) − x(acc_i) and the prefix products dx_0·…·dx_i.
  const auto dx = scratch.first(n), prefix = scratch.subspan(n, n);
  for (std::size_t i = 0; i < n; ++i) {
    dx[i] = sub(addends[i].x, acc[i].x);
    prefix[i] = i == 0 ? dx[i] : mul(prefix[i - 1], dx[i]);
  }
  const std::uint64_t failed = zero_mask(prefix[n - 1]);
  Fe inv = inverse(prefix[n - 1]);  // (dx_0·…·dx_i)^-1 at step i
  for (std::size_t i = n; i-- > 0;) {
    Fe dx_inv = inv;
    if (i > 0) {
      dx_inv = mul(inv, prefix[i - 1]);
      inv = mul(inv, dx[i]);
    }
    const Fe slope = mul(sub(addends[i].y, acc[i].y), dx_inv);
    const Fe x = sub(sub(sqr(slope), acc[i].x), addends[i].x);
    acc[i].y = sub(mul(slope, sub(acc[i].x, x)), acc[i].y);
    acc[i].x = x;
  }
  return failed;
}

Affine from_pubkey(const secp256k1_pubkey& p) {
  std::uint8_t encoded[65];
  std::size_t size = sizeof encoded;
  secp256k1_ec_pubkey_serialize(secp256k1_ctx(), encoded, &size, &p, SECP256K1_EC_UNCOMPRESSED);
  return parse_uncompressed(encoded);
}

Affine parse_uncompressed(const std::uint8_t in[65]) { return {from_be(in + 1), from_be(in + 33)}; }

void serialize_compressed(const Affine& a, std::uint8_t out[33]) {
  const Fe y = normalized(a.y);
  out[0] = static_cast<std::uint8_t>(0x02 | (y.v[0] & 1));
  to_be(a.x, out + 1);
}

void serialize_uncompressed(const Affine& a, std::uint8_t out[65]) {
  out[0] = 0x04;
  to_be(a.x, out + 1);
  to_be(a.y, out + 33);
}

}  // namespace tsign::secp256k1_p
