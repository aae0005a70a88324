#include "tsign/ot/base_ot.hpp"

#include <sodium.h>

#include <cassert>
#include <string>

#include "blame.hpp"
#include "primitives.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/core/random.hpp"
#include "tsign/core/sodium_init.hpp"

namespace tsign::ot {

namespace {

constexpr std::size_t kPoint = crypto_core_ristretto255_BYTES;
constexpr std::size_t kScalar = crypto_core_ristretto255_SCALARBYTES;

bool is_valid_point(ByteSpan p) {
  return p.size() == kPoint && crypto_core_ristretto255_is_valid_point(p.data()) == 1 &&
         sodium_is_zero(p.data(), p.size()) == 0;  // the identity encodes as all zeros
}

bool is_canonical_scalar(ByteSpan s) {
  // Little-endian, below ℓ = 2^252 + 27742317777372353535851937790883648493.
  static const std::uint8_t kOrder[kScalar] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                               0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                               0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
  return sodium_compare(s.data(), kOrder, kScalar) < 0;  // public value
}

Result<ByteArray<32>> read_point(Reader& r, PartyId from, const char* what) {
  auto p = r.array<32>();
  if (!p) return detail::with_culprit(p.error(), from);
  if (!is_valid_point(*p)) {
    return detail::blame(ErrorKind::InvalidInput, from,
                         std::string("base OT: ") + what + " is not a canonical non-identity ristretto255 point");
  }
  return *p;
}

// A uniform scalar mod ℓ, drawn through random_fill like every other secret of tsign (so the
// constant-time check sees it as secret).
void random_scalar(std::uint8_t out[kScalar]) {
  std::uint8_t wide[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];
  random_fill(wide);
  crypto_core_ristretto255_scalar_reduce(out, wide);
  sodium_memzero(wide, sizeof wide);
}

ByteArray<32> proof_challenge(const Digest32& session, const ByteArray<32>& a_point, const ByteArray<32>& commit) {
  detail::KeyedHash h(session, "base OT proof of knowledge", crypto_core_ristretto255_HASHBYTES);
  h.update(a_point).update(commit);
  std::uint8_t wide[crypto_core_ristretto255_HASHBYTES];
  h.finish(wide);
  ByteArray<32> e;
  crypto_core_ristretto255_scalar_reduce(e.data(), wide);
  return e;
}

void ot_key(const Digest32& session, std::size_t index, std::uint8_t choice, const ByteArray<32>& a_point,
            ByteSpan b_point, ByteSpan shared, std::uint8_t* out) {
  detail::KeyedHash h(session, "base OT key");
  h.update_u32(static_cast<std::uint32_t>(index));
  const std::uint8_t c[1] = {choice};
  h.update(c).update(a_point).update(b_point).update(shared);
  h.finish({out, kBaseOtKeySize});
}

}  // namespace

void BaseOtSenderMsg::encode_to(Bytes& out) const {
  append(out, a_point);
  append(out, proof_commit);
  append(out, proof_response);
}

Result<BaseOtSenderMsg> BaseOtSenderMsg::decode(ByteSpan in, PartyId from) {
  ensure_sodium();
  Reader r(in, "base OT sender message");
  BaseOtSenderMsg m;
  TSIGN_TRY(m.a_point, read_point(r, from, "the sender's public key"));
  TSIGN_TRY(m.proof_commit, read_point(r, from, "the proof commitment"));
  auto s = r.array<32>();
  if (!s) return detail::with_culprit(s.error(), from);
  m.proof_response = *s;
  if (!is_canonical_scalar(m.proof_response)) {
    return detail::blame(ErrorKind::InvalidInput, from, "base OT: proof response is not a canonical scalar");
  }
  auto done = r.finish();
  if (!done) return detail::with_culprit(done.error(), from);
  return m;
}

void BaseOtReceiverMsg::encode_to(Bytes& out) const {
  for (const auto& p : points) append(out, p);
}

Result<BaseOtReceiverMsg> BaseOtReceiverMsg::decode(ByteSpan in, std::size_t count, PartyId from) {
  ensure_sodium();
  if (in.size() != count * kPoint) {
    return detail::blame(ErrorKind::InvalidInput, from,
                         "base OT receiver message: expected " + std::to_string(count * kPoint) + " bytes, got " +
                             std::to_string(in.size()));
  }
  Reader r(in, "base OT receiver message");
  BaseOtReceiverMsg m;
  m.points.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    TSIGN_TRY(auto p, read_point(r, from, "a receiver point"));
    m.points.push_back(p);
  }
  return m;
}

std::pair<BaseOtSender, BaseOtSenderMsg> BaseOtSender::start(const Digest32& session, std::size_t count,
                                                             PartyId peer) {
  ensure_sodium();
  assert(count > 0 && count <= kMaxBaseOts);
  SecretBytes a(kScalar), r(kScalar);
  random_scalar(a.expose_mut().data());
  random_scalar(r.expose_mut().data());
  BaseOtSenderMsg msg;
  crypto_scalarmult_ristretto255_base(msg.a_point.data(), a.expose().data());
  crypto_scalarmult_ristretto255_base(msg.proof_commit.data(), r.expose().data());
  const ByteArray<32> e = proof_challenge(session, msg.a_point, msg.proof_commit);
  SecretBytes ea(kScalar);
  crypto_core_ristretto255_scalar_mul(ea.expose_mut().data(), e.data(), a.expose().data());
  crypto_core_ristretto255_scalar_add(msg.proof_response.data(), r.expose().data(), ea.expose().data());
  detail::publish(msg.a_point);
  detail::publish(msg.proof_commit);
  detail::publish(msg.proof_response);
  return {BaseOtSender(session, count, peer, std::move(a), msg.a_point), msg};
}

Result<SecretBytes> BaseOtSender::finish(const BaseOtReceiverMsg& msg) && {
  if (msg.points.size() != count_) {
    return detail::blame(ErrorKind::InvalidInput, peer_, "base OT: wrong number of receiver points");
  }
  const std::uint8_t* a = a_.expose().data();
  // a·A, subtracted from a·B_i to get a·(B_i − A).
  SecretBytes aa(kPoint);
  if (detail::published(crypto_scalarmult_ristretto255(aa.expose_mut().data(), a, a_point_.data()) != 0)) {
    return make_error(ErrorKind::Internal, "base OT: a·A is the identity");
  }
  SecretBytes keys(count_ * 2 * kBaseOtKeySize), shared(2 * kPoint);
  std::uint8_t* s0 = shared.expose_mut().data();
  std::uint8_t* s1 = s0 + kPoint;
  for (std::size_t i = 0; i < count_; ++i) {
    const auto& b = msg.points[i];
    if (detail::published(crypto_scalarmult_ristretto255(s0, a, b.data()) != 0)) {
      return detail::abort_by(peer_, "base OT: a receiver point multiplies to the identity");
    }
    crypto_core_ristretto255_sub(s1, s0, aa.expose().data());
    std::uint8_t* k = keys.expose_mut().data() + i * 2 * kBaseOtKeySize;
    ot_key(session_, i, 0, a_point_, b, {s0, kPoint}, k);
    ot_key(session_, i, 1, a_point_, b, {s1, kPoint}, k + kBaseOtKeySize);
  }
  return keys;
}

Result<BaseOtReceiverResult> base_ot_receive(const Digest32& session, const BaseOtSenderMsg& msg, ByteSpan choices,
                                             std::size_t count, PartyId peer) {
  ensure_sodium();
  assert(count > 0 && count <= kMaxBaseOts && choices.size() * 8 >= count);
  // The proof: s·G == R + e·A.
  {
    const ByteArray<32> e = proof_challenge(session, msg.a_point, msg.proof_commit);
    std::uint8_t sg[kPoint], ea[kPoint], rhs[kPoint];
    crypto_scalarmult_ristretto255_base(sg, msg.proof_response.data());
    if (crypto_scalarmult_ristretto255(ea, e.data(), msg.a_point.data()) != 0) {
      return detail::abort_by(peer, "base OT: invalid proof of knowledge");
    }
    crypto_core_ristretto255_add(rhs, msg.proof_commit.data(), ea);
    if (sodium_memcmp(sg, rhs, kPoint) != 0) return detail::abort_by(peer, "base OT: invalid proof of knowledge");
  }
  BaseOtReceiverResult out{SecretBytes(count * kBaseOtKeySize), {}};
  out.msg.points.resize(count);
  SecretBytes scratch(kScalar + 3 * kPoint);
  std::uint8_t* b = scratch.expose_mut().data();
  std::uint8_t* t0 = b + kScalar;       // b_i·G
  std::uint8_t* t1 = t0 + kPoint;       // b_i·G + A
  std::uint8_t* shared = t1 + kPoint;   // b_i·A
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t c = detail::get_bit(choices, i);
    random_scalar(b);
    crypto_scalarmult_ristretto255_base(t0, b);
    crypto_core_ristretto255_add(t1, t0, msg.a_point.data());
    detail::select_bytes(c, {t1, kPoint}, {t0, kPoint}, out.msg.points[i]);
    detail::publish(out.msg.points[i]);
    if (detail::published(crypto_scalarmult_ristretto255(shared, b, msg.a_point.data()) != 0)) {
      return make_error(ErrorKind::Internal, "base OT: b·A is the identity");
    }
    ot_key(session, i, c, msg.a_point, out.msg.points[i], {shared, kPoint},
           out.keys.expose_mut().data() + i * kBaseOtKeySize);
  }
  return out;
}

}  // namespace tsign::ot
