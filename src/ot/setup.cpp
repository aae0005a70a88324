#include "ot/setup.hpp"

#include <sodium.h>

#include <cstring>

#include "ggm.hpp"
#include "message_header.hpp"
#include "primitives.hpp"
#include "state_access.hpp"
#include "tsign/core/random.hpp"
#include "ot/extension.hpp"

namespace tsign::ot {

namespace {

constexpr std::string_view kPurpose = "OT extension setup";
constexpr std::size_t kCorrections = 2 * kBaseOts;

struct Context {
  Digest32 digest;
  SessionTag tag;
};

Result<Context> context(const PairSession& session) {
  TSIGN_CHECK(validate(session));
  Context c;
  c.digest = detail::session_digest(kPurpose, session);
  c.tag = detail::session_tag(c.digest);
  return c;
}

// The extension that carries a reverse setup runs on the forward pair under a session id of its
// own, derived from the reverse setup's session: no signature's session can coincide with it.
struct ReverseExtension {
  Digest32 id;
  PairSession session;
};

ReverseExtension reverse_extension(const PairSession& reverse) {
  ReverseExtension e;
  e.id = detail::session_digest("OT reverse setup extension", reverse);
  e.session = PairSession{e.id, reverse.receiver, reverse.sender};
  return e;
}

// The proof of one leaf: a hash of it under the session (a random oracle: it says nothing about
// the leaf but binds the tree holder to it).
void leaf_proof(const Digest32& digest, const std::uint8_t* leaf, std::uint8_t out[32]) {
  Digest32 p = detail::keyed_hash(digest, "OT setup leaf proof", {ByteSpan(leaf, 32)});
  std::memcpy(out, p.data(), 32);
  sodium_memzero(p.data(), p.size());
}

// The digest both sides compute over every leaf proof of every chunk, in leaf order.
class ProofDigest {
 public:
  explicit ProofDigest(const Digest32& digest) : h_(digest, "OT setup tree proofs") {}
  void add(const std::uint8_t proof[32]) { h_.update(ByteSpan(proof, 32)); }
  Digest32 finish() { return h_.finish32(); }

 private:
  detail::KeyedHash h_;
};

// R's side once it knows both keys of every base OT: one GGM tree per chunk from fresh roots,
// each level sum sent masked with the matching key, and the proof that the trees are whole: per
// chunk the XOR of its leaf proofs, and one digest over all of them (see SetupMsg3).
std::pair<SecretBytes, SetupMsg3> grow_trees(const Context& c, const SecretBytes& keys) {
  SecretBytes leaves(OtReceiverSetup::kSecretSize);
  SetupMsg3 out{c.tag, std::vector<ByteArray<32>>(kCorrections), std::vector<ByteArray<32>>(kChunks), {}};
  ProofDigest proofs(c.digest);
  std::uint8_t proof[32];
  // Every chunk's root, drawn at once (one system call), then the level sums of one tree.
  SecretScratch<std::uint8_t> scratch(32 * kChunks + sizeof(detail::Seed) * kSoftSpokenK * 2);
  random_fill(scratch.span().first(32 * kChunks));
  auto* sums = reinterpret_cast<detail::Seed(*)[2]>(scratch.span().data() + 32 * kChunks);
  for (std::size_t chunk = 0; chunk < kChunks; ++chunk) {
    const std::uint8_t* root = scratch.span().data() + 32 * chunk;
    auto* chunk_leaves = reinterpret_cast<detail::Seed*>(leaves.expose_mut().data() + chunk * kLeaves * 32);
    detail::ggm_expand(root, chunk_leaves, sums);
    auto& sum = out.proof_sums[chunk];
    sum.fill(0);
    for (std::size_t x = 0; x < kLeaves; ++x) {
      leaf_proof(c.digest, chunk_leaves[x], proof);
      proofs.add(proof);
      for (std::size_t t = 0; t < 32; ++t) sum[t] ^= proof[t];
    }
    detail::publish(sum);
    for (std::size_t level = 0; level < kSoftSpokenK; ++level) {
      const std::size_t i = chunk * kSoftSpokenK + level;
      for (std::size_t b = 0; b < 2; ++b) {
        const std::uint8_t* key = keys.expose().data() + (2 * i + b) * kBaseOtKeySize;
        auto& corr = out.corrections[2 * i + b];
        for (std::size_t t = 0; t < 32; ++t) corr[t] = static_cast<std::uint8_t>(sums[level][b][t] ^ key[t]);
        detail::publish(corr);
      }
    }
  }
  out.proof_digest = proofs.finish();
  detail::publish(out.proof_digest);
  sodium_memzero(proof, sizeof proof);
  return {std::move(leaves), std::move(out)};
}

}  // namespace

Bytes SetupMsg1::encode() const {
  Bytes out;
  detail::write_header(out, detail::MessageType::kSetup1, tag);
  base.encode_to(out);
  return out;
}

Result<SetupMsg1> SetupMsg1::decode(ByteSpan in, PartyId from) {
  Reader r(in, "OT setup message 1");
  SetupMsg1 m;
  TSIGN_TRY(m.tag, detail::read_header(r, detail::MessageType::kSetup1, from));
  auto body = r.raw(BaseOtSenderMsg::kSize);
  if (!body) return detail::with_culprit(body.error(), from);
  auto done = r.finish();
  if (!done) return detail::with_culprit(done.error(), from);
  TSIGN_TRY(m.base, BaseOtSenderMsg::decode(*body, from));
  return m;
}

Bytes SetupMsg2::encode() const {
  Bytes out;
  detail::write_header(out, detail::MessageType::kSetup2, tag);
  base.encode_to(out);
  return out;
}

Result<SetupMsg2> SetupMsg2::decode(ByteSpan in, PartyId from) {
  Reader r(in, "OT setup message 2");
  SetupMsg2 m;
  TSIGN_TRY(m.tag, detail::read_header(r, detail::MessageType::kSetup2, from));
  TSIGN_TRY(m.base, BaseOtReceiverMsg::decode(in.subspan(detail::kHeaderSize), kBaseOts, from));
  return m;
}

Bytes SetupMsg3::encode() const {
  Bytes out;
  detail::write_header(out, detail::MessageType::kSetup3, tag);
  for (const auto& c : corrections) append(out, c);
  for (const auto& p : proof_sums) append(out, p);
  append(out, proof_digest);
  return out;
}

Result<SetupMsg3> SetupMsg3::decode(ByteSpan in, PartyId from) {
  Reader r(in, "OT setup message 3");
  SetupMsg3 m;
  TSIGN_TRY(m.tag, detail::read_header(r, detail::MessageType::kSetup3, from));
  constexpr std::size_t kBody = (kCorrections + kChunks + 1) * 32;
  if (r.remaining() != kBody) {
    return detail::with_culprit(r.fail("expected " + std::to_string(kBody) + " bytes of corrections and tree proofs, got " +
                                       std::to_string(r.remaining())),
                                from);
  }
  m.corrections.resize(kCorrections);
  for (auto& c : m.corrections) c = *r.array<32>();
  m.proof_sums.resize(kChunks);
  for (auto& p : m.proof_sums) p = *r.array<32>();
  m.proof_digest = *r.array<32>();
  return m;
}

Result<std::pair<SetupReceiver, SetupMsg1>> SetupReceiver::start(const PairSession& session) {
  TSIGN_TRY(Context c, context(session));
  auto [base, base_msg] = BaseOtSender::start(c.digest, kBaseOts, session.sender);
  SetupMsg1 msg{c.tag, base_msg};
  return std::pair{SetupReceiver(session.receiver, session.sender, c.digest, c.tag, std::move(base)), msg};
}

Result<std::pair<OtReceiverSetup, SetupMsg3>> SetupReceiver::finish(const SetupMsg2& msg) && {
  TSIGN_CHECK(detail::check_tag(msg.tag, tag_, peer_, "OT setup message 2"));
  TSIGN_TRY(SecretBytes keys, std::move(base_).finish(msg.base));
  auto [leaves, out] = grow_trees(Context{digest_, tag_}, keys);
  return std::pair{StateAccess::make_receiver(self_, peer_, std::move(leaves)), std::move(out)};
}

Result<std::pair<OtReceiverSetup, SetupMsg3>> SetupReceiver::reverse(OtSenderSetup& forward,
                                                                      const PairSession& session,
                                                                      const ExtensionMsg& msg) {
  TSIGN_TRY(Context c, context(session));
  const ReverseExtension e = reverse_extension(session);
  TSIGN_TRY(ExtensionSenderOutput extended, extend_sender(forward, e.session, msg));
  const SecretBytes keys = rot_sender_messages(extended, e.session, kBaseOtKeySize);
  auto [leaves, out] = grow_trees(c, keys);
  return std::pair{StateAccess::make_receiver(session.receiver, session.sender, std::move(leaves)), std::move(out)};
}

Result<std::pair<SetupSender, SetupMsg2>> SetupSender::respond(const PairSession& session, const SetupMsg1& msg) {
  TSIGN_TRY(Context c, context(session));
  TSIGN_CHECK(detail::check_tag(msg.tag, c.tag, session.receiver, "OT setup message 1"));
  SecretBytes delta(kBaseOts / 8), choices(kBaseOts / 8);
  random_fill(delta.expose_mut());
  for (std::size_t i = 0; i < kBaseOts / 8; ++i) {
    choices.expose_mut()[i] = static_cast<std::uint8_t>(~delta.expose()[i]);
  }
  TSIGN_TRY(BaseOtReceiverResult base, base_ot_receive(c.digest, msg.base, choices.expose(), kBaseOts, session.receiver));
  SetupMsg2 out{c.tag, std::move(base.msg)};
  return std::pair{SetupSender(session.sender, session.receiver, c.digest, c.tag, std::move(delta), std::move(base.keys)),
                   std::move(out)};
}

Result<std::pair<SetupSender, ExtensionMsg>> SetupSender::reverse(const OtReceiverSetup& forward,
                                                                  const PairSession& session) {
  TSIGN_TRY(Context c, context(session));
  const ReverseExtension e = reverse_extension(session);
  TSIGN_TRY(auto extended, extend_receiver(forward, e.session, kBaseOts));
  SecretBytes keys = rot_receiver_messages(extended.first, e.session, kBaseOtKeySize);
  // The random choice x_i plays the base-OT choice, which is the complement of Δ's bit i.
  SecretBytes delta(kBaseOts / 8);
  for (std::size_t i = 0; i < kBaseOts / 8; ++i) {
    delta.expose_mut()[i] = static_cast<std::uint8_t>(~extended.first.choices.expose()[i]);
  }
  return std::pair{SetupSender(session.sender, session.receiver, c.digest, c.tag, std::move(delta), std::move(keys)),
                   std::move(extended.second)};
}

Result<OtSenderSetup> SetupSender::finish(const SetupMsg3& msg) && {
  TSIGN_CHECK(detail::check_tag(msg.tag, tag_, peer_, "OT setup message 3"));
  if (msg.corrections.size() != kCorrections || msg.proof_sums.size() != kChunks) {
    return detail::blame(ErrorKind::InvalidInput, peer_, "OT setup message 3: wrong number of corrections or tree proofs");
  }
  SecretBytes secret(OtSenderSetup::kSecretSize);
  std::memcpy(secret.expose_mut().data(), delta_.expose().data(), kBaseOts / 8);
  SecretScratch<detail::Seed> scratch(kSoftSpokenK + 3 * kLeaves);
  auto* known = scratch.span().data();
  auto* rel = known + kSoftSpokenK;
  auto* rel_proofs = rel + kLeaves;      // the proofs of rel's leaves; [0] recovered from the sum
  auto* ordered_proofs = rel_proofs + kLeaves;  // the same in leaf order
  ProofDigest proofs(digest_);
  for (std::size_t chunk = 0; chunk < kChunks; ++chunk) {
    unsigned delta_chunk = 0;
    for (std::size_t level = 0; level < kSoftSpokenK; ++level) {
      const std::size_t i = chunk * kSoftSpokenK + level;
      const std::uint8_t d = detail::get_bit(delta_.expose(), i);
      delta_chunk |= unsigned{d} << level;
      // Our base-OT key is k_{i, 1 - d}; unmask the level sum on that side.
      const auto& c0 = msg.corrections[2 * i];
      const auto& c1 = msg.corrections[2 * i + 1];
      detail::select_bytes(d, c0, c1, {known[level], 32});
      const std::uint8_t* key = keys_.expose().data() + i * kBaseOtKeySize;
      for (std::size_t t = 0; t < 32; ++t) known[level][t] ^= key[t];
    }
    detail::ggm_puncture(delta_chunk, known, rel);
    std::memcpy(secret.expose_mut().data() + kBaseOts / 8 + chunk * (kLeaves - 1) * 32, rel[1], (kLeaves - 1) * 32);
    // The proof of leaf δ is the chunk's proof sum minus the others; then every proof goes into
    // the digest in leaf order (leaf x is rel[x XOR δ], selected in constant time).
    std::memcpy(rel_proofs[0], msg.proof_sums[chunk].data(), 32);
    for (std::size_t y = 1; y < kLeaves; ++y) {
      leaf_proof(digest_, rel[y], rel_proofs[y]);
      for (std::size_t t = 0; t < 32; ++t) rel_proofs[0][t] ^= rel_proofs[y][t];
    }
    for (std::size_t x = 0; x < kLeaves; ++x) {
      std::memset(ordered_proofs[x], 0, 32);
      for (std::size_t y = 0; y < kLeaves; ++y) {
        // 0xff when x XOR y == δ, else 0, without a comparison the compiler could branch on.
        const unsigned diff = static_cast<unsigned>(x ^ y) ^ delta_chunk;
        const auto mask = static_cast<std::uint8_t>(((diff | (0u - diff)) >> (sizeof(unsigned) * 8 - 1)) - 1u);
        for (std::size_t t = 0; t < 32; ++t) ordered_proofs[x][t] |= static_cast<std::uint8_t>(rel_proofs[y][t] & mask);
      }
      proofs.add(ordered_proofs[x]);
    }
  }
  // Trees that are not whole leave this party's leaves depending on δ; the digest then differs
  // unless the peer guessed every δ chunk it touched.
  Digest32 digest = proofs.finish();
  detail::publish(digest);
  if (!detail::published(ct_equal(digest, msg.proof_digest))) {
    return detail::blame(ErrorKind::ProtocolAborted, peer_,
                         "OT setup message 3: the GGM trees are not consistent with their proofs (corrupted corrections)");
  }
  return StateAccess::make_sender(self_, peer_, std::move(secret));
}

}  // namespace tsign::ot
