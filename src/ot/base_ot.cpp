#include "ot/base_ot.hpp"

#include <cassert>
#include <cstring>
#include <string>

#include "blame.hpp"
#include "hash_to_point.hpp"
#include "math/secp256k1_comb.hpp"
#include "math/secp256k1_secret_point.hpp"
#include "primitives.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign::ot {

namespace {

using secp256k1_p::Affine;
constexpr std::size_t kPoint = BaseOtReceiverMsg::kPointSize;  // uncompressed SEC1
constexpr std::size_t kProduct = 65;                           // uncompressed SEC1, hashed into the keys

// A public point, compressed (33 bytes) or uncompressed (65 bytes), decoded as strictly as
// Secp256k1Point decodes any point (hybrid encodings and the identity refused).
bool parse_point(ByteSpan bytes, secp256k1_pubkey& out) {
  auto point = Secp256k1Point::from_bytes(bytes);
  if (!point) return false;
  out = point->pubkey();
  return true;
}

template <std::size_t N>
Result<ByteArray<N>> read_point(Reader& r, PartyId from, const char* what, secp256k1_pubkey& parsed) {
  auto p = r.array<N>();
  if (!p) return detail::with_culprit(p.error(), from);
  if (!parse_point(*p, parsed)) {
    return detail::blame(ErrorKind::InvalidInput, from,
                         std::string("base OT: ") + what + " is not " +
                             (N == 33 ? "a compressed" : "an uncompressed") + " secp256k1 point");
  }
  return *p;
}

// k = KDF(session, i, j, A, R_{i,0}, R_{i,1}, product): the whole transcript of the OT.
void ot_key(const Digest32& session, std::size_t index, std::uint8_t choice, const ByteArray<33>& a_point,
            const ByteArray<65>& r0, const ByteArray<65>& r1, ByteSpan product, std::uint8_t* out) {
  detail::KeyedHash h(session, "base OT key");
  h.update_u32(static_cast<std::uint32_t>(index));
  const std::uint8_t c[1] = {choice};
  h.update(c).update(a_point).update(r0).update(r1).update(product);
  h.finish({out, kBaseOtKeySize});
}

bool same_x(const Affine& p, const Affine& q) {
  std::uint8_t a[33], b[33];
  secp256k1_p::serialize_compressed(p, a);
  secp256k1_p::serialize_compressed(q, b);
  return std::memcmp(a + 1, b + 1, 32) == 0;
}

}  // namespace

void BaseOtSenderMsg::encode_to(Bytes& out) const { append(out, a_point); }

Result<BaseOtSenderMsg> BaseOtSenderMsg::decode(ByteSpan in, PartyId from) {
  Reader r(in, "base OT sender message");
  BaseOtSenderMsg m;
  secp256k1_pubkey parsed;
  TSIGN_TRY(m.a_point, read_point<33>(r, from, "the sender's public key", parsed));
  auto done = r.finish();
  if (!done) return detail::with_culprit(done.error(), from);
  return m;
}

void BaseOtReceiverMsg::encode_to(Bytes& out) const {
  for (const auto& p : points) append(out, p);
}

Result<BaseOtReceiverMsg> BaseOtReceiverMsg::decode(ByteSpan in, std::size_t count, PartyId from) {
  if (in.size() != count * kPerOt) {
    return detail::blame(ErrorKind::InvalidInput, from,
                         "base OT receiver message: expected " + std::to_string(count * kPerOt) + " bytes, got " +
                             std::to_string(in.size()));
  }
  Reader r(in, "base OT receiver message");
  BaseOtReceiverMsg m;
  m.points.reserve(2 * count);
  m.parsed.resize(2 * count);
  for (std::size_t k = 0; k < 2 * count; ++k) {
    TSIGN_TRY(auto p, read_point<kPoint>(r, from, "a receiver point", m.parsed[k]));
    m.points.push_back(p);
  }
  return m;
}

std::pair<BaseOtSender, BaseOtSenderMsg> BaseOtSender::start(const Digest32& session, std::size_t count,
                                                             PartyId peer) {
  assert(count > 0 && count <= kMaxBaseOts);
  const Secp256k1Scalar a = Secp256k1Scalar::random();
  BaseOtSenderMsg msg;
  msg.a_point = Secp256k1Point::base_mul(a).to_bytes();
  SecretBytes a_bytes(32);
  ByteArray<32> encoded = a.to_bytes();
  std::copy(encoded.begin(), encoded.end(), a_bytes.expose_mut().begin());
  tsign::detail::secure_wipe(encoded.data(), encoded.size());
  return {BaseOtSender(session, count, peer, std::move(a_bytes), msg.a_point), msg};
}

Result<SecretBytes> BaseOtSender::finish(const BaseOtReceiverMsg& msg) && {
  const std::size_t points = 2 * count_;
  if (msg.points.size() != points) {
    return detail::blame(ErrorKind::InvalidInput, peer_, "base OT: wrong number of receiver points");
  }
  const bool parsed = msg.parsed.size() == points;
  // M_{i,j} = R_{i,j} + H(i, R_{i,1−j}), all public.
  std::vector<Affine> m(points), masks(points);
  for (std::size_t k = 0; k < points; ++k) {
    secp256k1_pubkey r;
    if (parsed) r = msg.parsed[k];
    if (!parsed && !parse_point(msg.points[k], r)) {
      return detail::abort_by(peer_, "base OT: a receiver point is not a curve point");
    }
    m[k] = secp256k1_p::from_pubkey(r);
    masks[k] = detail::hash_to_point_vartime(session_, k / 2, msg.points[k ^ 1]);
    if (msg.points[k] == msg.points[k ^ 1] || same_x(m[k], masks[k])) {
      return detail::abort_by(peer_, "base OT: the receiver's points of one OT are equal or one is ±H(the other)");
    }
  }
  std::vector<secp256k1_p::Fe> scratch_fe(2 * points);
  if (secp256k1_p::add_batch(m, masks, scratch_fe) != 0) {
    return make_error(ErrorKind::Internal, "base OT: R + H(R') met an exceptional case the checks exclude");
  }
  // a, then one product a·M_{i,j} at a time: secret.
  struct Scratch {
    ByteArray<32> a;
    std::uint8_t product[kProduct];
  };
  SecretScratch<Scratch> scratch(1);
  Scratch& s = scratch[0];
  std::copy(a_.expose().begin(), a_.expose().end(), s.a.begin());
  SecretBytes keys(count_ * 2 * kBaseOtKeySize);
  for (std::size_t k = 0; k < points; ++k) {
    std::uint8_t encoded[65];
    secp256k1_p::serialize_uncompressed(m[k], encoded);
    secp256k1_pubkey m_pub;
    // M ≠ O (checked above) and a ≠ 0, so neither fails: the verdicts are public facts.
    if (!secp256k1_ec_pubkey_parse(secp256k1_ctx(), &m_pub, encoded, sizeof encoded) ||
        !detail::published(tsign::detail::secret_mul_consttime_uncompressed(m_pub, s.a, s.product))) {
      return make_error(ErrorKind::Internal, "base OT: a·M failed");
    }
    const std::size_t i = k / 2;
    ot_key(session_, i, static_cast<std::uint8_t>(k & 1), a_point_, msg.points[2 * i], msg.points[2 * i + 1],
           {s.product, kProduct}, keys.expose_mut().data() + k * kBaseOtKeySize);
  }
  return keys;
}

Result<BaseOtReceiverResult> base_ot_receive(const Digest32& session, const BaseOtSenderMsg& msg, ByteSpan choices,
                                             std::size_t count, PartyId peer) {
  assert(count > 0 && count <= kMaxBaseOts && choices.size() * 8 >= count);
  secp256k1_pubkey a_pub;
  if (!parse_point(msg.a_point, a_pub)) return detail::abort_by(peer, "base OT: A is not a compressed curve point");
  // R_{i,Ā}: uniform points, public from the start; their hashes, negated.
  std::vector<Affine> free_points(count), minus_masks(count);
  std::vector<ByteArray<65>> free_encoded(count), programmed_encoded(count);
  for (std::size_t i = 0; i < count; ++i) {
    free_points[i] = detail::random_point_vartime();
    secp256k1_p::serialize_uncompressed(free_points[i], free_encoded[i].data());
    minus_masks[i] = secp256k1_p::negate(detail::hash_to_point_vartime(session, i, free_encoded[i]));
  }
  // b_i; b_i·G (then R_{i,c}) and b_i·A side by side. Every product is by G or by A, so both go
  // through combs: A's table costs a few dozen products once and makes each product by A well
  // under half a ladder.
  const secp256k1_p::Comb a_comb(secp256k1_p::from_pubkey(a_pub));
  const secp256k1_p::Comb* combs[2] = {&secp256k1_p::Comb::generator(), &a_comb};
  SecretScratch<ByteArray<32>> b(count);
  SecretScratch<Affine> multiples(2 * count);
  const auto programmed = multiples.span().first(count), products = multiples.span().subspan(count);
  // 64 random bytes per b_i, drawn at once and reduced mod n (bias 2^-256).
  {
    SecretScratch<std::uint8_t> wide(count * 64);
    random_fill(wide.span());
    for (std::size_t i = 0; i < count; ++i) {
      b[i] = Secp256k1Scalar::from_bytes_reduce(wide.span().subspan(i * 64, 64)).to_bytes();
    }
  }
  SecretScratch<secp256k1_p::Fe> scratch_fe(2 * count);
  // b_i is uniform, so b_i = 0, b_i·G = ±H(i, R_{i,Ā}) and the combs' other exceptional scalars
  // have negligible probability: the verdict is a public fact.
  bool made = secp256k1_p::Comb::mul(combs, b.span(), multiples.span());
  made = made && detail::published(secp256k1_p::add_batch(programmed, minus_masks, scratch_fe.span()) == 0);
  if (!made) return make_error(ErrorKind::Internal, "base OT: b is zero or b·G = ±H(R)");
  for (std::size_t i = 0; i < count; ++i) {
    secp256k1_p::serialize_uncompressed(programmed[i], programmed_encoded[i].data());
    detail::publish(programmed_encoded[i]);
    // Unused: it makes the receiver hash both points of the OT, as the sender does, so its time
    // does not depend on which one it drew.
    (void)detail::hash_to_point_vartime(session, i, programmed_encoded[i]);
  }
  BaseOtReceiverResult out{SecretBytes(count * kBaseOtKeySize), {}};
  out.msg.points.resize(2 * count);
  SecretScratch<std::uint8_t> product(kProduct);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t c = detail::get_bit(choices, i);
    auto& r0 = out.msg.points[2 * i];
    auto& r1 = out.msg.points[2 * i + 1];
    detail::select_bytes(c, free_encoded[i], programmed_encoded[i], r0);
    detail::select_bytes(c, programmed_encoded[i], free_encoded[i], r1);
    detail::publish(r0);
    detail::publish(r1);
    secp256k1_p::serialize_uncompressed(products[i], product.data());
    ot_key(session, i, c, msg.a_point, r0, r1, product.span(), out.keys.expose_mut().data() + i * kBaseOtKeySize);
  }
  return out;
}

}  // namespace tsign::ot
