#include "ot/extension.hpp"

#include <sodium.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <vector>

#include "chacha_lanes.hpp"
#include "extension_core.hpp"
#include "message_header.hpp"
#include "primitives.hpp"
#include "state_access.hpp"
#include "ot/bit_matrix.hpp"

namespace tsign::ot {

namespace {

constexpr std::string_view kPurpose = "OT extension";
using detail::kRowWords;

// Chunks whose seeds are expanded together (ChaCha20 sixteen blocks at a time): 32 seeds on the
// receiver's side, 24 on the sender's, whole calls for the two-block streams of a multiplication.
constexpr std::size_t kChunkGroup = 8;
static_assert(kChunks % kChunkGroup == 0);

Gf128 load_gf(const std::uint8_t* p) {
  std::uint64_t w[2];
  detail::load_words({p, 16}, w);
  return {w[0], w[1]};
}

void store_gf(const Gf128& g, Bytes& out) {
  std::uint8_t b[16];
  const std::uint64_t w[2] = {g.lo, g.hi};
  detail::store_words(w, b);
  append(out, b);
}

// The 12-byte ChaCha20 nonce of this session's seed expansions: every seed is reused by every
// session, so the streams must differ per session.
void session_nonce(const Digest32& digest, std::uint8_t nonce[12]) {
  const Digest32 n = detail::keyed_hash(digest, "PRG nonce", {});
  std::memcpy(nonce, n.data(), 12);
}

// χ_j for the hashed rows, then X^i for the 128 padding rows.
std::vector<Gf128> check_coefficients(const Digest32& digest, ByteSpan corrections, std::size_t rows) {
  const Digest32 seed = detail::keyed_hash(digest, "check challenge", {corrections});
  const std::size_t hashed = rows - kCheckPadRows;
  std::vector<std::uint8_t> stream(hashed * 16);
  static const std::uint8_t kZeroNonce[12] = {};
  detail::prg(seed.data(), kZeroNonce, stream);
  std::vector<Gf128> coef(rows);
  for (std::size_t j = 0; j < hashed; ++j) coef[j] = load_gf(stream.data() + 16 * j);
  for (std::size_t i = 0; i < kCheckPadRows; ++i) coef[hashed + i] = gf128_monomial(static_cast<unsigned>(i));
  return coef;
}

// Σ coef_j·row_j over both 128-bit halves of each row, a few rows at a time through small
// buffers (the dot product wants each half as one span).
std::array<Gf128, 2> combine_rows(const std::vector<Gf128>& coef, const detail::WipedWords& rows) {
  constexpr std::size_t kStep = 32;
  Gf128 lo[kStep], hi[kStep];
  std::array<Gf128, 2> out{};
  for (std::size_t j0 = 0; j0 < coef.size(); j0 += kStep) {
    const std::size_t n = std::min(kStep, coef.size() - j0);
    for (std::size_t j = 0; j < n; ++j) {
      const std::uint64_t* row = rows.data() + (j0 + j) * kRowWords;
      lo[j] = {row[0], row[1]};
      hi[j] = {row[2], row[3]};
    }
    const std::span<const Gf128> c{coef.data() + j0, n};
    out[0] ^= gf128_dot(c, {lo, n});
    out[1] ^= gf128_dot(c, {hi, n});
  }
  sodium_memzero(lo, sizeof lo);
  sodium_memzero(hi, sizeof hi);
  return out;
}

SecretBytes rows_to_secret(const detail::WipedWords& rows) {
  SecretBytes out(rows.size() * 8);
  detail::store_words(rows.span(), out.expose_mut());
  return out;
}

detail::WipedWords rows_from_secret(const SecretBytes& rows) {
  auto out = detail::WipedWords::uninitialized(rows.size() / 8);
  detail::load_words(rows.expose(), out.span());
  return out;
}

}  // namespace

namespace detail {

namespace {

// `flipped_row` is set only by the test builds' deviating receiver.
Result<std::pair<ReceiverBatch, ExtensionPayload>> extend_receiver_impl(
    const OtReceiverSetup& setup, const Digest32& digest, std::size_t ots,
    [[maybe_unused]] std::optional<std::size_t> flipped_row) {
  assert(ots > 0 && ots <= kMaxExtensionOts);
  const std::size_t rows = extension_rows(ots), words = rows / 64, bytes = rows / 8;
  std::uint8_t nonce[12];
  session_nonce(digest, nonce);

  WipedWords cols(kBaseOts * words), u(words), u0(words), r(words);
  auto streams = WipedBytes::uninitialized(kChunkGroup * kLeaves * bytes);
  ExtensionPayload payload;
  payload.corrections.resize((kChunks - 1) * bytes);
  for (std::size_t chunk = 0; chunk < kChunks; ++chunk) {
    if (chunk % kChunkGroup == 0) {
      // The seeds of consecutive chunks are stored one after the other.
      chacha20_streams(StateAccess::receiver_seed(setup, chunk, 0), kChunkGroup * kLeaves, nonce, bytes,
                       streams.data());
    }
    std::fill(u.span().begin(), u.span().end(), 0);
    for (std::size_t x = 0; x < kLeaves; ++x) {
      load_words({streams.data() + ((chunk % kChunkGroup) * kLeaves + x) * bytes, bytes}, r.span());
      for (std::size_t w = 0; w < words; ++w) u[w] ^= r[w];
      for (std::size_t b = 0; b < kSoftSpokenK; ++b) {
        if (((x >> b) & 1) == 0) continue;  // x is a public index
        std::uint64_t* col = cols.data() + (chunk * kSoftSpokenK + b) * words;
        for (std::size_t w = 0; w < words; ++w) col[w] ^= r[w];
      }
    }
    if (chunk == 0) {
      std::copy(u.span().begin(), u.span().end(), u0.span().begin());
      continue;
    }
    for (std::size_t w = 0; w < words; ++w) r[w] = u[w] ^ u0[w];
#ifdef TSIGN_TEST_HOOKS
    if (flipped_row) r[*flipped_row / 64] ^= std::uint64_t{1} << (*flipped_row % 64);
#endif
    store_words(r.span(), {payload.corrections.data() + (chunk - 1) * bytes, bytes});
  }

  auto row_words = WipedWords::uninitialized(rows * kRowWords);
  transpose_bits(cols.span(), kBaseOts, rows, row_words.span());

  const std::vector<Gf128> coef = check_coefficients(digest, payload.corrections, rows);
  Gf128 x_check;
  for (std::size_t j = 0; j < rows; ++j) {
    const std::uint64_t mask = 0 - ((u0[j / 64] >> (j % 64)) & 1);
    x_check.lo ^= coef[j].lo & mask;
    x_check.hi ^= coef[j].hi & mask;
  }
  payload.x_check = x_check;
  payload.t_check = combine_rows(coef, row_words);
  publish(payload.corrections);
  publish({reinterpret_cast<const std::uint8_t*>(&payload.x_check), sizeof(Gf128)});
  publish({reinterpret_cast<const std::uint8_t*>(payload.t_check.data()), sizeof payload.t_check});

  ReceiverBatch out;
  out.choices = WipedBytes((ots + 7) / 8);
  {
    WipedBytes all(bytes);
    store_words(u0.span(), all.span());
    std::memcpy(out.choices.data(), all.data(), out.choices.size());
    if (ots % 8 != 0) out.choices[ots / 8] &= static_cast<std::uint8_t>((1u << (ots % 8)) - 1);
  }
  row_words.truncate(ots * kRowWords);
  out.rows = std::move(row_words);
  return std::pair{std::move(out), std::move(payload)};
}

}  // namespace

Result<std::pair<ReceiverBatch, ExtensionPayload>> extend_receiver(const OtReceiverSetup& setup,
                                                                   const Digest32& digest, std::size_t ots) {
  return extend_receiver_impl(setup, digest, ots, std::nullopt);
}

#ifdef TSIGN_TEST_HOOKS
Result<std::pair<ReceiverBatch, ExtensionPayload>> extend_receiver_deviating(const OtReceiverSetup& setup,
                                                                             const Digest32& digest, std::size_t ots,
                                                                             ReceiverDeviation deviation) {
  return extend_receiver_impl(setup, digest, ots, deviation.row);
}
#endif

Result<SenderBatch> extend_sender(OtSenderSetup& setup, const Digest32& digest, std::size_t ots,
                                  const ExtensionPayload& payload) {
  assert(ots > 0 && ots <= kMaxExtensionOts);
  const std::size_t rows = extension_rows(ots), words = rows / 64, bytes = rows / 8;
  if (payload.corrections.size() != (kChunks - 1) * bytes) {
    return blame(ErrorKind::InvalidInput, setup.peer(), "OT extension: corrections of the wrong size");
  }
  // From here on Δ meets the receiver's data: the attempt is on record before, and the pair is
  // disabled unless the check below passes.
  TSIGN_TRY(CheckAttempt attempt, setup.guard().begin(setup.peer()));
  std::uint8_t nonce[12];
  session_nonce(digest, nonce);
  const ByteSpan delta = StateAccess::delta(setup);

  WipedWords cols(kBaseOts * words), r(words), corr(words);
  auto streams = WipedBytes::uninitialized(kChunkGroup * (kLeaves - 1) * bytes);
  for (std::size_t chunk = 0; chunk < kChunks; ++chunk) {
    if (chunk % kChunkGroup == 0) {
      // The seeds of consecutive chunks are stored one after the other.
      chacha20_streams(StateAccess::sender_seed(setup, chunk, 1), kChunkGroup * (kLeaves - 1), nonce, bytes,
                       streams.data());
    }
    std::uint64_t* col = cols.data() + chunk * kSoftSpokenK * words;
    // Seeds are stored by y = x XOR δ_h: column b collects the streams whose y has bit b set.
    for (std::size_t y = 1; y < kLeaves; ++y) {
      load_words({streams.data() + ((chunk % kChunkGroup) * (kLeaves - 1) + y - 1) * bytes, bytes}, r.span());
      for (std::size_t b = 0; b < kSoftSpokenK; ++b) {
        if (((y >> b) & 1) == 0) continue;  // y is a public index
        for (std::size_t w = 0; w < words; ++w) col[b * words + w] ^= r[w];
      }
    }
    if (chunk == 0) continue;
    load_words({payload.corrections.data() + (chunk - 1) * bytes, bytes}, corr.span());
    for (std::size_t b = 0; b < kSoftSpokenK; ++b) {
      const std::uint64_t mask = 0 - std::uint64_t{get_bit(delta, chunk * kSoftSpokenK + b)};
      for (std::size_t w = 0; w < words; ++w) col[b * words + w] ^= corr[w] & mask;
    }
  }

  auto row_words = WipedWords::uninitialized(rows * kRowWords);
  transpose_bits(cols.span(), kBaseOts, rows, row_words.span());

  const std::vector<Gf128> coef = check_coefficients(digest, payload.corrections, rows);
  const std::array<Gf128, 2> q_check = combine_rows(coef, row_words);
  std::uint64_t d[kRowWords];
  load_words(delta, d);
  const Gf128 expect_lo = payload.t_check[0] ^ gf128_mul(payload.x_check, {d[0], d[1]});
  const Gf128 expect_hi = payload.t_check[1] ^ gf128_mul(payload.x_check, {d[2], d[3]});
  sodium_memzero(d, sizeof d);
  const std::uint64_t got[4] = {q_check[0].lo, q_check[0].hi, q_check[1].lo, q_check[1].hi};
  const std::uint64_t want[4] = {expect_lo.lo, expect_lo.hi, expect_hi.lo, expect_hi.hi};
  if (published(sodium_memcmp(got, want, sizeof got) != 0)) {
    return abort_by(setup.peer(), "OT extension consistency check failed");  // `attempt` disables the pair
  }
  attempt.pass();

  SenderBatch out;
  row_words.truncate(ots * kRowWords);
  out.rows = std::move(row_words);
  return out;
}

// The correlation-robust hash of a row: ChaCha20 keyed by row XOR mask XOR K, K a session key,
// with the OT index j and a session tweak as the nonce and the output block as the counter.
// Sound for the same reason as a keyed permutation: the input block of ChaCha's permutation
// holds the secret row, and a party that lacks Δ knows at most one of the two rows of an OT (the
// other differs by the unknown Δ), so it never evaluates the permutation where the other
// message comes from; modelling the permutation as random, that message is fresh and uniform
// (the feed-forward only adds its input). The nonce and counter make the input of every OT and
// block distinct (the tweak), K separates sessions. One call per 64 output bytes, and the OTs
// run sixteen at a time side by side (chacha_lanes.hpp).
RotHasher::RotHasher(const Digest32& digest, ByteSpan mask) {
  assert(mask.size() == kRowBytes);
  const Digest32 k = keyed_hash(digest, "random OT key", {});
  std::uint8_t masked[kRowBytes];
  for (std::size_t i = 0; i < kRowBytes; ++i) masked[i] = static_cast<std::uint8_t>(k[i] ^ mask[i]);
  load_words(masked, base_);
  sodium_memzero(masked, sizeof masked);
  const Digest32 t = keyed_hash(digest, "random OT tweak", {});
  for (std::size_t i = 0; i < 2; ++i) {
    tweak_[i] = std::uint32_t{t[4 * i]} | std::uint32_t{t[4 * i + 1]} << 8 | std::uint32_t{t[4 * i + 2]} << 16 |
                std::uint32_t{t[4 * i + 3]} << 24;
  }
}

RotHasher::~RotHasher() { sodium_memzero(base_, sizeof base_); }

void RotHasher::hash(std::size_t first, std::span<const std::uint64_t> rows, std::size_t width,
                     std::span<std::uint8_t> out) const {
  const std::size_t count = rows.size() / kRowWords, blocks = (width + 63) / 64;
  assert(rows.size() % kRowWords == 0 && width % 32 == 0 && width <= kMaxRotWidth && out.size() == count * width);
  assert(first + count <= kMaxExtensionOts);
  std::uint32_t key[2 * kRowWords];
  ChaChaBatch batch;
  // Block b of OT j; the nonce is the OT index and the session tweak.
  for (std::size_t j = 0; j < count; ++j) {
    for (std::size_t w = 0; w < kRowWords; ++w) {
      const std::uint64_t k = rows[j * kRowWords + w] ^ base_[w];
      key[2 * w] = static_cast<std::uint32_t>(k);
      key[2 * w + 1] = static_cast<std::uint32_t>(k >> 32);
    }
    const std::uint32_t nonce[3] = {static_cast<std::uint32_t>(first + j), tweak_[0], tweak_[1]};
    for (std::size_t b = 0; b < blocks; ++b) {
      batch.add(key, static_cast<std::uint32_t>(b), nonce, out.data() + j * width + b * 64,
                std::min<std::size_t>(64, width - b * 64));
    }
  }
  batch.finish();
  sodium_memzero(key, sizeof key);
}

void rot_hash(const Digest32& digest, std::span<const std::uint64_t> rows, ByteSpan mask, std::size_t width,
              std::span<std::uint8_t> out) {
  assert(rows.size() % kRowWords == 0 && out.size() == rows.size() / kRowWords * width);
  const RotHasher h(digest, mask);
  h.hash(0, rows, width, out);
}

}  // namespace detail

void ExtensionPayload::encode_to(Bytes& out) const {
  append(out, corrections);
  store_gf(x_check, out);
  store_gf(t_check[0], out);
  store_gf(t_check[1], out);
}

Result<ExtensionPayload> ExtensionPayload::decode(ByteSpan in, std::size_t ots, PartyId from) {
  if (ots == 0 || ots > kMaxExtensionOts) {
    return detail::blame(ErrorKind::InvalidInput, from, "OT extension: unsupported batch size");
  }
  if (in.size() != encoded_size(ots)) {
    return detail::blame(ErrorKind::InvalidInput, from,
                         "OT extension message: expected " + std::to_string(encoded_size(ots)) + " bytes, got " +
                             std::to_string(in.size()));
  }
  ExtensionPayload p;
  const std::size_t n = in.size() - 48;
  p.corrections.assign(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
  p.x_check = load_gf(in.data() + n);
  p.t_check[0] = load_gf(in.data() + n + 16);
  p.t_check[1] = load_gf(in.data() + n + 32);
  return p;
}

Bytes ExtensionMsg::encode() const {
  Bytes out;
  detail::write_header(out, detail::MessageType::kExtension, tag);
  Writer w;
  w.u32(ots);
  append(out, w.bytes());
  payload.encode_to(out);
  return out;
}

Result<ExtensionMsg> ExtensionMsg::decode(ByteSpan in, std::size_t ots, PartyId from) {
  Reader r(in, "OT extension message");
  ExtensionMsg m;
  TSIGN_TRY(m.tag, detail::read_header(r, detail::MessageType::kExtension, from));
  auto n = r.u32();
  if (!n) return detail::with_culprit(n.error(), from);
  if (*n != ots) return detail::blame(ErrorKind::InvalidInput, from, "OT extension message: wrong batch size");
  m.ots = *n;
  TSIGN_TRY(m.payload, ExtensionPayload::decode(in.subspan(detail::kHeaderSize + 4), ots, from));
  return m;
}

Result<std::pair<ExtensionReceiverOutput, ExtensionMsg>> extend_receiver(const OtReceiverSetup& setup,
                                                                         const PairSession& session, std::size_t ots) {
  TSIGN_CHECK(validate(session));
  TSIGN_CHECK(detail::check_usable(setup, session.receiver, session.sender));
  if (ots == 0 || ots > kMaxExtensionOts) return make_error(ErrorKind::InvalidInput, "OT extension: unsupported batch size");
  const Digest32 digest = detail::session_digest(kPurpose, session);
  TSIGN_TRY(auto result, detail::extend_receiver(setup, digest, ots));
  ExtensionReceiverOutput out{ots, SecretBytes::copy_of(result.first.choices.span()), rows_to_secret(result.first.rows)};
  ExtensionMsg msg{detail::session_tag(digest), static_cast<std::uint32_t>(ots), std::move(result.second)};
  return std::pair{std::move(out), std::move(msg)};
}

Result<ExtensionSenderOutput> extend_sender(OtSenderSetup& setup, const PairSession& session, const ExtensionMsg& msg) {
  TSIGN_CHECK(validate(session));
  TSIGN_CHECK(detail::check_usable(setup, session.sender, session.receiver));
  const Digest32 digest = detail::session_digest(kPurpose, session);
  TSIGN_CHECK(detail::check_tag(msg.tag, detail::session_tag(digest), session.receiver, "OT extension message"));
  if (msg.ots == 0 || msg.ots > kMaxExtensionOts) {
    return detail::blame(ErrorKind::InvalidInput, session.receiver, "OT extension: unsupported batch size");
  }
  TSIGN_TRY(detail::SenderBatch batch, detail::extend_sender(setup, digest, msg.ots, msg.payload));
  return ExtensionSenderOutput{msg.ots, SecretBytes::copy_of(StateAccess::delta(setup)),
                               rows_to_secret(batch.rows)};
}

SecretBytes rot_receiver_messages(const ExtensionReceiverOutput& out, const PairSession& session, std::size_t width) {
  const Digest32 digest = detail::session_digest(kPurpose, session);
  SecretBytes msgs(out.ots * width);
  const std::uint8_t zero[kRowBytes] = {};
  detail::rot_hash(digest, rows_from_secret(out.rows).span(), zero, width, msgs.expose_mut());
  return msgs;
}

SecretBytes rot_sender_messages(const ExtensionSenderOutput& out, const PairSession& session, std::size_t width) {
  const Digest32 digest = detail::session_digest(kPurpose, session);
  SecretBytes m0(out.ots * width), m1(out.ots * width);
  const std::uint8_t zero[kRowBytes] = {};
  const detail::WipedWords rows = rows_from_secret(out.rows);
  detail::rot_hash(digest, rows.span(), zero, width, m0.expose_mut());
  detail::rot_hash(digest, rows.span(), out.delta.expose(), width, m1.expose_mut());
  SecretBytes msgs(2 * out.ots * width);
  for (std::size_t j = 0; j < out.ots; ++j) {
    std::memcpy(msgs.expose_mut().data() + 2 * j * width, m0.expose().data() + j * width, width);
    std::memcpy(msgs.expose_mut().data() + (2 * j + 1) * width, m1.expose().data() + j * width, width);
  }
  return msgs;
}

}  // namespace tsign::ot
