#include "tsign/ecdsa/key_share.hpp"

#include <cstring>

#include "tsign/core/secret_sink.hpp"

namespace tsign {

namespace {

constexpr char kMagic[4] = {'T', 'S', 'E', 'K'};

constexpr std::size_t kPairSize =
    4 + ot::OtSenderSetup::kEncodedSize + ot::OtReceiverSetup::kEncodedSize + EcdsaPairState::kZeroSeedSize;

Error invalid(std::string why) { return make_error(ErrorKind::InvalidKeyShare, "ECDSA key share: " + std::move(why)); }

}  // namespace

EcdsaKeyShare EcdsaKeyShare::clone() const {
  EcdsaKeyShare out;
  out.key = key.clone();
  for (const auto& [peer, state] : pairs) out.pairs.emplace(peer, state.clone());
  return out;
}

Status EcdsaKeyShare::validate() const {
  TSIGN_CHECK(key.validate());
  if (pairs.size() + 1 != key.parties.size()) return invalid("pair states do not match the holders");
  for (PartyId p : key.parties) {
    if (p == key.self) continue;
    auto it = pairs.find(p);
    if (it == pairs.end()) return invalid("no pair state for party " + std::to_string(p));
    const EcdsaPairState& s = it->second;
    if (s.sender.self() != key.self || s.sender.peer() != p || s.receiver.self() != key.self ||
        s.receiver.peer() != p) {
      return invalid("the pair state for party " + std::to_string(p) + " belongs to another pair");
    }
    if (s.zero_seed.size() != EcdsaPairState::kZeroSeedSize) return invalid("zero-sharing seed of the wrong size");
  }
  return {};
}

std::vector<PartyId> EcdsaKeyShare::disabled_peers() const {
  std::vector<PartyId> out;
  for (const auto& [peer, state] : pairs) {
    if (!state.usable()) out.push_back(peer);
  }
  return out;
}

void EcdsaKeyShare::disable_pair(PartyId peer) {
  auto it = pairs.find(peer);
  if (it == pairs.end()) return;
  it->second.sender.mark_poisoned();
  it->second.receiver.mark_poisoned();
}

Status EcdsaKeyShare::attach_journal(const std::shared_ptr<ot::CheckJournal>& journal) const {
  for (const auto& [peer, state] : pairs) {
    TSIGN_CHECK(state.sender.guard().attach(journal));
    TSIGN_CHECK(state.receiver.guard().attach(journal));
  }
  return {};
}

SecretBytes EcdsaKeyShare::encode() const {
  const SecretBytes inner = key.encode();
  SecretSink sink(4 + 2 + 4 + inner.size() + 4 + pairs.size() * kPairSize);
  sink.raw(as_bytes(std::string_view(kMagic, 4))).u16(kFormatVersion);
  sink.u32(static_cast<std::uint32_t>(inner.size())).raw(inner.expose());
  sink.u32(static_cast<std::uint32_t>(pairs.size()));
  for (const auto& [peer, state] : pairs) {
    sink.u32(peer);
    sink.raw(state.sender.encode().expose());
    sink.raw(state.receiver.encode().expose());
    sink.raw(state.zero_seed.expose());
  }
  return std::move(sink).take();
}

Result<EcdsaKeyShare> EcdsaKeyShare::decode(ByteSpan bytes) {
  Reader r(bytes, "ECDSA key share");
  TSIGN_TRY(ByteSpan magic, r.raw(4));
  if (!ct_equal(magic, as_bytes(std::string_view(kMagic, 4)))) return r.fail("bad magic");
  TSIGN_TRY(std::uint16_t version, r.u16());
  if (version != kFormatVersion) return r.fail("unsupported version " + std::to_string(version));
  TSIGN_TRY(ByteSpan inner, r.var(1u << 20));
  EcdsaKeyShare out;
  TSIGN_TRY(out.key, KeyShare<Secp256k1>::decode(inner));
  TSIGN_TRY(std::uint32_t count, r.count(KeyShare<Secp256k1>::kMaxParties));
  PartyId previous = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    TSIGN_TRY(PartyId peer, r.u32());
    if (peer <= previous) return r.fail("pair states not in ascending order of peer");
    previous = peer;
    TSIGN_TRY(ByteSpan sender_bytes, r.raw(ot::OtSenderSetup::kEncodedSize));
    TSIGN_TRY(ByteSpan receiver_bytes, r.raw(ot::OtReceiverSetup::kEncodedSize));
    TSIGN_TRY(ByteSpan seed, r.raw(EcdsaPairState::kZeroSeedSize));
    auto sender = ot::OtSenderSetup::decode(sender_bytes);
    if (!sender.ok()) return r.fail("pair with party " + std::to_string(peer) + ": " + sender.error().message);
    auto receiver = ot::OtReceiverSetup::decode(receiver_bytes);
    if (!receiver.ok()) return r.fail("pair with party " + std::to_string(peer) + ": " + receiver.error().message);
    out.pairs.emplace(peer, EcdsaPairState{std::move(sender).value(), std::move(receiver).value(),
                                           SecretBytes::copy_of(seed)});
  }
  TSIGN_CHECK(r.finish());
  TSIGN_CHECK(out.validate());
  return out;
}

}  // namespace tsign
