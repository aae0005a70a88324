#include "pair_setup.hpp"

#include <algorithm>

#include "dkg/common.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/core/random.hpp"

namespace tsign::ecdsa_internal {

using dkg_internal::Blame;

namespace {

constexpr std::size_t kContributionSize = 32;
constexpr std::size_t kMaxSetupMessage = 1u << 16;

}  // namespace

PairSetup::PairSetup(PartyId self, std::vector<PartyId> members, const Digest32& session)
    : self_(self), session_(session) {
  for (PartyId p : members) {
    if (p != self) peers_.push_back(p);
  }
}

bool PairSetup::is_peer(PartyId p) const { return std::binary_search(peers_.begin(), peers_.end(), p); }

Result<std::map<PartyId, Bytes>> PairSetup::start() {
  std::map<PartyId, Bytes> out;
  for (PartyId q : peers_) {
    TSIGN_TRY(auto started, ot::SetupReceiver::start(pair_session(q, self_)));
    receivers_.emplace(q, std::move(started.first));
    SecretBytes contribution(kContributionSize);
    random_fill(contribution.expose_mut());
    Writer w;
    w.var(started.second.encode()).raw(contribution.expose());
    own_contribution_.emplace(q, std::move(contribution));
    out.emplace(q, std::move(w).take());
  }
  return out;
}

Result<std::map<PartyId, Bytes>> PairSetup::advance(std::size_t round, const std::map<PartyId, ByteSpan>& in) {
  for (PartyId q : peers_) {
    if (!in.count(q)) {
      return make_error(ErrorKind::ProtocolAborted, "pairwise setup: no message from party " + std::to_string(q), {q});
    }
  }
  switch (round) {
    case 0: return round0(in);
    case 1: return round1(in);
    case 2: {
      TSIGN_CHECK(round2(in));
      return std::map<PartyId, Bytes>{};
    }
    default: return make_error(ErrorKind::Internal, "pairwise setup: no round " + std::to_string(round));
  }
}

// In: each peer's SetupMsg1 (the peer as receiver) and seed contribution. Out: SetupMsg2.
Result<std::map<PartyId, Bytes>> PairSetup::round0(const std::map<PartyId, ByteSpan>& in) {
  Blame blame;
  std::map<PartyId, Bytes> out;
  for (PartyId q : peers_) {
    Reader r(in.at(q), "pairwise setup message 1");
    auto msg1 = r.var(kMaxSetupMessage);
    auto contribution = msg1.ok() ? r.raw(kContributionSize) : Result<ByteSpan>(msg1.error());
    if (!contribution.ok() || !r.finish().ok()) {
      blame.add(q, "malformed pairwise setup message 1");
      continue;
    }
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
    peer_contribution_.emplace(q, SecretBytes::copy_of(*contribution));
    out.emplace(q, responded->second.encode());
    senders_.emplace(q, std::move(responded->first));
  }
  TSIGN_CHECK(blame.status("pairwise setup round 0"));
  return out;
}

// In: each peer's SetupMsg2 (answering ours). Out: SetupMsg3; our receiver states are complete.
Result<std::map<PartyId, Bytes>> PairSetup::round1(const std::map<PartyId, ByteSpan>& in) {
  Blame blame;
  std::map<PartyId, Bytes> out;
  for (PartyId q : peers_) {
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
    out.emplace(q, finished->second.encode());
    receiver_states_.emplace(q, std::move(finished->first));
  }
  TSIGN_CHECK(blame.status("pairwise setup round 1"));
  return out;
}

// In: each peer's SetupMsg3 (answering our SetupMsg2); our sender states are complete.
Status PairSetup::round2(const std::map<PartyId, ByteSpan>& in) {
  Blame blame;
  for (PartyId q : peers_) {
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
  return blame.status("pairwise setup round 2");
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

std::map<PartyId, EcdsaPairState> PairSetup::take() {
  std::map<PartyId, EcdsaPairState> out;
  for (PartyId q : peers_) {
    auto s = sender_states_.extract(q);
    auto r = receiver_states_.extract(q);
    out.emplace(q, EcdsaPairState{std::move(s.mapped()), std::move(r.mapped()), zero_seed(q)});
  }
  own_contribution_.clear();
  peer_contribution_.clear();
  return out;
}

}  // namespace tsign::ecdsa_internal
