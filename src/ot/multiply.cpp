#include "tsign/ot/multiply.hpp"

#include <sodium.h>

#include <cstring>

#include "extension_core.hpp"
#include "message_header.hpp"
#include "multiply_core.hpp"
#include "primitives.hpp"
#include "state_access.hpp"

namespace tsign::ot {

namespace {

constexpr std::string_view kPurpose = "DKLs23 multiplication";
constexpr std::size_t kScalar = 32;

// The secp256k1 order n, big-endian, for the canonical-encoding check of received scalars.
constexpr std::uint8_t kOrder[kScalar] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                          0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48,
                                          0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41};

bool below_order(const std::uint8_t* p) { return std::memcmp(p, kOrder, kScalar) < 0; }  // public data

// A scalar from 32 uniform bytes, the value mod n (statistical distance to uniform below 2^-127).
// The bytes are below n except with probability below 2^-127, so the one-multiplication decoding
// applies; only in that event does the reduction run, and all it reveals is that it happened.
Secp256k1Scalar uniform_scalar(const std::uint8_t* p) {
  auto s = Secp256k1Scalar::from_bytes({p, kScalar});
  return s.ok() ? *s : Secp256k1Scalar::from_bytes_reduce({p, kScalar});
}

// bit·s for a canonical encoding s (below n) and a secret bit, without branching on the bit:
// the encoding is masked before it is decoded, which costs no more than decoding it.
Secp256k1Scalar masked_scalar(const std::uint8_t* canonical, std::uint8_t bit) {
  std::uint8_t buf[kScalar];
  const auto mask = static_cast<std::uint8_t>(0 - bit);
  for (std::size_t i = 0; i < kScalar; ++i) buf[i] = canonical[i] & mask;
  Secp256k1Scalar s = *Secp256k1Scalar::from_bytes({buf, kScalar});  // 0 or s: both below n
  sodium_memzero(buf, sizeof buf);
  return s;
}

// The ξ entries of the gadget vector, from the session: b = Σ g_j·β_j is uniform for uniform β
// (2·λs bits of slack), and no party can pick g to suit its choice bits. Kept both as scalars
// and as canonical encodings (for masked_scalar).
struct Gadget {
  std::vector<Secp256k1Scalar> g;
  std::vector<std::uint8_t> encoded;
};

Gadget gadget_vector(const Digest32& digest) {
  const Digest32 key = detail::keyed_hash(digest, "gadget vector", {});
  static const std::uint8_t kZeroNonce[12] = {};
  Gadget out;
  out.encoded.resize(kMulOts * kScalar);
  detail::prg(key.data(), kZeroNonce, out.encoded);
  out.g.reserve(kMulOts);
  for (std::size_t j = 0; j < kMulOts; ++j) {
    std::uint8_t* e = out.encoded.data() + j * kScalar;
    if (below_order(e)) {  // public value: all but a 2^-127 fraction of the time
      out.g.push_back(*Secp256k1Scalar::from_bytes({e, kScalar}));
    } else {
      out.g.push_back(Secp256k1Scalar::from_bytes_reduce({e, kScalar}));
      const ByteArray<32> canonical = out.g.back().to_bytes();
      std::memcpy(e, canonical.data(), kScalar);
    }
  }
  return out;
}

// θ in Z_n^ℓ from the session and ã as sent.
std::vector<Secp256k1Scalar> theta(const Digest32& digest, std::size_t products, ByteSpan a_tilde) {
  detail::KeyedHash h(digest, "theta");
  h.update_u32(static_cast<std::uint32_t>(products)).update(a_tilde);
  const Digest32 seed = h.finish32();
  static const std::uint8_t kZeroNonce[12] = {};
  std::uint8_t stream[64 * kMaxProducts];
  detail::prg(seed.data(), kZeroNonce, {stream, 64 * products});
  std::vector<Secp256k1Scalar> t;
  for (std::size_t k = 0; k < products; ++k) t.push_back(Secp256k1Scalar::from_bytes_reduce({stream + 64 * k, 64}));
  return t;
}

// μ = H(session, μ_1..μ_ξ); feed() takes one μ_j at a time.
class MuHash {
 public:
  MuHash(const Digest32& digest, std::size_t products) : h_(digest, "mu") {
    h_.update_u32(static_cast<std::uint32_t>(products));
  }
  void feed(const Secp256k1Scalar& v) {
    ByteArray<32> b = v.to_bytes();
    h_.update(b);
    sodium_memzero(b.data(), b.size());
  }
  Digest32 finish() { return h_.finish32(); }

 private:
  detail::KeyedHash h_;
};

struct Context {
  Digest32 digest;
  SessionTag tag;
};

Context context(const PairSession& session) {
  Context c;
  c.digest = detail::session_digest(kPurpose, session);
  c.tag = detail::session_tag(c.digest);
  return c;
}

}  // namespace

Bytes MulRequest::encode() const {
  Bytes out;
  detail::write_header(out, detail::MessageType::kMulRequest, tag);
  out.push_back(products);
  extension.encode_to(out);
  return out;
}

Result<MulRequest> MulRequest::decode(ByteSpan in, PartyId from) {
  Reader r(in, "multiplication request");
  MulRequest m;
  TSIGN_TRY(m.tag, detail::read_header(r, detail::MessageType::kMulRequest, from));
  auto products = r.u8();
  if (!products) return detail::with_culprit(products.error(), from);
  if (*products == 0 || *products > kMaxProducts) {
    return detail::blame(ErrorKind::InvalidInput, from, "multiplication request: unsupported number of products");
  }
  m.products = *products;
  TSIGN_TRY(m.extension, ExtensionPayload::decode(in.subspan(detail::kHeaderSize + 1), kMulOts, from));
  return m;
}

Bytes MulResponse::encode() const {
  Bytes out;
  detail::write_header(out, detail::MessageType::kMulResponse, tag);
  out.push_back(products);
  append(out, a_tilde);
  append(out, eta);
  append(out, mu);
  return out;
}

Result<MulResponse> MulResponse::decode(ByteSpan in, std::size_t products, PartyId from) {
  Reader r(in, "multiplication response");
  MulResponse m;
  TSIGN_TRY(m.tag, detail::read_header(r, detail::MessageType::kMulResponse, from));
  auto got = r.u8();
  if (!got) return detail::with_culprit(got.error(), from);
  if (*got != products || products == 0 || products > kMaxProducts) {
    return detail::blame(ErrorKind::InvalidInput, from, "multiplication response: wrong number of products");
  }
  m.products = *got;
  if (in.size() != encoded_size(products)) {
    return detail::blame(ErrorKind::InvalidInput, from,
                         "multiplication response: expected " + std::to_string(encoded_size(products)) +
                             " bytes, got " + std::to_string(in.size()));
  }
  const std::size_t n = kMulOts * (products + 1) * kScalar;
  ByteSpan a = *r.raw(n);
  for (std::size_t i = 0; i < n; i += kScalar) {
    if (!below_order(a.data() + i)) {
      return detail::blame(ErrorKind::InvalidInput, from, "multiplication response: a scalar is not below the order");
    }
  }
  m.a_tilde.assign(a.begin(), a.end());
  m.eta = *r.array<32>();
  if (!below_order(m.eta.data())) {
    return detail::blame(ErrorKind::InvalidInput, from, "multiplication response: eta is not below the order");
  }
  m.mu = *r.array<32>();
  return m;
}

Result<std::pair<MulReceiver, MulRequest>> MulReceiver::start(const OtReceiverSetup& setup, const PairSession& session,
                                                              std::size_t products) {
  TSIGN_CHECK(validate(session));
  TSIGN_CHECK(detail::check_usable(setup, session.receiver, session.sender));
  if (products == 0 || products > kMaxProducts) {
    return make_error(ErrorKind::InvalidInput, "multiplication: unsupported number of products");
  }
  const Context c = context(session);
  TSIGN_TRY(auto ext, detail::extend_receiver(setup, c.digest, kMulOts));

  MulReceiver rx;
  rx.self_ = session.receiver;
  rx.peer_ = session.sender;
  rx.products_ = products;
  rx.digest_ = c.digest;
  Gadget gadget = gadget_vector(c.digest);
  Secp256k1Scalar b;
  for (std::size_t j = 0; j < kMulOts; ++j) {
    b += masked_scalar(gadget.encoded.data() + j * kScalar, detail::get_bit(ext.first.choices.span(), j));
  }
  rx.gadget_ = std::move(gadget.g);
  rx.b_ = b;
  rx.choices_.assign(ext.first.choices.span().begin(), ext.first.choices.span().end());
  rx.rows_.assign(ext.first.rows.span().begin(), ext.first.rows.span().end());
  MulRequest req{c.tag, static_cast<std::uint8_t>(products), std::move(ext.second)};
  return std::pair{std::move(rx), std::move(req)};
}

MulReceiver::~MulReceiver() {
  if (!choices_.empty()) sodium_memzero(choices_.data(), choices_.size());
  if (!rows_.empty()) sodium_memzero(rows_.data(), rows_.size() * sizeof(std::uint64_t));
}

Result<std::vector<Secp256k1Scalar>> MulReceiver::finish(OtReceiverSetup& setup, const MulResponse& response) && {
  TSIGN_CHECK(detail::check_usable(setup, self_, peer_));
  TSIGN_CHECK(detail::check_tag(response.tag, detail::session_tag(digest_), peer_, "multiplication response"));
  const std::size_t l = products_, width = (l + 1) * kScalar;
  if (response.products != l || response.a_tilde.size() != kMulOts * width) {
    return detail::blame(ErrorKind::InvalidInput, peer_, "multiplication response: wrong number of products");
  }
  const std::vector<Secp256k1Scalar> th = theta(digest_, l, response.a_tilde);

  const std::uint8_t zero[kRowBytes] = {};
  const detail::RotHasher hasher(digest_, zero);
  detail::WipedBytes gamma(width);

  std::vector<Secp256k1Scalar> d(l), dot(l + 1);
  MuHash mu(digest_, l);
  for (std::size_t j = 0; j < kMulOts; ++j) {
    const std::uint8_t beta = detail::get_bit(choices_, j);
    hasher.hash(j, rows_.data() + j * detail::kRowWords, gamma.span());
    for (std::size_t k = 0; k <= l; ++k) {
      // ḋ_{j,k} = γ_{j,k} + β_j·ã_{j,k} = α0_{j,k} + β_j·a_k
      dot[k] = uniform_scalar(gamma.data() + k * kScalar) +
               masked_scalar(response.a_tilde.data() + j * width + k * kScalar, beta);
    }
    Secp256k1Scalar mu_j = dot[l] - masked_scalar(response.eta.data(), beta);
    for (std::size_t k = 0; k < l; ++k) {
      d[k] += gadget_[j] * dot[k];
      mu_j += th[k] * dot[k];
    }
    mu.feed(mu_j);
  }
  const Digest32 expect = mu.finish();
  if (detail::published(sodium_memcmp(expect.data(), response.mu.data(), expect.size()) != 0)) {
    setup.mark_poisoned();
    return detail::abort_by(peer_, "multiplication check (mu) failed");
  }
  return d;
}

namespace detail {

Result<MulSenderResult> mul_sender_respond(OtSenderSetup& setup, const PairSession& session,
                                           std::span<const Secp256k1Scalar> inputs, const MulRequest& request,
                                           const std::optional<SenderDeviation>& deviation) {
  TSIGN_CHECK(validate(session));
  TSIGN_CHECK(check_usable(setup, session.sender, session.receiver));
  const std::size_t l = inputs.size();
  if (l == 0 || l > kMaxProducts) return make_error(ErrorKind::InvalidInput, "multiplication: unsupported number of inputs");
  const Context c = context(session);
  TSIGN_CHECK(check_tag(request.tag, c.tag, session.receiver, "multiplication request"));
  if (request.products != l) {
    return blame(ErrorKind::InvalidInput, session.receiver,
                 "multiplication request asks for " + std::to_string(request.products) + " products, the sender has " +
                     std::to_string(l) + " inputs");
  }
  TSIGN_TRY(SenderBatch ext, extend_sender(setup, c.digest, kMulOts, request.extension));

  const std::size_t width = (l + 1) * kScalar;
  const std::uint8_t zero[kRowBytes] = {};
  const RotHasher hash0(c.digest, zero), hash1(c.digest, StateAccess::delta(setup));
  WipedBytes m0(width), m1(width);

  const Secp256k1Scalar a_hat = Secp256k1Scalar::random();
  std::vector<Secp256k1Scalar> a(inputs.begin(), inputs.end());
  a.push_back(a_hat);
  std::vector<Secp256k1Scalar> shifted = a;
  shifted[0] += Secp256k1Scalar::one();

  MulSenderResult out;
  out.response.tag = c.tag;
  out.response.products = static_cast<std::uint8_t>(l);
  out.response.a_tilde.resize(kMulOts * width);
  std::vector<Secp256k1Scalar> alpha0(kMulOts * (l + 1));
  for (std::size_t j = 0; j < kMulOts; ++j) {
    bool shift = false;
    if (deviation) {
      for (std::size_t row : deviation->shifted_rows) shift = shift || row == j;
    }
    const std::vector<Secp256k1Scalar>& aj = shift ? shifted : a;
    hash0.hash(j, ext.rows.data() + j * kRowWords, m0.span());
    hash1.hash(j, ext.rows.data() + j * kRowWords, m1.span());
    for (std::size_t k = 0; k <= l; ++k) {
      alpha0[j * (l + 1) + k] = uniform_scalar(m0.data() + k * kScalar);
      const Secp256k1Scalar at_j = alpha0[j * (l + 1) + k] - uniform_scalar(m1.data() + k * kScalar) + aj[k];
      const ByteArray<32> enc = at_j.to_bytes();
      std::memcpy(out.response.a_tilde.data() + j * width + k * kScalar, enc.data(), kScalar);
    }
  }

  std::vector<Secp256k1Scalar> th = theta(c.digest, l, out.response.a_tilde);
  if (deviation && deviation->wrong_theta) th[0] += Secp256k1Scalar::one();
  Secp256k1Scalar eta = a_hat;
  for (std::size_t k = 0; k < l; ++k) eta += th[k] * a[k];
  out.response.eta = eta.to_bytes();

  const std::vector<Secp256k1Scalar> g = gadget_vector(c.digest).g;
  out.shares.assign(l, Secp256k1Scalar::zero());
  MuHash mu(c.digest, l);
  for (std::size_t j = 0; j < kMulOts; ++j) {
    const Secp256k1Scalar* a0 = &alpha0[j * (l + 1)];
    Secp256k1Scalar mu_j = a0[l];
    for (std::size_t k = 0; k < l; ++k) {
      mu_j += th[k] * a0[k];
      out.shares[k] -= g[j] * a0[k];
    }
    mu.feed(mu_j);
  }
  out.response.mu = mu.finish();
  publish(out.response.a_tilde);
  publish(out.response.eta);
  publish(out.response.mu);
  return out;
}

}  // namespace detail

Result<MulSenderResult> mul_sender_respond(OtSenderSetup& setup, const PairSession& session,
                                           std::span<const Secp256k1Scalar> inputs, const MulRequest& request) {
  return detail::mul_sender_respond(setup, session, inputs, request, std::nullopt);
}

}  // namespace tsign::ot
