#include "tsign/net/broadcast_keys.hpp"

#include "tsign/core/codec.hpp"
#include "tsign/net/envelope.hpp"

namespace tsign {

namespace {
constexpr std::string_view kStatementDomain = "tsign/broadcast/v1";
constexpr std::string_view kProofMagic = "TSEQ";
constexpr std::uint8_t kProofVersion = 1;
}  // namespace

Digest32 broadcast_payload_hash(ByteSpan payload) {
  Sha256 h = tagged_hasher("tsign/net/broadcast-payload");
  h.update(payload);
  return h.finish();
}

Bytes broadcast_statement(const SessionId& session, std::string_view protocol, std::uint32_t round, PartyId sender,
                          const Digest32& payload_hash) {
  Writer w;
  w.raw(as_bytes(kStatementDomain)).u8(0).raw(session).str(protocol).u32(round).u32(sender).raw(payload_hash);
  return std::move(w).take();
}

Bytes encode_equivocation_proof(const EquivocationProof& p) {
  Writer w;
  w.raw(as_bytes(kProofMagic))
      .u8(kProofVersion)
      .raw(p.session)
      .str(p.protocol)
      .u32(p.round)
      .u32(p.sender)
      .raw(p.first_hash)
      .raw(p.first_signature)
      .raw(p.second_hash)
      .raw(p.second_signature);
  return std::move(w).take();
}

Result<EquivocationProof> decode_equivocation_proof(ByteSpan data) {
  Reader r(data, "equivocation proof");
  TSIGN_TRY(ByteSpan magic, r.raw(kProofMagic.size()));
  if (!std::equal(magic.begin(), magic.end(), kProofMagic.begin(), kProofMagic.end(),
                  [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); })) {
    return r.fail("not an equivocation proof");
  }
  TSIGN_TRY(std::uint8_t version, r.u8());
  if (version != kProofVersion) return r.fail("unsupported version " + std::to_string(version));
  EquivocationProof p;
  TSIGN_TRY(p.session, r.array<32>());
  TSIGN_TRY(p.protocol, r.str(kMaxProtocolNameLength));
  if (!valid_protocol_name(p.protocol)) return r.fail("protocol name is empty or not printable ASCII");
  TSIGN_TRY(p.round, r.u32());
  TSIGN_TRY(p.sender, r.u32());
  if (p.sender == 0) return r.fail("sender id 0");
  TSIGN_TRY(p.first_hash, r.array<32>());
  TSIGN_TRY(p.first_signature, r.array<64>());
  TSIGN_TRY(p.second_hash, r.array<32>());
  TSIGN_TRY(p.second_signature, r.array<64>());
  if (p.first_hash == p.second_hash) return r.fail("both statements sign the same payload");
  TSIGN_CHECK(r.finish());
  return p;
}

Status verify_equivocation_proof(const EquivocationProof& p, const ByteArray<32>& sender_key) {
  if (p.first_hash == p.second_hash) {
    return make_error(ErrorKind::InvalidInput, "equivocation proof: both statements sign the same payload");
  }
  for (const auto& [hash, signature] : {std::pair{p.first_hash, p.first_signature}, std::pair{p.second_hash, p.second_signature}}) {
    if (!verify_identity_signature(sender_key, broadcast_statement(p.session, p.protocol, p.round, p.sender, hash), signature)) {
      return make_error(ErrorKind::InvalidInput,
                        "equivocation proof: a statement is not signed by party " + std::to_string(p.sender) + "'s key");
    }
  }
  return {};
}

}  // namespace tsign
