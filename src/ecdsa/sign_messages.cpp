#include "sign_messages.hpp"

namespace tsign::ecdsa_internal {

namespace {

// A multiplication message is far below this; the OT layer checks its exact size.
constexpr std::size_t kMaxMulMessage = 1u << 20;

// Ends a message with a length-prefixed field (as Writer::var) in one allocation: the
// multiplication messages are large (9 and 40 KB) and are copied only once.
Bytes finish_with_var(Writer&& w, ByteSpan last) {
  Bytes out = std::move(w).take();
  out.reserve(out.size() + 4 + last.size());
  const auto n = static_cast<std::uint32_t>(last.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(n >> shift));
  append(out, last);
  return out;
}

void header(Writer& w, SignMessageType type, ByteSpan session) { w.u8(static_cast<std::uint8_t>(type)).raw(session); }

Status read_header(Reader& r, SignMessageType type, const ByteArray<32>* expected, ByteArray<32>* got) {
  TSIGN_TRY(std::uint8_t t, r.u8());
  if (t != static_cast<std::uint8_t>(type)) return r.fail("wrong message type");
  TSIGN_TRY(auto session, r.array<32>());
  if (expected && session != *expected) return r.fail("belongs to another session");
  if (got) *got = session;
  return {};
}

Result<Secp256k1Point> read_point(Reader& r, std::string_view what) {
  TSIGN_TRY(ByteSpan b, r.raw(Secp256k1Point::kEncodedSize));
  auto p = Secp256k1Point::from_bytes(b);
  if (!p.ok()) return r.fail(std::string(what) + ": " + p.error().message);
  return std::move(p).value();
}

Result<Secp256k1Scalar> read_scalar(Reader& r, std::string_view what) {
  TSIGN_TRY(ByteSpan b, r.raw(32));
  auto s = Secp256k1Scalar::from_bytes(b);
  if (!s.ok()) return r.fail(std::string(what) + ": " + s.error().message);
  return std::move(s).value();
}

}  // namespace

Bytes CommitMessage::encode(const SessionId& session) const {
  Writer w;
  header(w, SignMessageType::Commit, session);
  w.raw(contribution).raw(commitment);
  return std::move(w).take();
}

Result<CommitMessage> CommitMessage::decode(ByteSpan payload, const SessionId& session) {
  Reader r(payload, "ECDSA nonce commitment");
  TSIGN_CHECK(read_header(r, SignMessageType::Commit, &session, nullptr));
  CommitMessage m;
  TSIGN_TRY(m.contribution, r.array<32>());
  TSIGN_TRY(m.commitment, r.array<32>());
  TSIGN_CHECK(r.finish());
  return m;
}

Bytes RequestMessage::encode() const {
  Writer w;
  header(w, SignMessageType::Request, sid);
  w.raw(context).u32(static_cast<std::uint32_t>(echo.size()));
  for (const auto& d : echo) w.raw(d);
  return finish_with_var(std::move(w), mul_request);
}

Result<RequestMessage> RequestMessage::decode(ByteSpan payload, std::size_t signers) {
  Reader r(payload, "ECDSA multiplication request");
  RequestMessage m;
  TSIGN_CHECK(read_header(r, SignMessageType::Request, nullptr, &m.sid));
  TSIGN_TRY(m.context, r.array<32>());
  TSIGN_TRY(std::uint32_t count, r.u32());
  if (count != signers) return r.fail("echo of " + std::to_string(count) + " broadcasts, expected " + std::to_string(signers));
  m.echo.resize(count);
  for (auto& d : m.echo) {
    TSIGN_TRY(d, r.array<32>());
  }
  TSIGN_TRY(m.mul_request, r.var(kMaxMulMessage));
  TSIGN_CHECK(r.finish());
  return m;
}

Bytes ReplyMessage::encode(const Digest32& sid) const {
  Writer w;
  header(w, SignMessageType::Reply, sid);
  w.raw(nonce.to_bytes()).raw(blind).raw(public_share.to_bytes());
  w.u32(static_cast<std::uint32_t>(zero_points.size()));
  for (const auto& z : zero_points) w.raw(z.to_bytes());
  w.raw(gamma_u.to_bytes()).raw(gamma_v.to_bytes()).raw(psi.to_bytes());
  return finish_with_var(std::move(w), mul_response);
}

Result<ReplyMessage> ReplyMessage::decode(ByteSpan payload, const Digest32& sid, std::size_t signers) {
  Reader r(payload, "ECDSA multiplication reply");
  TSIGN_CHECK(read_header(r, SignMessageType::Reply, &sid, nullptr));
  ReplyMessage m;
  TSIGN_TRY(m.nonce, read_point(r, "R"));
  TSIGN_TRY(m.blind, r.array<32>());
  TSIGN_TRY(m.public_share, read_point(r, "pk"));
  TSIGN_TRY(std::uint32_t count, r.u32());
  if (count + 1 != signers) return r.fail("wrong number of zero-share points");
  m.zero_points.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    TSIGN_TRY(auto z, read_point(r, "zero-share point"));
    m.zero_points.push_back(z);
  }
  TSIGN_TRY(m.gamma_u, read_point(r, "Gamma_u"));
  TSIGN_TRY(m.gamma_v, read_point(r, "Gamma_v"));
  TSIGN_TRY(m.psi, read_scalar(r, "psi"));
  TSIGN_TRY(m.mul_response, r.var(kMaxMulMessage));
  TSIGN_CHECK(r.finish());
  return m;
}

Bytes ShareMessage::encode(const Digest32& sid) const {
  Writer out;
  header(out, SignMessageType::Share, sid);
  out.raw(digest).raw(w.to_bytes()).raw(u.to_bytes());
  return std::move(out).take();
}

Result<ShareMessage> ShareMessage::decode(ByteSpan payload, const Digest32& sid) {
  Reader r(payload, "ECDSA signature share");
  TSIGN_CHECK(read_header(r, SignMessageType::Share, &sid, nullptr));
  ShareMessage m;
  TSIGN_TRY(m.digest, r.array<32>());
  TSIGN_TRY(m.w, read_scalar(r, "w"));
  TSIGN_TRY(m.u, read_scalar(r, "u"));
  TSIGN_CHECK(r.finish());
  return m;
}

}  // namespace tsign::ecdsa_internal
