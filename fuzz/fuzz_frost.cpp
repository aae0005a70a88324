// FROST decoders for every suite: commitments, signing packages, signature shares, signatures,
// key packages and public key packages. Hostile bytes never crash, and whatever decodes
// re-encodes to exactly the same bytes (every accepted encoding is the canonical one).
#include <algorithm>
#include <cstdlib>

#include "tsign/frost/frost.hpp"

namespace {

template <class Bytesish>
void require_same(const Bytesish& encoded, tsign::ByteSpan data) {
  if (encoded.size() != data.size() || !std::equal(encoded.begin(), encoded.end(), data.begin())) std::abort();
}

template <class C>
void decode_all(tsign::ByteSpan data) {
  using namespace tsign::frost;
  if (auto c = SigningCommitments<C>::decode(data); c.ok()) require_same(c->encode(), data);
  if (auto p = SigningPackage<C>::decode(data); p.ok()) require_same(p->encode(), data);
  if (auto s = SignatureShare<C>::decode(data); s.ok()) require_same(s->encode(), data);
  if (auto s = Signature<C>::from_bytes(data); s.ok()) require_same(s->to_bytes(), data);
  if (auto k = KeyPackage<C>::decode(data); k.ok()) require_same(k->encode().expose(), data);
  if (auto k = PublicKeyPackage<C>::decode(data); k.ok()) require_same(k->encode(), data);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tsign::ByteSpan bytes(data, size);
  decode_all<tsign::FrostSecp256k1>(bytes);
  decode_all<tsign::FrostSecp256k1Tr>(bytes);
  decode_all<tsign::FrostEd25519>(bytes);
  return 0;
}
