#include "tsign/frost/signature.hpp"

#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sodium.h>

#include <algorithm>

#include "internals.hpp"
#include "core/sodium_init.hpp"

namespace tsign::frost {

namespace {
constexpr std::string_view kShareMagic = "FRSS";
}

template <FrostCiphersuite C>
Bytes SignatureShare<C>::encode() const {
  Writer w;
  detail::write_header(w, kShareMagic, C::kName);
  w.u32(identifier).raw(share.to_bytes());
  return std::move(w).take();
}

template <FrostCiphersuite C>
Result<SignatureShare<C>> SignatureShare<C>::decode(ByteSpan bytes) {
  Reader r(bytes, "FROST signature share");
  TSIGN_CHECK(detail::read_header(r, kShareMagic, C::kName));
  SignatureShare out;
  TSIGN_TRY(out.identifier, r.u32());
  if (out.identifier == 0) return r.fail("signer identifier is zero");
  TSIGN_TRY(out.share, detail::read_scalar<C>(r, "share of party " + std::to_string(out.identifier)));
  TSIGN_CHECK(r.finish());
  return out;
}

template <FrostCiphersuite C>
auto Signature<C>::to_bytes() const -> ByteArray<kSize> {
  ByteArray<kSize> out{};
  auto z_bytes = z.to_bytes();
  if constexpr (C::kTaproot) {
    auto x = R.x_only();
    std::copy(x.begin(), x.end(), out.begin());
  } else {
    auto r = R.to_bytes();
    std::copy(r.begin(), r.end(), out.begin());
  }
  std::copy(z_bytes.begin(), z_bytes.end(), out.end() - z_bytes.size());
  return out;
}

template <FrostCiphersuite C>
Result<Signature<C>> Signature<C>::from_bytes(ByteSpan bytes) {
  Reader r(bytes, "FROST signature");
  if (bytes.size() != kSize) return r.fail("must be " + std::to_string(kSize) + " bytes");
  Signature out;
  if constexpr (C::kTaproot) {
    TSIGN_TRY(ByteSpan x, r.raw(32));
    auto point = Point::from_x_only(x);
    if (!point.ok()) return r.fail("R: " + point.error().message);
    out.R = std::move(point).value();
  } else {
    TSIGN_TRY(out.R, detail::read_point<C>(r, "R"));
  }
  TSIGN_TRY(out.z, detail::read_scalar<C>(r, "z"));
  TSIGN_CHECK(r.finish());
  return out;
}

template <FrostCiphersuite C>
bool verify_signature_rfc(ByteSpan message, const Signature<C>& signature, const typename C::Point& public_key) {
  using Point = typename C::Point;
  if (public_key.is_identity() || signature.R.is_identity()) return false;
  Point key = public_key;
  Point R = signature.R;
  if constexpr (C::kTaproot) {
    if (!key.has_even_y()) key = -key;
    if (!R.has_even_y()) R = -R;
  }
  const auto c = detail::challenge<C>(R, key, message);
  return Point::base_mul(signature.z) == R + key.mul_vartime(c);
}

template <FrostCiphersuite C>
bool verify_signature(ByteSpan message, const Signature<C>& signature, const typename C::Point& public_key) {
  if (public_key.is_identity() || signature.R.is_identity()) return false;
  if constexpr (C::kTaproot) {
    secp256k1_xonly_pubkey xonly;
    const auto x = public_key.x_only();
    if (secp256k1_xonly_pubkey_parse(secp256k1_ctx(), &xonly, x.data()) != 1) return false;
    const auto sig = signature.to_bytes();
    return secp256k1_schnorrsig_verify(secp256k1_ctx(), sig.data(), message.data(), message.size(), &xonly) == 1;
  } else if constexpr (std::is_same_v<typename C::Group, Ed25519>) {
    ensure_sodium();
    const auto sig = signature.to_bytes();
    const auto pk = public_key.to_bytes();
    return crypto_sign_verify_detached(sig.data(), message.data(), message.size(), pk.data()) == 0;
  } else {
    return verify_signature_rfc<C>(message, signature, public_key);
  }
}

#define TSIGN_INSTANTIATE(C)                                                                       \
  template struct SignatureShare<C>;                                                               \
  template struct Signature<C>;                                                                    \
  template bool verify_signature_rfc<C>(ByteSpan, const Signature<C>&, const C::Point&);           \
  template bool verify_signature<C>(ByteSpan, const Signature<C>&, const C::Point&);
TSIGN_FROST_FOR_EACH_SUITE(TSIGN_INSTANTIATE)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost
