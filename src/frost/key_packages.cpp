#include "tsign/frost/key_packages.hpp"

#include "internals.hpp"
#include "tsign/keys/key_id.hpp"

namespace tsign::frost {

namespace {
constexpr std::string_view kKeyMagic = "FRKP";
constexpr std::string_view kPublicMagic = "FRPK";
}  // namespace

template <FrostCiphersuite C>
KeyPackage<C> KeyPackage<C>::from_key_share(const KeyShare<typename C::Group>& key) {
  KeyPackage out;
  out.identifier = key.self;
  out.signing_share = key.signing_share.clone();
  auto it = key.verifying_shares.find(key.self);
  if (it != key.verifying_shares.end()) out.verifying_share = it->second;
  out.verifying_key = key.group_public_key;
  out.min_signers = key.threshold;
  return out;
}

template <FrostCiphersuite C>
SecretBytes KeyPackage<C>::encode() const {
  Writer w;
  detail::write_header(w, kKeyMagic, C::kName);
  w.u32(identifier).u32(min_signers);
  auto share = signing_share.expose().to_bytes();
  w.raw(share).raw(verifying_share.to_bytes()).raw(verifying_key.to_bytes());
  Bytes plain = std::move(w).take();
  SecretBytes out = SecretBytes::copy_of(plain);
  tsign::detail::secure_wipe(plain.data(), plain.size());
  tsign::detail::secure_wipe(share.data(), share.size());
  return out;
}

template <FrostCiphersuite C>
Result<KeyPackage<C>> KeyPackage<C>::decode(ByteSpan bytes) {
  Reader r(bytes, "FROST key package");
  TSIGN_CHECK(detail::read_header(r, kKeyMagic, C::kName));
  KeyPackage out;
  TSIGN_TRY(out.identifier, r.u32());
  if (out.identifier == 0) return r.fail("identifier is zero");
  TSIGN_TRY(out.min_signers, r.u32());
  if (out.min_signers == 0 || out.min_signers > KeyShare<typename C::Group>::kMaxParties) {
    return r.fail("min_signers out of range");
  }
  TSIGN_TRY(auto share, detail::read_scalar<C>(r, "signing share"));
  out.signing_share = Secret<Scalar>(std::move(share));
  TSIGN_TRY(out.verifying_share, detail::read_point<C>(r, "verifying share"));
  TSIGN_TRY(out.verifying_key, detail::read_point<C>(r, "verifying key"));
  TSIGN_CHECK(r.finish());
  if (!(Point::base_mul(out.signing_share.expose()) == out.verifying_share)) {
    return make_error(ErrorKind::InvalidKeyShare, "FROST key package: signing share does not match the verifying share");
  }
  return out;
}

template <FrostCiphersuite C>
PublicKeyPackage<C> PublicKeyPackage<C>::from_key_share(const KeyShare<typename C::Group>& key) {
  PublicKeyPackage out;
  out.verifying_shares = key.verifying_shares;
  out.verifying_key = key.group_public_key;
  out.min_signers = key.threshold;
  return out;
}

template <FrostCiphersuite C>
Bytes PublicKeyPackage<C>::encode() const {
  Writer w;
  detail::write_header(w, kPublicMagic, C::kName);
  w.u32(min_signers).u32(static_cast<std::uint32_t>(verifying_shares.size()));
  for (const auto& [id, point] : verifying_shares) w.u32(id).raw(point.to_bytes());  // map order: ascending
  w.raw(verifying_key.to_bytes());
  return std::move(w).take();
}

template <FrostCiphersuite C>
Result<PublicKeyPackage<C>> PublicKeyPackage<C>::decode(ByteSpan bytes) {
  using G = typename C::Group;
  Reader r(bytes, "FROST public key package");
  TSIGN_CHECK(detail::read_header(r, kPublicMagic, C::kName));
  PublicKeyPackage out;
  TSIGN_TRY(out.min_signers, r.u32());
  TSIGN_TRY(std::uint32_t n, r.count(kMaxParties));
  if (out.min_signers == 0 || out.min_signers > n) return r.fail("min_signers out of range");
  PartyId previous = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    TSIGN_TRY(PartyId id, r.u32());
    if (id <= previous) return r.fail("identifiers not strictly ascending (or zero) at " + std::to_string(id));
    previous = id;
    TSIGN_TRY(auto point, detail::read_point<C>(r, "verifying share of party " + std::to_string(id)));
    out.verifying_shares.emplace_hint(out.verifying_shares.end(), id, std::move(point));
  }
  TSIGN_TRY(out.verifying_key, detail::read_point<C>(r, "verifying key"));
  TSIGN_CHECK(r.finish());
  // Any t verifying shares must interpolate to the key; check the first t.
  std::vector<PartyId> first;
  std::vector<Point> images;
  for (const auto& [id, point] : out.verifying_shares) {
    if (first.size() == out.min_signers) break;
    first.push_back(id);
    images.push_back(point);
  }
  TSIGN_TRY(auto lambdas, lagrange_coefficients<G>(first));
  for (std::size_t i = 0; i < images.size(); ++i) images[i] = images[i].mul_vartime(lambdas[i]);
  if (!(Point::sum(images) == out.verifying_key)) {
    return r.fail("verifying shares do not interpolate to the verifying key");
  }
  return out;
}

template <FrostCiphersuite C>
Result<KeyShare<typename C::Group>> key_share_from_packages(const KeyPackage<C>& key, const PublicKeyPackage<C>& pub,
                                                           const ByteArray<32>& chain_code) {
  using G = typename C::Group;
  if (!(key.verifying_key == pub.verifying_key)) {
    return make_error(ErrorKind::InvalidInput, "key package and public key package are for different keys");
  }
  if (key.min_signers != pub.min_signers) {
    return make_error(ErrorKind::InvalidInput, "key package and public key package disagree on the threshold");
  }
  auto it = pub.verifying_shares.find(key.identifier);
  if (it == pub.verifying_shares.end() || !(it->second == key.verifying_share)) {
    return make_error(ErrorKind::InvalidInput, "the public key package does not hold this party's verifying share");
  }
  KeyShare<G> out;
  out.key_id = derive_key_id<G>(pub.verifying_key);
  out.epoch = 0;
  out.self = key.identifier;
  out.threshold = pub.min_signers;
  for (const auto& entry : pub.verifying_shares) out.parties.push_back(entry.first);
  out.signing_share = key.signing_share.clone();
  out.verifying_shares = pub.verifying_shares;
  out.group_public_key = pub.verifying_key;
  out.chain_code = chain_code;
  TSIGN_CHECK(out.validate());
  return out;
}

#define TSIGN_INSTANTIATE(C)                                                                                     \
  template struct KeyPackage<C>;                                                                                 \
  template struct PublicKeyPackage<C>;                                                                           \
  template Result<KeyShare<C::Group>> key_share_from_packages<C>(const KeyPackage<C>&, const PublicKeyPackage<C>&, \
                                                                 const ByteArray<32>&);
TSIGN_FROST_FOR_EACH_SUITE(TSIGN_INSTANTIATE)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost
