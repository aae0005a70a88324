#include "tsign/ecdsa/keygen.hpp"

#include <functional>
#include <optional>

#include "dkg/common.hpp"
#include "pair_setup.hpp"
#include "tsign/dkg/public_data.hpp"
#include "tsign/dkg/refresh.hpp"

namespace tsign {

using dkg_internal::Blame;

namespace {

enum class KeyMessageType : std::uint8_t {
  Direct = 0x71,   // rounds 0..3: the inner protocol's direct message and the pairwise setup message
  Confirm = 0x73,  // round 4, broadcast: every check passed at the sender
};

constexpr std::uint8_t kHasInner = 1;
constexpr std::uint8_t kHasSetup = 2;
constexpr std::size_t kMaxPart = 1u << 20;

Bytes encode_direct(const SessionId& session, std::size_t round, const Bytes* inner, const Bytes* setup) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(KeyMessageType::Direct)).raw(session).u8(static_cast<std::uint8_t>(round));
  w.u8(static_cast<std::uint8_t>((inner ? kHasInner : 0) | (setup ? kHasSetup : 0)));
  if (inner) w.var(*inner);
  if (setup) w.var(*setup);
  return std::move(w).take();
}

struct DirectParts {
  ByteSpan inner;
  ByteSpan setup;
};

// Strict: the type, this session, this round, and exactly the parts the receiver expects.
Result<DirectParts> decode_direct(ByteSpan payload, const SessionId& session, std::size_t round, bool want_inner,
                                  bool want_setup) {
  Reader r(payload, "ECDSA key protocol message");
  TSIGN_TRY(std::uint8_t type, r.u8());
  if (type != static_cast<std::uint8_t>(KeyMessageType::Direct)) return r.fail("wrong message type");
  TSIGN_TRY(auto got_session, r.array<32>());
  if (got_session != session) return r.fail("belongs to another session");
  TSIGN_TRY(std::uint8_t got_round, r.u8());
  if (got_round != round) return r.fail("belongs to another round");
  TSIGN_TRY(std::uint8_t flags, r.u8());
  const std::uint8_t want = static_cast<std::uint8_t>((want_inner ? kHasInner : 0) | (want_setup ? kHasSetup : 0));
  if (flags != want) return r.fail("carries other parts than this round needs");
  DirectParts parts;
  if (want_inner) {
    TSIGN_TRY(parts.inner, r.var(kMaxPart));
  }
  if (want_setup) {
    TSIGN_TRY(parts.setup, r.var(kMaxPart));
  }
  TSIGN_CHECK(r.finish());
  return parts;
}

Digest32 confirmation(const SessionId& session, PartyId sender) {
  Sha256 h = tagged_hasher("tsign/ecdsa/key-confirm");
  h.update(session).update_u32(sender);
  return h.finish();
}

Bytes encode_confirm(const SessionId& session, PartyId sender) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(KeyMessageType::Confirm)).raw(session).raw(confirmation(session, sender));
  return std::move(w).take();
}

Status check_confirm(ByteSpan payload, const SessionId& session, PartyId sender) {
  Reader r(payload, "ECDSA key protocol confirmation");
  TSIGN_TRY(std::uint8_t type, r.u8());
  if (type != static_cast<std::uint8_t>(KeyMessageType::Confirm)) return r.fail("wrong message type");
  TSIGN_TRY(auto got_session, r.array<32>());
  if (got_session != session) return r.fail("belongs to another session");
  TSIGN_TRY(auto digest, r.array<32>());
  TSIGN_CHECK(r.finish());
  if (digest != confirmation(session, sender)) return r.fail("does not confirm this session");
  return {};
}

// One error naming the culprits of both (either may be absent).
Error merge(std::optional<Error> a, std::optional<Error> b) {
  if (!a) return *b;
  if (!b) return *a;
  Error out = *a;
  out.message += "; " + b->message;
  out.culprits.insert(out.culprits.end(), b->culprits.begin(), b->culprits.end());
  std::sort(out.culprits.begin(), out.culprits.end());
  out.culprits.erase(std::unique(out.culprits.begin(), out.culprits.end()), out.culprits.end());
  if (a->kind != b->kind) out.kind = ErrorKind::ProtocolAborted;
  return out;
}

Digest32 setup_session(const SessionId& session, std::string_view variant, ByteSpan context) {
  Sha256 h = tagged_hasher("tsign/ecdsa/pair-setup");
  h.update(session).update_framed(as_bytes(variant)).update_framed(context);
  return h.finish();
}

Bytes committee_context(const std::vector<PartyId>& parties, std::uint32_t threshold, ByteSpan extra = {}) {
  Writer w;
  w.u32(threshold).u32(static_cast<std::uint32_t>(parties.size()));
  for (PartyId p : parties) w.u32(p);
  w.var(extra);
  return std::move(w).take();
}

}  // namespace

struct EcdsaKeyProtocol::State {
  SessionId session{};
  PartyId self = 0;
  std::vector<PartyId> parties;
  std::unique_ptr<RoundProtocol> inner;  // none when only rebuilding the pairs
  std::function<Result<KeyShare<Secp256k1>>()> take_inner;
  bool produces_share = true;
  std::optional<KeyShare<Secp256k1>> key;  // rebuild: the given share; otherwise the inner output
  std::optional<ecdsa_internal::PairSetup> setup;  // when this party is in the new committee
  std::map<PartyId, EcdsaPairState> pairs;
  bool taken = false;

  // The messages of `round`: the inner protocol's broadcasts unchanged, and one direct message
  // per peer carrying the inner direct part, the setup part, or both.
  std::vector<OutgoingMessage> combine(std::size_t round, std::vector<OutgoingMessage> inner_out,
                                       std::map<PartyId, Bytes> setup_out) const {
    std::vector<OutgoingMessage> out;
    std::map<PartyId, Bytes> inner_direct;
    for (auto& m : inner_out) {
      if (m.to) {
        inner_direct.emplace(*m.to, std::move(m.payload));
      } else {
        out.push_back(std::move(m));
      }
    }
    for (PartyId q : parties) {
      auto i = inner_direct.find(q);
      auto s = setup_out.find(q);
      if (i == inner_direct.end() && s == setup_out.end()) continue;
      out.push_back({q, encode_direct(session, round, i == inner_direct.end() ? nullptr : &i->second,
                                      s == setup_out.end() ? nullptr : &s->second)});
    }
    return out;
  }

  bool inner_direct_from(std::size_t round, PartyId sender) const {
    return inner && inner->expects_from(round, sender).direct;
  }
  bool setup_from(std::size_t round, PartyId sender) const {
    return setup && setup->expects_from(round, sender);
  }

  Result<std::vector<OutgoingMessage>> start() {
    std::vector<OutgoingMessage> inner_out;
    if (inner) {
      TSIGN_TRY(inner_out, inner->start());
    }
    std::map<PartyId, Bytes> setup_out;
    if (setup) {
      TSIGN_TRY(setup_out, setup->start());
    }
    return combine(0, std::move(inner_out), std::move(setup_out));
  }

  Result<std::vector<OutgoingMessage>> round(std::size_t r, const RoundMessages& in) {
    Blame blame;
    RoundMessages inner_in;
    inner_in.broadcast = in.broadcast;
    std::map<PartyId, ByteSpan> setup_in;
    for (const auto& [sender, payload] : in.direct) {
      const bool want_inner = inner_direct_from(r, sender), want_setup = setup_from(r, sender);
      auto parts = decode_direct(payload, session, r, want_inner, want_setup);
      if (!parts.ok()) {
        blame.add(sender, parts.error().message);
        continue;
      }
      if (want_inner) inner_in.direct.emplace(sender, Bytes(parts->inner.begin(), parts->inner.end()));
      if (want_setup) setup_in.emplace(sender, parts->setup);
    }
    TSIGN_CHECK(blame.status("ECDSA key protocol round " + std::to_string(r)));

    std::optional<Error> inner_error, setup_error;
    std::vector<OutgoingMessage> inner_out;
    std::map<PartyId, Bytes> setup_out;
    if (inner && r < inner->round_count()) {  // the setup takes one round more than the key protocols
      auto next = inner->advance(r, inner_in);
      if (next.ok()) inner_out = std::move(next).value();
      else inner_error = next.error();
    }
    if (setup) {
      auto next = setup->advance(r, setup_in);
      if (next.ok()) setup_out = std::move(next).value();
      else setup_error = next.error();
    }
    if (inner_error || setup_error) return merge(std::move(inner_error), std::move(setup_error));

    if (r + 1 < ecdsa_internal::PairSetup::kRounds) return combine(r + 1, std::move(inner_out), std::move(setup_out));
    // The key protocol and the setup are complete here; hold the results until all confirm.
    if (inner && produces_share) {
      TSIGN_TRY(key, take_inner());
    }
    if (setup) pairs = setup->take();
    std::vector<OutgoingMessage> out;
    out.push_back({std::nullopt, encode_confirm(session, self)});
    return out;
  }

  Status confirm(const RoundMessages& in) {
    Blame blame;
    for (const auto& [sender, payload] : in.broadcast) {
      if (auto ok = check_confirm(payload, session, sender); !ok.ok()) blame.add(sender, ok.error().message);
    }
    return blame.status("ECDSA key protocol confirmation");
  }
};

EcdsaKeyProtocol::EcdsaKeyProtocol(PartyId self, std::vector<PartyId> parties, std::unique_ptr<State> state)
    : StagedProtocol(std::string(kName), self, std::move(parties)), state_(std::move(state)) {}
EcdsaKeyProtocol::~EcdsaKeyProtocol() = default;
EcdsaKeyProtocol::EcdsaKeyProtocol(EcdsaKeyProtocol&&) noexcept = default;
EcdsaKeyProtocol& EcdsaKeyProtocol::operator=(EcdsaKeyProtocol&&) noexcept = default;

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::make(std::unique_ptr<State> state) {
  const PartyId self = state->self;
  std::vector<PartyId> parties = state->parties;
  return EcdsaKeyProtocol(self, std::move(parties), std::move(state));
}

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::keygen(PartyId self, DkgConfig config) {
  auto state = std::make_unique<State>();
  TSIGN_TRY(auto dkg, DkgProtocol<FrostSecp256k1>::create(self, config));
  auto inner = std::make_unique<DkgProtocol<FrostSecp256k1>>(std::move(dkg));
  auto* raw = inner.get();
  state->take_inner = [raw] { return raw->take_output(); };
  state->inner = std::move(inner);
  state->session = config.session;
  state->self = self;
  state->parties = config.parties;
  state->setup.emplace(self, config.parties,
                       setup_session(config.session, "keygen", committee_context(config.parties, config.threshold)));
  return make(std::move(state));
}

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::refresh(const EcdsaKeyShare& share, const SessionId& session) {
  auto state = std::make_unique<State>();
  TSIGN_TRY(auto refresh, RefreshProtocol<Secp256k1>::create(share.key, session));
  auto inner = std::make_unique<RefreshProtocol<Secp256k1>>(std::move(refresh));
  auto* raw = inner.get();
  state->take_inner = [raw] { return raw->take_output(); };
  state->inner = std::move(inner);
  state->session = session;
  state->self = share.key.self;
  state->parties = share.key.parties;
  state->setup.emplace(share.key.self, share.key.parties,
                       setup_session(session, "refresh", KeyPublicData<Secp256k1>::of(share.key).digest()));
  return make(std::move(state));
}

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::reshare(const EcdsaKeyShare& share, ReshareConfig config) {
  TSIGN_TRY(auto party, ReshareProtocol<Secp256k1>::create(share.key, config));
  auto inner = std::make_unique<ReshareProtocol<Secp256k1>>(std::move(party));
  auto state = std::make_unique<State>();
  state->self = share.key.self;
  state->produces_share = inner->is_receiver();
  return reshare_setup(std::move(inner), config, share.key.key_id, std::move(state));
}

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::join(PartyId self, const KeyId& key_id,
                                                const Secp256k1Point& group_public_key, ReshareConfig config) {
  TSIGN_TRY(auto party, ReshareProtocol<Secp256k1>::join(self, key_id, group_public_key, config));
  auto inner = std::make_unique<ReshareProtocol<Secp256k1>>(std::move(party));
  auto state = std::make_unique<State>();
  state->self = self;
  state->produces_share = true;
  return reshare_setup(std::move(inner), config, key_id, std::move(state));
}

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::reshare_setup(std::unique_ptr<ReshareProtocol<Secp256k1>> inner,
                                                         const ReshareConfig& config, const KeyId& key_id,
                                                         std::unique_ptr<State> state) {
  auto* raw = inner.get();
  state->take_inner = [raw]() -> Result<KeyShare<Secp256k1>> {
    TSIGN_TRY(auto share, raw->take_output());
    if (!share) return make_error(ErrorKind::InvalidInput, "this party holds no share of the new epoch");
    return std::move(*share);
  };
  state->parties = inner->parties();
  state->inner = std::move(inner);
  state->session = config.session;
  if (std::binary_search(config.new_parties.begin(), config.new_parties.end(), state->self)) {
    state->setup.emplace(state->self, config.new_parties,
                         setup_session(config.session, "reshare",
                                       committee_context(config.new_parties, config.new_threshold, key_id)));
  }
  return make(std::move(state));
}

Result<EcdsaKeyProtocol> EcdsaKeyProtocol::rebuild_pairs(const KeyShare<Secp256k1>& share, const SessionId& session) {
  TSIGN_CHECK(share.validate());
  auto state = std::make_unique<State>();
  state->session = session;
  state->self = share.self;
  state->parties = share.parties;
  state->key.emplace(share.clone());
  state->setup.emplace(share.self, share.parties,
                       setup_session(session, "rebuild", KeyPublicData<Secp256k1>::of(share).digest()));
  return make(std::move(state));
}

RoundSpec EcdsaKeyProtocol::expects_from(std::size_t round, PartyId sender) const {
  if (sender == self() || !std::binary_search(parties().begin(), parties().end(), sender)) return {};
  if (round + 1 == kRounds) return {true, false};
  RoundSpec spec;
  if (state_->inner) spec = state_->inner->expects_from(round, sender);
  if (state_->setup_from(round, sender)) spec.direct = true;
  return spec;
}

bool EcdsaKeyProtocol::produces_share() const { return state_ && state_->produces_share; }

Result<std::vector<OutgoingMessage>> EcdsaKeyProtocol::on_start() { return state_->start(); }

Result<std::vector<OutgoingMessage>> EcdsaKeyProtocol::on_round(std::size_t round, const RoundMessages& in) {
  if (round + 1 < kRounds) return state_->round(round, in);
  TSIGN_CHECK(state_->confirm(in));
  return std::vector<OutgoingMessage>{};
}

Result<EcdsaKeyShare> EcdsaKeyProtocol::take_output() {
  if (!finished()) return make_error(ErrorKind::InvalidInput, "ECDSA key protocol has not finished");
  if (!state_->produces_share) {
    return make_error(ErrorKind::InvalidInput, "this party deals in the resharing but holds no share of the new epoch");
  }
  if (state_->taken) return make_error(ErrorKind::InvalidInput, "the ECDSA key share was already taken");
  state_->taken = true;
  EcdsaKeyShare out{std::move(*state_->key), std::move(state_->pairs)};
  state_->key.reset();
  TSIGN_CHECK(out.validate());
  return out;
}

void EcdsaKeyProtocol::wipe() {
  if (!state_) return;
  state_->key.reset();
  state_->pairs.clear();
  state_->setup.reset();
}

}  // namespace tsign
