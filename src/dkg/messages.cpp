#include "dkg/messages.hpp"

#include <string>

namespace tsign {

namespace {

const char* describe(DkgMessageType type) {
  switch (type) {
    case DkgMessageType::DkgCommit: return "DKG commitment message";
    case DkgMessageType::DkgOpen: return "DKG opening message";
    case DkgMessageType::DkgShare: return "DKG share message";
    case DkgMessageType::DkgConfirm: return "DKG confirmation message";
    case DkgMessageType::RefreshDeal: return "refresh dealing message";
    case DkgMessageType::RefreshShare: return "refresh share message";
    case DkgMessageType::RefreshConfirm: return "refresh confirmation message";
    case DkgMessageType::RefreshAck: return "refresh acknowledgement";
    case DkgMessageType::ReshareDeal: return "resharing dealing message";
    case DkgMessageType::ReshareShare: return "resharing share message";
    case DkgMessageType::ReshareConfirm: return "resharing confirmation message";
    case DkgMessageType::ReshareAck: return "resharing acknowledgement";
    case DkgMessageType::RepairDeal: return "repair dealing message";
    case DkgMessageType::RepairDelta: return "repair delta message";
    case DkgMessageType::RepairEcho: return "repair echo message";
    case DkgMessageType::RepairSigma: return "repair sigma message";
  }
  return "key-management message";
}

Writer begin_message(DkgMessageType type, const SessionId& session) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(type)).raw(session);
  return w;
}

// Checks the type and session prefix; the returned reader is positioned on the body.
Result<Reader> open_message(ByteSpan payload, DkgMessageType type, const SessionId& session) {
  Reader r(payload, describe(type));
  TSIGN_TRY(std::uint8_t got, r.u8());
  if (got != static_cast<std::uint8_t>(type)) return r.fail("unexpected message type " + std::to_string(got));
  TSIGN_TRY(ByteSpan sid, r.raw(session.size()));
  if (!std::equal(sid.begin(), sid.end(), session.begin())) return r.fail("message belongs to another session");
  return r;
}

void encode_echo(Writer& w, const EchoEntries& echo) {
  w.u32(static_cast<std::uint32_t>(echo.size()));
  for (const auto& [id, digest] : echo) w.u32(id).raw(digest);
}

// Exactly one entry per broadcaster, in ascending order.
Result<EchoEntries> decode_echo(Reader& r, std::span<const PartyId> broadcasters) {
  TSIGN_TRY(std::uint32_t n, r.count(KeyShare<Secp256k1>::kMaxParties));
  if (n != broadcasters.size()) {
    return r.fail("echo lists " + std::to_string(n) + " parties, expected " + std::to_string(broadcasters.size()));
  }
  EchoEntries out;
  for (PartyId expected : broadcasters) {
    TSIGN_TRY(PartyId id, r.u32());
    if (id != expected) return r.fail("echo entry for party " + std::to_string(id) + " out of place");
    TSIGN_TRY(auto digest, r.array<32>());
    out.emplace(id, digest);
  }
  return out;
}

template <PrimeOrderGroup G>
Result<typename G::Scalar> decode_scalar(Reader& r, std::string_view what) {
  TSIGN_TRY(ByteSpan b, r.raw(G::kScalarSize));
  auto s = G::Scalar::from_bytes(b);
  if (!s.ok()) return r.fail(std::string(what) + ": " + s.error().message);
  return std::move(s).value();
}

template <PrimeOrderGroup G>
Result<typename G::Point> decode_point(Reader& r, std::string_view what) {
  TSIGN_TRY(ByteSpan b, r.raw(G::kPointSize));
  auto p = G::Point::from_bytes(b);
  if (!p.ok()) return r.fail(std::string(what) + ": " + p.error().message);
  return std::move(p).value();
}

// A commitment of exactly `threshold` points; an empty one commits to nothing and is refused.
template <PrimeOrderGroup G>
Result<FeldmanCommitment<G>> decode_commitment(Reader& r, std::uint32_t threshold, bool allow_identity_constant) {
  if (threshold == 0) return r.fail("a commitment needs at least one coefficient");
  return FeldmanCommitment<G>::decode(r, threshold, allow_identity_constant);
}

}  // namespace

Digest32 broadcast_digest(const Digest32& context, std::size_t round, PartyId sender, ByteSpan payload) {
  Sha256 h = tagged_hasher("tsign/dkg/broadcast");
  h.update(context).update_u64(round).update_u32(sender).update_framed(payload);
  return h.finish();
}

// --- DKG ---

template <PrimeOrderGroup G>
Bytes DkgCommitMessage<G>::encode(const SessionId& session) const {
  Writer w = begin_message(DkgMessageType::DkgCommit, session);
  commitment.encode(w);
  proof.encode(w);
  w.raw(chain_commitment);
  return std::move(w).take();
}

template <PrimeOrderGroup G>
Result<DkgCommitMessage<G>> DkgCommitMessage<G>::decode(ByteSpan payload, const SessionId& session,
                                                        std::uint32_t threshold) {
  TSIGN_TRY(Reader r, open_message(payload, DkgMessageType::DkgCommit, session));
  DkgCommitMessage out;
  TSIGN_TRY(out.commitment, decode_commitment<G>(r, threshold, false));
  TSIGN_TRY(out.proof, KnowledgeProof<G>::decode(r));
  TSIGN_TRY(out.chain_commitment, r.array<32>());
  TSIGN_CHECK(r.finish());
  return out;
}

Bytes DkgOpenMessage::encode(const SessionId& session) const {
  Writer w = begin_message(DkgMessageType::DkgOpen, session);
  encode_echo(w, echo);
  w.raw(chain_contribution);
  return std::move(w).take();
}

Result<DkgOpenMessage> DkgOpenMessage::decode(ByteSpan payload, const SessionId& session,
                                              std::span<const PartyId> broadcasters) {
  TSIGN_TRY(Reader r, open_message(payload, DkgMessageType::DkgOpen, session));
  DkgOpenMessage out;
  TSIGN_TRY(out.echo, decode_echo(r, broadcasters));
  TSIGN_TRY(out.chain_contribution, r.array<32>());
  TSIGN_CHECK(r.finish());
  return out;
}

// --- shared shapes ---

template <PrimeOrderGroup G>
Bytes ScalarMessage<G>::encode(const SessionId& session) const {
  Writer w = begin_message(type, session);
  auto b = value.to_bytes();
  w.raw(b);
  detail::secure_wipe(b.data(), b.size());
  return std::move(w).take();
}

template <PrimeOrderGroup G>
Result<ScalarMessage<G>> ScalarMessage<G>::decode(ByteSpan payload, DkgMessageType type, const SessionId& session) {
  TSIGN_TRY(Reader r, open_message(payload, type, session));
  ScalarMessage out;
  out.type = type;
  TSIGN_TRY(out.value, decode_scalar<G>(r, "value"));
  TSIGN_CHECK(r.finish());
  return out;
}

template <PrimeOrderGroup G>
Bytes ConfirmMessage<G>::encode(const SessionId& session) const {
  Writer w = begin_message(type, session);
  encode_echo(w, echo);
  w.u8(verifying_share ? 1 : 0);
  if (verifying_share) w.raw(verifying_share->to_bytes());
  return std::move(w).take();
}

template <PrimeOrderGroup G>
Result<ConfirmMessage<G>> ConfirmMessage<G>::decode(ByteSpan payload, DkgMessageType type, const SessionId& session,
                                                    std::span<const PartyId> broadcasters,
                                                    bool with_verifying_share) {
  TSIGN_TRY(Reader r, open_message(payload, type, session));
  ConfirmMessage out;
  out.type = type;
  TSIGN_TRY(out.echo, decode_echo(r, broadcasters));
  TSIGN_TRY(std::uint8_t flag, r.u8());
  if (flag != (with_verifying_share ? 1 : 0)) {
    return r.fail(with_verifying_share ? "verifying share missing" : "unexpected verifying share");
  }
  if (with_verifying_share) {
    TSIGN_TRY(auto point, decode_point<G>(r, "verifying share"));
    out.verifying_share = std::move(point);
  }
  TSIGN_CHECK(r.finish());
  return out;
}

Bytes AckMessage::encode(const SessionId& session) const {
  Writer w = begin_message(type, session);
  encode_echo(w, echo);
  w.raw(ack);
  return std::move(w).take();
}

Result<AckMessage> AckMessage::decode(ByteSpan payload, DkgMessageType type, const SessionId& session,
                                      std::span<const PartyId> broadcasters) {
  TSIGN_TRY(Reader r, open_message(payload, type, session));
  AckMessage out;
  out.type = type;
  TSIGN_TRY(out.echo, decode_echo(r, broadcasters));
  TSIGN_TRY(out.ack, r.array<32>());
  TSIGN_CHECK(r.finish());
  return out;
}

// --- refresh, resharing, repair ---

template <PrimeOrderGroup G>
Bytes RefreshDealMessage<G>::encode(const SessionId& session) const {
  Writer w = begin_message(DkgMessageType::RefreshDeal, session);
  w.raw(key_digest);
  commitment.encode(w);
  return std::move(w).take();
}

template <PrimeOrderGroup G>
Result<RefreshDealMessage<G>> RefreshDealMessage<G>::decode(ByteSpan payload, const SessionId& session,
                                                            std::uint32_t threshold) {
  TSIGN_TRY(Reader r, open_message(payload, DkgMessageType::RefreshDeal, session));
  RefreshDealMessage out;
  TSIGN_TRY(out.key_digest, r.array<32>());
  TSIGN_TRY(out.commitment, decode_commitment<G>(r, threshold, /*allow_identity_constant=*/true));
  // A refresh must not move the key: its polynomial's constant term is zero.
  if (!out.commitment.constant().is_identity()) return r.fail("refresh polynomial has a non-zero constant term");
  TSIGN_CHECK(r.finish());
  return out;
}

template <PrimeOrderGroup G>
Bytes ReshareDealMessage<G>::encode(const SessionId& session) const {
  Writer w = begin_message(DkgMessageType::ReshareDeal, session);
  key.encode(w);
  commitment.encode(w);
  return std::move(w).take();
}

template <PrimeOrderGroup G>
Result<ReshareDealMessage<G>> ReshareDealMessage<G>::decode(ByteSpan payload, const SessionId& session,
                                                            std::uint32_t new_threshold) {
  TSIGN_TRY(Reader r, open_message(payload, DkgMessageType::ReshareDeal, session));
  ReshareDealMessage out;
  TSIGN_TRY(out.key, KeyPublicData<G>::decode(r));
  TSIGN_TRY(out.commitment, decode_commitment<G>(r, new_threshold, false));
  TSIGN_CHECK(r.finish());
  return out;
}

template <PrimeOrderGroup G>
Bytes RepairDealMessage<G>::encode(const SessionId& session) const {
  Writer w = begin_message(DkgMessageType::RepairDeal, session);
  key.encode(w);
  w.u32(static_cast<std::uint32_t>(delta_commitments.size()));
  for (const auto& p : delta_commitments) w.raw(p.to_bytes());
  return std::move(w).take();
}

template <PrimeOrderGroup G>
Result<RepairDealMessage<G>> RepairDealMessage<G>::decode(ByteSpan payload, const SessionId& session,
                                                          std::size_t helpers) {
  TSIGN_TRY(Reader r, open_message(payload, DkgMessageType::RepairDeal, session));
  RepairDealMessage out;
  TSIGN_TRY(out.key, KeyPublicData<G>::decode(r));
  TSIGN_TRY(std::uint32_t n, r.count(KeyShare<G>::kMaxParties));
  if (n != helpers) return r.fail("commitments for " + std::to_string(n) + " helpers, expected " + std::to_string(helpers));
  for (std::uint32_t i = 0; i < n; ++i) {
    TSIGN_TRY(auto point, decode_point<G>(r, "delta commitment"));
    out.delta_commitments.push_back(std::move(point));
  }
  TSIGN_CHECK(r.finish());
  return out;
}

#define TSIGN_INSTANTIATE_MESSAGES(G)      \
  template struct DkgCommitMessage<G>;     \
  template struct ScalarMessage<G>;        \
  template struct ConfirmMessage<G>;       \
  template struct RefreshDealMessage<G>;   \
  template struct ReshareDealMessage<G>;   \
  template struct RepairDealMessage<G>;
TSIGN_INSTANTIATE_MESSAGES(Secp256k1)
TSIGN_INSTANTIATE_MESSAGES(Ed25519)
#undef TSIGN_INSTANTIATE_MESSAGES

}  // namespace tsign
