#include "ot/hash_to_point.hpp"

#include <secp256k1.h>

#include "primitives.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign::ot::detail {

namespace {

// The point with x-coordinate bytes[1..33) and y of the parity of bytes[0]'s low bit, if x is
// a canonical coordinate on the curve. bytes is public.
bool try_point(ByteArray<33>& bytes, secp256k1_p::Affine& out) {
  bytes[0] = static_cast<std::uint8_t>(0x02 | (bytes[0] & 1));
  secp256k1_pubkey parsed;
  if (!secp256k1_ec_pubkey_parse(secp256k1_ctx(), &parsed, bytes.data(), bytes.size())) return false;
  out = secp256k1_p::from_pubkey(parsed);
  return true;
}

}  // namespace

secp256k1_p::Affine hash_to_point_vartime(const Digest32& session, std::size_t index, ByteSpan encoding) {
  secp256k1_p::Affine out;
  ByteArray<33> candidate;
  for (std::uint32_t attempt = 0;; ++attempt) {
    KeyedHash h(session, "base OT hash to point", candidate.size());
    h.update_u32(static_cast<std::uint32_t>(index)).update(encoding).update_u32(attempt);
    h.finish(candidate);
    if (try_point(candidate, out)) return out;
  }
}

secp256k1_p::Affine random_point_vartime() {
  secp256k1_p::Affine out;
  ByteArray<33> candidate;
  do {
    random_fill(candidate);
    publish(candidate);  // the point goes on the wire; a rejected try is discarded
  } while (!try_point(candidate, out));
  return out;
}

}  // namespace tsign::ot::detail
