#pragma once
// A signer's public round-1 output: commitments D = d·G and E = e·G to its hiding and binding
// nonces. Everything here is public; the nonces themselves live in SigningNonces.
#include "tsign/core/codec.hpp"
#include "tsign/frost/ciphersuite.hpp"

namespace tsign::frost {

template <FrostCiphersuite C>
struct SigningCommitments {
  using Point = typename C::Point;

  PartyId identifier = 0;
  Point hiding;   // D
  Point binding;  // E

  bool operator==(const SigningCommitments&) const = default;

  // id (u32) ‖ D ‖ E: the form used inside a signing package.
  void encode_body(Writer& w) const;
  // Strict: non-zero identifier, canonical points, neither of them the identity.
  static Result<SigningCommitments> decode_body(Reader& r);

  // Stand-alone message (what a signer broadcasts in round 1), with a header naming the suite.
  Bytes encode() const;
  static Result<SigningCommitments> decode(ByteSpan bytes);
};

}  // namespace tsign::frost
