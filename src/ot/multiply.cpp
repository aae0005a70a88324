#include "ot/multiply.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "../math/secp256k1_scalar_limbs.hpp"
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

namespace sn = secp256k1_n;
using sn::Limbs;

// The inner loops keep scalars as plain limbs (the value itself, not its Montgomery form): hash
// outputs, ã and η then need no conversion. Sums of products stay unreduced (sn::Wide) and are
// reduced once: per OT for μ_j, once per share for the gadget sums.
constexpr std::size_t kBatch = 16;  // OTs hashed per call: 32 ChaCha blocks for ℓ = 2

// A random-OT message's scalar: 32 hash bytes read little-endian (ChaCha's own word order, a
// plain load), reduced once like reduce_be32.
Limbs hash_scalar(const std::uint8_t* p) {
  Limbs v;
  detail::load_words({p, kScalar}, v);
  return sn::add_mod(v, Limbs{});
}

template <class T>
void wipe(T& v) {
  sodium_memzero(&v, sizeof v);
}

// The ξ entries of the gadget vector, from the session, as plain values: b = Σ g_j·β_j is uniform
// for uniform β (2·λs bits of slack), and no party can pick g to suit its choice bits. Entry j is
// bytes 32j..32j+31 of a PRG stream, read a batch at a time as the loops need them.
class Gadget {
 public:
  explicit Gadget(const Digest32& digest) : key_(detail::keyed_hash(digest, "gadget vector", {})) {}
  // Entries j0 .. j0 + n - 1 into out; j0 is a multiple of kBatch, n at most kBatch.
  void entries(std::size_t j0, std::size_t n, Limbs* out) const {
    static const std::uint8_t kZeroNonce[12] = {};
    std::uint8_t stream[kBatch * kScalar];
    detail::prg(key_.data(), kZeroNonce, {stream, n * kScalar}, static_cast<std::uint32_t>(j0 * kScalar / 64));
    for (std::size_t i = 0; i < n; ++i) out[i] = sn::reduce_be32(stream + i * kScalar);
  }

 private:
  static_assert(kBatch * kScalar % 64 == 0, "batches start on a block");
  Digest32 key_;  // public: g is public
};

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

// μ = H(session, μ_1..μ_ξ): the μ_j, in order, are encoded into a small buffer that goes into
// the hash whenever it fills (a heap buffer for all of them would be allocated and wiped per
// multiplication).
class MuHash {
 public:
  MuHash(const Digest32& digest, std::size_t products) : h_(digest, "mu") {
    h_.update_u32(static_cast<std::uint32_t>(products));
  }
  ~MuHash() { sodium_memzero(buffer_, sizeof buffer_); }
  MuHash(const MuHash&) = delete;
  MuHash& operator=(const MuHash&) = delete;
  // The next μ_j, plain: hashed as its canonical big-endian encoding.
  void add(const Limbs& v) {
    sn::to_be(v, buffer_ + used_);
    used_ += kScalar;
    if (used_ == sizeof buffer_) flush();
  }
  // Every μ_j must have been added.
  Digest32 finish() {
    flush();
    return h_.finish32();
  }

 private:
  void flush() {
    h_.update({buffer_, used_});
    used_ = 0;
  }
  detail::KeyedHash h_;
  std::uint8_t buffer_[kBatch * kScalar];
  std::size_t used_ = 0;
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

struct MulReceiver::Batch {
  detail::ReceiverBatch ext;  // β and the rows t_j
  std::vector<Limbs> gadget;  // g, plain limbs (public): hashed once, used twice
};

MulReceiver::MulReceiver() = default;
MulReceiver::~MulReceiver() = default;
MulReceiver::MulReceiver(MulReceiver&&) noexcept = default;
MulReceiver& MulReceiver::operator=(MulReceiver&&) noexcept = default;

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
  rx.batch_ = std::make_unique<Batch>(Batch{std::move(ext.first), std::vector<Limbs>(kMulOts)});
  std::vector<Limbs>& g = rx.batch_->gadget;
  const Gadget gadget(c.digest);
  for (std::size_t j0 = 0; j0 < kMulOts; j0 += kBatch) gadget.entries(j0, std::min(kBatch, kMulOts - j0), &g[j0]);
  const ByteSpan choices = rx.batch_->ext.choices.span();
  Limbs b{};
  for (std::size_t j = 0; j < kMulOts; ++j) {
    const std::uint64_t beta = 0 - std::uint64_t{detail::get_bit(choices, j)};
    b = sn::add_mod(b, sn::masked(g[j], beta));
  }
  rx.b_ = Secp256k1ScalarOps::make(sn::to_mont(b));
  wipe(b);
  MulRequest req{c.tag, static_cast<std::uint8_t>(products), std::move(ext.second)};
  return std::pair{std::move(rx), std::move(req)};
}

Result<std::vector<Secp256k1Scalar>> MulReceiver::finish(OtReceiverSetup& setup, const MulResponse& response) && {
  if (!batch_) return make_error(ErrorKind::InvalidInput, "multiplication: this receiver was moved from");
  TSIGN_CHECK(detail::check_usable(setup, self_, peer_));
  TSIGN_CHECK(detail::check_tag(response.tag, detail::session_tag(digest_), peer_, "multiplication response"));
  const std::size_t l = products_, width = (l + 1) * kScalar;
  const ByteSpan choices = batch_->ext.choices.span();
  const std::uint64_t* rows = batch_->ext.rows.data();
  const std::vector<Limbs>& gadget = batch_->gadget;
  if (response.products != l || response.a_tilde.size() != kMulOts * width) {
    return detail::blame(ErrorKind::InvalidInput, peer_, "multiplication response: wrong number of products");
  }
  // The sender's response meets this party's choice bits: on record first, disabled unless μ holds.
  TSIGN_TRY(CheckAttempt attempt, setup.guard().begin(peer_));
  const std::vector<Secp256k1Scalar> th = theta(digest_, l, response.a_tilde);

  Limbs theta_plain[kMaxProducts];
  for (std::size_t k = 0; k < l; ++k) theta_plain[k] = sn::from_mont(Secp256k1ScalarOps::limbs(th[k]));
  // n − η, added where β_j = 1 (in (0, n]: the wide sums take it as it is).
  const Limbs neg_eta = sn::sub_mod(sn::kN, sn::from_be(response.eta.data()));

  const std::uint8_t zero[kRowBytes] = {};
  const detail::RotHasher hasher(digest_, zero);
  std::uint8_t gamma[kBatch * (kMaxProducts + 1) * kScalar];
  Limbs dot[kMaxProducts + 1];
  sn::Wide d[kMaxProducts] = {}, w;
  MuHash mu(digest_, l);
  for (std::size_t j0 = 0; j0 < kMulOts; j0 += kBatch) {
    const std::size_t n = std::min(kBatch, kMulOts - j0);
    hasher.hash(j0, {rows + j0 * detail::kRowWords, n * detail::kRowWords}, width, {gamma, n * width});
    for (std::size_t j = j0; j < j0 + n; ++j) {
      const std::uint64_t beta = 0 - std::uint64_t{detail::get_bit(choices, j)};
      const std::uint8_t* gj = gamma + (j - j0) * width;
      const std::uint8_t* aj = response.a_tilde.data() + j * width;
      for (std::size_t k = 0; k <= l; ++k) {
        // ḋ_{j,k} = γ_{j,k} + β_j·ã_{j,k} = α0_{j,k} + β_j·a_k
        dot[k] = sn::add_mod(hash_scalar(gj + k * kScalar), sn::masked(sn::from_be(aj + k * kScalar), beta));
      }
      // μ_j = ḋ_{j,ℓ+1} − β_j·η + Σ θ_k·ḋ_{j,k}; the shares' sums Σ g_j·ḋ_{j,k}.
      w = {};
      sn::add_to(w, dot[l]);
      sn::add_to(w, sn::masked(neg_eta, beta));
      for (std::size_t k = 0; k < l; ++k) {
        sn::mul_add(w, theta_plain[k], dot[k]);
        sn::mul_add(d[k], gadget[j], dot[k]);
      }
      mu.add(sn::reduce_wide(w));
    }
  }
  std::vector<Secp256k1Scalar> shares;
  for (std::size_t k = 0; k < l; ++k) shares.push_back(Secp256k1ScalarOps::make(sn::to_mont(sn::reduce_wide(d[k]))));
  wipe(gamma);
  wipe(d);
  wipe(dot);
  wipe(w);
  const Digest32 expect = mu.finish();
  if (detail::published(sodium_memcmp(expect.data(), response.mu.data(), expect.size()) != 0)) {
    return detail::abort_by(peer_, "multiplication check (mu) failed");  // `attempt` disables the pair
  }
  attempt.pass();
  return shares;
}

namespace detail {
namespace {

// `deviation` is set only by the test builds' deviating sender.
Result<MulSenderResult> mul_sender_respond_impl(OtSenderSetup& setup, const PairSession& session,
                                                std::span<const Secp256k1Scalar> inputs, const MulRequest& request,
                                                [[maybe_unused]] const SenderDeviation* deviation) {
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

  const Secp256k1Scalar a_hat = Secp256k1Scalar::random();
  std::vector<Secp256k1Scalar> a(inputs.begin(), inputs.end());
  a.push_back(a_hat);
  // (a, â) plain, and with a_1 + 1 for the rows a deviating sender shifts.
  Limbs a_plain[kMaxProducts + 1], shifted[kMaxProducts + 1];
  for (std::size_t k = 0; k <= l; ++k) a_plain[k] = shifted[k] = sn::from_mont(Secp256k1ScalarOps::limbs(a[k]));
  shifted[0] = sn::add_mod(shifted[0], sn::kOneLimbs);

  MulSenderResult out;
  out.response.tag = c.tag;
  out.response.products = static_cast<std::uint8_t>(l);
  out.response.a_tilde.resize(kMulOts * width);
  // First pass: ã, and the shares' sums Σ g_j·α0_{j,k} (reduced once, after the loop). α0 is kept
  // for μ, which needs θ = H(ã) and so all of ã first.
  const Gadget gadget(c.digest);
  Limbs g[kBatch];
  const std::size_t alpha0_size = kMulOts * (l + 1);
  const std::unique_ptr<Limbs[]> alpha0(new Limbs[alpha0_size]);  // plain; written before read, wiped below
  sn::Wide acc[kMaxProducts] = {};
  std::uint8_t m0[kBatch * (kMaxProducts + 1) * kScalar], m1[sizeof m0];
  for (std::size_t j0 = 0; j0 < kMulOts; j0 += kBatch) {
    const std::size_t n = std::min(kBatch, kMulOts - j0);
    const std::span<const std::uint64_t> rows{ext.rows.data() + j0 * kRowWords, n * kRowWords};
    hash0.hash(j0, rows, width, {m0, n * width});
    hash1.hash(j0, rows, width, {m1, n * width});
    gadget.entries(j0, n, g);
    for (std::size_t j = j0; j < j0 + n; ++j) {
      bool shift = false;
#ifdef TSIGN_TEST_HOOKS
      if (deviation) {
        for (std::size_t row : deviation->shifted_rows) shift = shift || row == j;
      }
#endif
      const Limbs* aj = shift ? shifted : a_plain;
      for (std::size_t k = 0; k <= l; ++k) {
        const std::size_t at = (j - j0) * width + k * kScalar;
        Limbs& a0 = alpha0[j * (l + 1) + k];
        a0 = hash_scalar(m0 + at);
        const Limbs at_j = sn::add_mod(sn::sub_mod(a0, hash_scalar(m1 + at)), aj[k]);
        sn::to_be(at_j, out.response.a_tilde.data() + j * width + k * kScalar);
        if (k < l) sn::mul_add(acc[k], g[j - j0], a0);
      }
    }
  }
  wipe(m0);
  wipe(m1);
  wipe(a_plain);
  wipe(shifted);
  for (std::size_t k = 0; k < l; ++k) {
    out.shares.push_back(-Secp256k1ScalarOps::make(sn::to_mont(sn::reduce_wide(acc[k]))));
  }
  wipe(acc);

  std::vector<Secp256k1Scalar> th = theta(c.digest, l, out.response.a_tilde);
#ifdef TSIGN_TEST_HOOKS
  if (deviation && deviation->wrong_theta) th[0] += Secp256k1Scalar::one();
#endif
  Secp256k1Scalar eta = a_hat;
  for (std::size_t k = 0; k < l; ++k) eta += th[k] * a[k];
  out.response.eta = eta.to_bytes();

  // Second pass: μ_j = α0_{j,ℓ+1} + Σ θ_k·α0_{j,k}, one reduction per OT.
  Limbs theta_plain[kMaxProducts];
  for (std::size_t k = 0; k < l; ++k) theta_plain[k] = sn::from_mont(Secp256k1ScalarOps::limbs(th[k]));
  MuHash mu(c.digest, l);
  sn::Wide w;
  for (std::size_t j = 0; j < kMulOts; ++j) {
    const Limbs* a0 = &alpha0[j * (l + 1)];
    w = {};
    sn::add_to(w, a0[l]);
    for (std::size_t k = 0; k < l; ++k) sn::mul_add(w, theta_plain[k], a0[k]);
    mu.add(sn::reduce_wide(w));
  }
  sodium_memzero(alpha0.get(), alpha0_size * sizeof(Limbs));
  wipe(w);
  out.response.mu = mu.finish();
  publish(out.response.a_tilde);
  publish(out.response.eta);
  publish(out.response.mu);
  return out;
}

}  // namespace

#ifdef TSIGN_TEST_HOOKS
Result<MulSenderResult> mul_sender_respond_deviating(OtSenderSetup& setup, const PairSession& session,
                                                     std::span<const Secp256k1Scalar> inputs,
                                                     const MulRequest& request, const SenderDeviation& deviation) {
  return mul_sender_respond_impl(setup, session, inputs, request, &deviation);
}
#endif

}  // namespace detail

Result<MulSenderResult> mul_sender_respond(OtSenderSetup& setup, const PairSession& session,
                                           std::span<const Secp256k1Scalar> inputs, const MulRequest& request) {
  return detail::mul_sender_respond_impl(setup, session, inputs, request, nullptr);
}

}  // namespace tsign::ot
