#include "ot/base_ot.hpp"

#include <cassert>
#include <string>

#include "blame.hpp"
#include "math/secp256k1_comb.hpp"
#include "math/secp256k1_secret_point.hpp"
#include "primitives.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/secp256k1.hpp"

namespace tsign::ot {

namespace {

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

Secp256k1Scalar proof_challenge(const Digest32& session, const ByteArray<33>& a_point, const ByteArray<33>& commit) {
  detail::KeyedHash h(session, "base OT proof of knowledge", 64);
  h.update(a_point).update(commit);
  std::uint8_t wide[64];
  h.finish(wide);
  return Secp256k1Scalar::from_bytes_reduce(wide);
}

void ot_key(const Digest32& session, std::size_t index, std::uint8_t choice, const ByteArray<33>& a_point,
            ByteSpan b_point, ByteSpan product, std::uint8_t* out) {
  detail::KeyedHash h(session, "base OT key");
  h.update_u32(static_cast<std::uint32_t>(index));
  const std::uint8_t c[1] = {choice};
  h.update(c).update(a_point).update(b_point).update(product);
  h.finish({out, kBaseOtKeySize});
}

}  // namespace

void BaseOtSenderMsg::encode_to(Bytes& out) const {
  append(out, a_point);
  append(out, proof_commit);
  append(out, proof_response);
}

Result<BaseOtSenderMsg> BaseOtSenderMsg::decode(ByteSpan in, PartyId from) {
  Reader r(in, "base OT sender message");
  BaseOtSenderMsg m;
  secp256k1_pubkey parsed;
  TSIGN_TRY(m.a_point, read_point<33>(r, from, "the sender's public key", parsed));
  TSIGN_TRY(m.proof_commit, read_point<33>(r, from, "the proof commitment", parsed));
  auto s = r.array<32>();
  if (!s) return detail::with_culprit(s.error(), from);
  m.proof_response = *s;
  if (!Secp256k1Scalar::from_bytes(m.proof_response).ok()) {
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
  if (in.size() != count * kPoint) {
    return detail::blame(ErrorKind::InvalidInput, from,
                         "base OT receiver message: expected " + std::to_string(count * kPoint) + " bytes, got " +
                             std::to_string(in.size()));
  }
  Reader r(in, "base OT receiver message");
  BaseOtReceiverMsg m;
  m.points.reserve(count);
  m.parsed.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    TSIGN_TRY(auto p, read_point<kPoint>(r, from, "a receiver point", m.parsed[i]));
    m.points.push_back(p);
  }
  return m;
}

std::pair<BaseOtSender, BaseOtSenderMsg> BaseOtSender::start(const Digest32& session, std::size_t count,
                                                             PartyId peer) {
  assert(count > 0 && count <= kMaxBaseOts);
  const Secp256k1Scalar a = Secp256k1Scalar::random(), r = Secp256k1Scalar::random();
  BaseOtSenderMsg msg;
  msg.a_point = Secp256k1Point::base_mul(a).to_bytes();
  msg.proof_commit = Secp256k1Point::base_mul(r).to_bytes();
  msg.proof_response = (r + proof_challenge(session, msg.a_point, msg.proof_commit) * a).to_bytes();
  detail::publish(msg.proof_response);
  SecretBytes a_bytes(32);
  ByteArray<32> encoded = a.to_bytes();
  std::copy(encoded.begin(), encoded.end(), a_bytes.expose_mut().begin());
  tsign::detail::secure_wipe(encoded.data(), encoded.size());
  return {BaseOtSender(session, count, peer, std::move(a_bytes), msg.a_point), msg};
}

Result<SecretBytes> BaseOtSender::finish(const BaseOtReceiverMsg& msg) && {
  if (msg.points.size() != count_) {
    return detail::blame(ErrorKind::InvalidInput, peer_, "base OT: wrong number of receiver points");
  }
  secp256k1_pubkey a_pub;
  parse_point(a_point_, a_pub);
  // B_i = −A would make a·B_i + (−a·A) a doubling, which the batch formulas exclude; an honest
  // receiver sends it with negligible probability, like B_i = A.
  const Secp256k1Point a_public = Secp256k1Point::from_pubkey(a_pub);
  const ByteArray<65> a_uncompressed = a_public.to_uncompressed(), minus_a_uncompressed = (-a_public).to_uncompressed();
  // a in the form libsecp256k1 takes, a·A, and per OT a·B_i (affine), a·B_i − a·A (Jacobian, then
  // affine) and both products encoded: all secret.
  struct Scratch {
    ByteArray<32> a;
    std::uint8_t products[2][kProduct];
    secp256k1_p::Affine minus_aa;
  };
  SecretScratch<Scratch> scratch(1);
  Scratch& s = scratch[0];
  std::copy(a_.expose().begin(), a_.expose().end(), s.a.begin());
  // a ≠ 0 and every point is a curve point, so no product fails: the verdicts are public facts.
  if (!detail::published(tsign::detail::secret_mul_consttime_uncompressed(a_pub, s.a, s.products[0]))) {
    return make_error(ErrorKind::Internal, "base OT: a is zero");
  }
  s.minus_aa = secp256k1_p::negate(secp256k1_p::parse_uncompressed(s.products[0]));
  const bool parsed = msg.parsed.size() == msg.points.size();
  // a·B_i, then a·B_i − a·A beside it: secret.
  SecretScratch<secp256k1_p::Affine> products(count_), differences(count_), minus_aa(count_);
  for (std::size_t i = 0; i < count_; ++i) {
    const auto& b = msg.points[i];
    secp256k1_pubkey b_pub;
    if (parsed) b_pub = msg.parsed[i];
    if (b == a_uncompressed || b == minus_a_uncompressed || (!parsed && !parse_point(b, b_pub))) {
      return detail::abort_by(peer_, "base OT: a receiver point is ±(the sender's public key) or not a curve point");
    }
    if (!detail::published(tsign::detail::secret_mul_consttime_uncompressed(b_pub, s.a, s.products[0]))) {
      return make_error(ErrorKind::Internal, "base OT: a is zero");
    }
    products[i] = secp256k1_p::parse_uncompressed(s.products[0]);
    differences[i] = products[i];
    minus_aa[i] = s.minus_aa;
  }
  // B_i ≠ ±A, so no sum meets the identity or a doubling.
  SecretScratch<secp256k1_p::Fe> scratch_fe(2 * count_);
  if (detail::published(secp256k1_p::add_batch(differences.span(), minus_aa.span(), scratch_fe.span()) != 0)) {
    return make_error(ErrorKind::Internal, "base OT: a·B_i − a·A is the identity");
  }
  SecretBytes keys(count_ * 2 * kBaseOtKeySize);
  for (std::size_t i = 0; i < count_; ++i) {
    secp256k1_p::serialize_uncompressed(products[i], s.products[0]);
    secp256k1_p::serialize_uncompressed(differences[i], s.products[1]);
    std::uint8_t* k = keys.expose_mut().data() + i * 2 * kBaseOtKeySize;
    ot_key(session_, i, 0, a_point_, msg.points[i], {s.products[0], kProduct}, k);
    ot_key(session_, i, 1, a_point_, msg.points[i], {s.products[1], kProduct}, k + kBaseOtKeySize);
  }
  return keys;
}

Result<BaseOtReceiverResult> base_ot_receive(const Digest32& session, const BaseOtSenderMsg& msg, ByteSpan choices,
                                             std::size_t count, PartyId peer) {
  assert(count > 0 && count <= kMaxBaseOts && choices.size() * 8 >= count);
  // The proof, on public values only: s·G == R + e·A.
  auto a_point = Secp256k1Point::from_bytes(msg.a_point);
  auto commit = Secp256k1Point::from_bytes(msg.proof_commit);
  auto response = Secp256k1Scalar::from_bytes(msg.proof_response);
  if (!a_point || !commit || !response ||
      !(Secp256k1Point::base_mul(*response) ==
        *commit + a_point->mul_vartime(proof_challenge(session, msg.a_point, msg.proof_commit)))) {
    return detail::abort_by(peer, "base OT: invalid proof of knowledge");
  }
  // Every product is by G or by A, so both go through combs: A's table costs a few dozen
  // products once and makes each of the count products by A well under half a ladder.
  const secp256k1_p::Affine a_affine = secp256k1_p::from_pubkey(a_point->pubkey());
  const secp256k1_p::Comb a_comb(a_affine);
  const secp256k1_p::Comb& g_comb = secp256k1_p::Comb::generator();
  // b_i; b_i·G (then B_i) and b_i·A side by side; b_i·G + A.
  SecretScratch<ByteArray<32>> b(count);
  SecretScratch<secp256k1_p::Affine> multiples(2 * count), shifted(count);
  const auto points = multiples.span().first(count), products = multiples.span().subspan(count);
  // 64 random bytes per b_i, drawn at once and reduced mod n (bias 2^-256).
  {
    SecretScratch<std::uint8_t> wide(count * 64);
    random_fill(wide.span());
    for (std::size_t i = 0; i < count; ++i) {
      b[i] = Secp256k1Scalar::from_bytes_reduce(wide.span().subspan(i * 64, 64)).to_bytes();
    }
  }
  const std::vector<secp256k1_p::Affine> a_copies(count, a_affine);
  SecretScratch<secp256k1_p::Fe> scratch_fe(2 * count);
  // b_i is uniform, so b_i = 0, b_i·G = ±A and the combs' other exceptional scalars have
  // negligible probability: the verdict is a public fact.
  const secp256k1_p::Comb* combs[2] = {&g_comb, &a_comb};
  bool made = secp256k1_p::Comb::mul(combs, b.span(), multiples.span());
  std::copy(points.begin(), points.end(), shifted.span().begin());
  made = made && detail::published(secp256k1_p::add_batch(shifted.span(), a_copies, scratch_fe.span()) == 0);
  if (!made) return make_error(ErrorKind::Internal, "base OT: b is zero or b·G + A is the identity");
  for (std::size_t i = 0; i < count; ++i) {
    secp256k1_p::assign_if(points[i], shifted[i], 0 - std::uint64_t{detail::get_bit(choices, i)});
  }
  BaseOtReceiverResult out{SecretBytes(count * kBaseOtKeySize), {}};
  out.msg.points.resize(count);
  SecretScratch<std::uint8_t> product(kProduct);
  for (std::size_t i = 0; i < count; ++i) {
    secp256k1_p::serialize_uncompressed(points[i], out.msg.points[i].data());
    detail::publish(out.msg.points[i]);
    secp256k1_p::serialize_uncompressed(products[i], product.data());
    ot_key(session, i, detail::get_bit(choices, i), msg.a_point, out.msg.points[i], product.span(),
           out.keys.expose_mut().data() + i * kBaseOtKeySize);
  }
  return out;
}

}  // namespace tsign::ot
