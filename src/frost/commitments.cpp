#include "tsign/frost/commitments.hpp"

#include "internals.hpp"

namespace tsign::frost {

namespace {
constexpr std::string_view kMagic = "FRCM";
}

template <FrostCiphersuite C>
void SigningCommitments<C>::encode_body(Writer& w) const {
  w.u32(identifier).raw(hiding.to_bytes()).raw(binding.to_bytes());
}

template <FrostCiphersuite C>
Result<SigningCommitments<C>> SigningCommitments<C>::decode_body(Reader& r) {
  SigningCommitments out;
  TSIGN_TRY(out.identifier, r.u32());
  if (out.identifier == 0) return r.fail("signer identifier is zero");
  const std::string who = "commitment of party " + std::to_string(out.identifier);
  TSIGN_TRY(out.hiding, detail::read_point<C>(r, who + " (hiding)"));
  TSIGN_TRY(out.binding, detail::read_point<C>(r, who + " (binding)"));
  return out;
}

template <FrostCiphersuite C>
Bytes SigningCommitments<C>::encode() const {
  Writer w;
  detail::write_header(w, kMagic, C::kName);
  encode_body(w);
  return std::move(w).take();
}

template <FrostCiphersuite C>
Result<SigningCommitments<C>> SigningCommitments<C>::decode(ByteSpan bytes) {
  Reader r(bytes, "FROST signing commitments");
  TSIGN_CHECK(detail::read_header(r, kMagic, C::kName));
  TSIGN_TRY(auto out, decode_body(r));
  TSIGN_CHECK(r.finish());
  return out;
}

#define TSIGN_INSTANTIATE(C) template struct SigningCommitments<C>;
TSIGN_FROST_FOR_EACH_SUITE(TSIGN_INSTANTIATE)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost
