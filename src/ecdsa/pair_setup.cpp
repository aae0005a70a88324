#include "pair_setup.hpp"

#include <algorithm>

#include "protocol/blame.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/core/random.hpp"

namespace tsign::ecdsa_internal {


namespace {

constexpr std::size_t kContributionSize = 32;
constexpr std::size_t kMaxSetupMessage = 1u << 16;

}  // namespace

PairSetup::PairSetup(PartyId self, const std::vector<PartyId>& members, const Digest32& session)
    : self_(self), session_(session) {
  if (!std::binary_search(members.begin(), members.end(), self)) return;
  for (PartyId p : members) {
    if (p != self) peers_.push_back(p);
  }
}

PairSetup::~PairSetup() = default;

std::unique_ptr<Protocol<PairStates>> PairSetup::make(PartyId self, const std::vector<PartyId>& members,
                                                      const Digest32& session) {
  auto state = std::make_unique<PairSetup>(self, members, session);
  RoundShape shape(kRounds);
  for (std::size_t r = 0; r < kRounds; ++r) {
    for (PartyId q : state->peers()) {
      if (state->expects_from(r, q)) shape.expect(r, {q}, {false, true});
    }
  }
  // The largest setup message is the base-OT receiver's: two uncompressed points per base OT,
  // and a short header.
  shape.bounded(ot::kBaseOts * ot::BaseOtReceiverMsg::kPerOt + 256);
  std::vector<PartyId> parties = state->peers();
  parties.insert(std::upper_bound(parties.begin(), parties.end(), self), self);
  return std::make_unique<StateProtocol<PairStates>>(std::string(kName), self, std::move(parties), std::move(shape),
                                                     std::move(state));
}

bool PairSetup::is_peer(PartyId p) const { return std::binary_search(peers_.begin(), peers_.end(), p); }

bool PairSetup::expects_from(std::size_t round, PartyId peer) const {
  if (!is_peer(peer)) return false;
  switch (round) {
    case 0: return true;
    case 1:
    case 3: return peer > self_;  // from hi to lo
    case 2: return peer < self_;  // from lo to hi
    default: return false;
  }
}

Result<Outgoing> PairSetup::start() {
  Outgoing out;
  for (PartyId q : peers_) {
    Writer w;
    if (self_ < q) {
      TSIGN_TRY(auto started, ot::SetupReceiver::start(pair_session(q, self_)));
      receivers_.emplace(q, std::move(started.first));
      w.var(started.second.encode());
    }
    SecretBytes contribution(kContributionSize);
    random_fill(contribution.expose_mut());
    w.raw(contribution.expose());
    own_contribution_.emplace(q, std::move(contribution));
    out.push_back(direct(q, std::move(w).take()));
  }
  return out;
}

Result<Outgoing> PairSetup::advance(std::size_t round, const RoundMessages& in) {
  switch (round) {
    case 0: return round0(in.direct);
    case 1: return round1(in.direct);
    case 2: return round2(in.direct);
    default: return make_error(ErrorKind::Internal, "pairwise setup: no round " + std::to_string(round));
  }
}

Result<PairStates> PairSetup::finish(const RoundMessages& in) {
  TSIGN_CHECK(round3(in.direct));
  PairStates out;
  for (PartyId q : peers_) {
    auto s = sender_states_.extract(q);
    auto r = receiver_states_.extract(q);
    out.emplace(q, EcdsaPairState{std::move(s.mapped()), std::move(r.mapped()), zero_seed(q)});
  }
  own_contribution_.clear();
  peer_contribution_.clear();
  return out;
}

// In: every peer's seed contribution, with SetupMsg1 from each lower peer. Out: SetupMsg2 to each
// lower peer (this party as forward sender).
Result<Outgoing> PairSetup::round0(const Inbox& in) {
  Blame blame;
  Outgoing out;
  for (PartyId q : peers_) {
    Reader r(in.at(q), "pairwise setup message 1");
    Result<ByteSpan> msg1 = ByteSpan{};
    if (q < self_) msg1 = r.var(kMaxSetupMessage);
    auto contribution = msg1.ok() ? r.raw(kContributionSize) : Result<ByteSpan>(msg1.error());
    if (!contribution.ok() || !r.finish().ok()) {
      blame.add(q, "malformed pairwise setup message 1");
      continue;
    }
    peer_contribution_.emplace(q, SecretBytes::copy_of(*contribution));
    if (q > self_) continue;
    auto decoded = ot::SetupMsg1::decode(*msg1, q);
    if (!decoded.ok()) {
      blame.add(decoded.error());
      continue;
    }
    auto responded = ot::SetupSender::respond(pair_session(self_, q), *decoded);
    if (!responded.ok()) {
      blame.add(responded.error());
      continue;
    }
    out.push_back(direct(q, responded->second.encode()));
    senders_.emplace(q, std::move(responded->first));
  }
  TSIGN_CHECK(blame.status("pairwise setup round 0"));
  return out;
}

// In: SetupMsg2 from each higher peer. Out: to each of them SetupMsg3, which completes this
// party's forward receiver state, and the extension message that starts the reverse setup.
Result<Outgoing> PairSetup::round1(const Inbox& in) {
  Blame blame;
  Outgoing out;
  for (PartyId q : peers_) {
    if (q < self_) continue;
    auto decoded = ot::SetupMsg2::decode(in.at(q), q);
    if (!decoded.ok()) {
      blame.add(decoded.error());
      continue;
    }
    auto node = receivers_.extract(q);
    auto finished = std::move(node.mapped()).finish(*decoded);
    if (!finished.ok()) {
      blame.add(finished.error());
      continue;
    }
    // Uses only this party's own state: a failure is internal, not the peer's doing.
    TSIGN_TRY(auto reversed, ot::SetupSender::reverse(finished->first, pair_session(self_, q)));
    Writer w;
    w.var(finished->second.encode()).var(reversed.second.encode());
    out.push_back(direct(q, std::move(w).take()));
    receiver_states_.emplace(q, std::move(finished->first));
    senders_.emplace(q, std::move(reversed.first));
  }
  TSIGN_CHECK(blame.status("pairwise setup round 1"));
  return out;
}

// In: SetupMsg3 and the reverse extension message from each lower peer. Completes this party's
// forward sender state, then its reverse receiver state; out: the reverse SetupMsg3.
Result<Outgoing> PairSetup::round2(const Inbox& in) {
  Blame blame;
  Outgoing out;
  for (PartyId q : peers_) {
    if (q > self_) continue;
    Reader r(in.at(q), "pairwise setup message 3");
    auto msg3 = r.var(kMaxSetupMessage);
    auto extension = msg3.ok() ? r.var(kMaxSetupMessage) : Result<ByteSpan>(msg3.error());
    if (!extension.ok() || !r.finish().ok()) {
      blame.add(q, "malformed pairwise setup message 3");
      continue;
    }
    auto decoded = ot::SetupMsg3::decode(*msg3, q);
    auto extension_msg = ot::ExtensionMsg::decode(*extension, ot::kBaseOts, q);
    if (!decoded.ok() || !extension_msg.ok()) {
      blame.add(decoded.ok() ? extension_msg.error() : decoded.error());
      continue;
    }
    auto node = senders_.extract(q);
    auto forward = std::move(node.mapped()).finish(*decoded);
    if (!forward.ok()) {
      blame.add(forward.error());
      continue;
    }
    auto reversed = ot::SetupReceiver::reverse(*forward, pair_session(q, self_), *extension_msg);
    if (!reversed.ok()) {
      blame.add(reversed.error());
      continue;
    }
    out.push_back(direct(q, reversed->second.encode()));
    sender_states_.emplace(q, std::move(forward).value());
    receiver_states_.emplace(q, std::move(reversed->first));
  }
  TSIGN_CHECK(blame.status("pairwise setup round 2"));
  return out;
}

// In: the reverse SetupMsg3 from each higher peer; completes this party's reverse sender states.
Status PairSetup::round3(const Inbox& in) {
  Blame blame;
  for (PartyId q : peers_) {
    if (q < self_) continue;
    auto decoded = ot::SetupMsg3::decode(in.at(q), q);
    if (!decoded.ok()) {
      blame.add(decoded.error());
      continue;
    }
    auto node = senders_.extract(q);
    auto finished = std::move(node.mapped()).finish(*decoded);
    if (!finished.ok()) {
      blame.add(finished.error());
      continue;
    }
    sender_states_.emplace(q, std::move(finished).value());
  }
  return blame.status("pairwise setup round 3");
}

SecretBytes PairSetup::zero_seed(PartyId peer) const {
  // Both ends hash the same bytes: the lower party's contribution first.
  const bool self_low = self_ < peer;
  const SecretBytes& low = self_low ? own_contribution_.at(peer) : peer_contribution_.at(peer);
  const SecretBytes& high = self_low ? peer_contribution_.at(peer) : own_contribution_.at(peer);
  Sha256 h = tagged_hasher("tsign/ecdsa/zero-seed");
  h.update(session_).update_u32(std::min(self_, peer)).update_u32(std::max(self_, peer));
  h.update(low.expose()).update(high.expose());
  Digest32 seed = h.finish();
  SecretBytes out = SecretBytes::copy_of(seed);
  detail::secure_wipe(seed.data(), seed.size());
  return out;
}

}  // namespace tsign::ecdsa_internal
