// Presignature::encode / decode: "TSPS" | version u16 = 2 | id (32) | key id (32) | epoch u64 | self u32 | signers: count u32,
// u32 each | path: count u32, u32 each | public key (33) | R (33) | φ_i, u_i, v_i (32 each).
#include "presignature_access.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/core/secret_sink.hpp"

namespace tsign {

namespace {

constexpr char kMagic[4] = {'T', 'S', 'P', 'S'};
constexpr std::uint16_t kVersion = 2;
constexpr std::uint32_t kMaxPathDepth = 255;

Error invalid(std::string why) { return make_error(ErrorKind::InvalidInput, "presignature: " + std::move(why)); }

}  // namespace

Result<SecretBytes> Presignature::encode(Presignature&& presignature) {
  if (!presignature.usable()) return invalid("already used");
  const auto secrets = ecdsa_internal::PresignatureAccess::take_secrets(presignature);
  const auto& s = secrets.expose();
  const std::size_t size = 4 + 2 + 32 + 32 + 8 + 4 + 4 + 4 * presignature.signers_.size() + 4 + 4 * presignature.path_.size() +
                           33 + 33 + 3 * 32;
  SecretSink sink(size);
  sink.raw(as_bytes(std::string_view(kMagic, 4))).u16(kVersion).raw(presignature.id_).raw(presignature.key_id_);
  sink.u32(static_cast<std::uint32_t>(presignature.epoch_ >> 32)).u32(static_cast<std::uint32_t>(presignature.epoch_));
  sink.u32(presignature.self_);
  sink.u32(static_cast<std::uint32_t>(presignature.signers_.size()));
  for (PartyId p : presignature.signers_) sink.u32(p);
  sink.u32(static_cast<std::uint32_t>(presignature.path_.size()));
  for (std::uint32_t i : presignature.path_) sink.u32(i);
  sink.raw(presignature.public_key_.to_bytes()).raw(presignature.nonce_point_.to_bytes());
  for (const Secp256k1Scalar* k : {&s.phi, &s.u, &s.v}) {
    auto bytes = k->to_bytes();
    sink.raw(bytes);
    detail::secure_wipe(bytes.data(), bytes.size());
  }
  return std::move(sink).take();
}

Result<Presignature> Presignature::decode(ByteSpan bytes) {
  Reader r(bytes, "presignature");
  TSIGN_TRY(ByteSpan magic, r.raw(4));
  if (!ct_equal(magic, as_bytes(std::string_view(kMagic, 4)))) return invalid("bad magic");
  TSIGN_TRY(std::uint16_t version, r.u16());
  if (version != kVersion) return invalid("unsupported version " + std::to_string(version));
  TSIGN_TRY(Digest32 id, r.array<32>());
  TSIGN_TRY(KeyId key_id, r.array<32>());
  TSIGN_TRY(std::uint64_t epoch, r.u64());
  TSIGN_TRY(PartyId self, r.u32());
  TSIGN_TRY(std::uint32_t signer_count, r.count(KeyShare<Secp256k1>::kMaxParties));
  std::vector<PartyId> signers;
  for (std::uint32_t i = 0; i < signer_count; ++i) {
    TSIGN_TRY(PartyId p, r.u32());
    if (p == 0 || (!signers.empty() && p <= signers.back())) return invalid("signers must be ascending and distinct");
    signers.push_back(p);
  }
  if (signers.size() < 2 || !std::binary_search(signers.begin(), signers.end(), self)) {
    return invalid("the signers must be at least two and include this party");
  }
  TSIGN_TRY(std::uint32_t depth, r.count(kMaxPathDepth));
  std::vector<std::uint32_t> path;
  for (std::uint32_t i = 0; i < depth; ++i) {
    TSIGN_TRY(std::uint32_t index, r.u32());
    if (index >= 0x80000000u) return invalid("hardened path index");
    path.push_back(index);
  }
  TSIGN_TRY(ByteSpan pk, r.raw(33));
  TSIGN_TRY(Secp256k1Point public_key, Secp256k1Point::from_bytes(pk));
  TSIGN_TRY(ByteSpan nonce, r.raw(33));
  TSIGN_TRY(Secp256k1Point nonce_point, Secp256k1Point::from_bytes(nonce));
  TSIGN_TRY(ByteSpan phi_bytes, r.raw(32));
  TSIGN_TRY(ByteSpan u_bytes, r.raw(32));
  TSIGN_TRY(ByteSpan v_bytes, r.raw(32));
  TSIGN_CHECK(r.finish());
  TSIGN_TRY(Secp256k1Scalar phi, Secp256k1Scalar::from_bytes(phi_bytes));
  TSIGN_TRY(Secp256k1Scalar u, Secp256k1Scalar::from_bytes(u_bytes));
  TSIGN_TRY(Secp256k1Scalar v, Secp256k1Scalar::from_bytes(v_bytes));
  return ecdsa_internal::PresignatureAccess::make(id, key_id, epoch, self, std::move(signers), std::move(path), public_key, nonce_point,
                                                  phi, u, v);
}

}  // namespace tsign
