#pragma once
// The pairwise part of ECDSA key generation among a set of members: for every ordered pair the
// OT-extension setup (three messages, both directions side by side), and for every unordered
// pair a zero-sharing seed hashed from one random contribution of each end.
//
//   round 0  to each peer q: SetupMsg1 (this party as future receiver, q as sender) and the
//            seed contribution
//   round 1  to each peer q: SetupMsg2 (this party as sender, answering q's SetupMsg1)
//   round 2  to each peer q: SetupMsg3 (this party as receiver, answering q's SetupMsg2)
//   after round 2: this party finishes its sender side with q's SetupMsg3.
//
// Seeds travel over the p2p channel, which the transports keep confidential (as they must for
// DKG shares). A seed between two honest parties hashes two secret uniform contributions, so
// nobody else can compute it.
#include <map>
#include <optional>
#include <vector>

#include "tsign/core/hash.hpp"
#include "tsign/ecdsa/key_share.hpp"
#include "tsign/ot/setup.hpp"

namespace tsign::ecdsa_internal {

class PairSetup {
 public:
  static constexpr std::size_t kRounds = 3;

  // members ascending and including self; session unique to this run.
  PairSetup(PartyId self, std::vector<PartyId> members, const Digest32& session);

  bool is_peer(PartyId p) const;
  const std::vector<PartyId>& peers() const { return peers_; }

  // This party's round-0 messages, one per peer.
  Result<std::map<PartyId, Bytes>> start();
  // Consumes every peer's message of `round` (0..2) and returns this party's messages of
  // round + 1 (none after round 2, when the pair states are complete).
  Result<std::map<PartyId, Bytes>> advance(std::size_t round, const std::map<PartyId, ByteSpan>& in);

  // Once round 2 has been consumed: the state of every pair.
  std::map<PartyId, EcdsaPairState> take();

 private:
  ot::PairSession pair_session(PartyId sender, PartyId receiver) const { return {session_, sender, receiver}; }
  Result<std::map<PartyId, Bytes>> round0(const std::map<PartyId, ByteSpan>& in);
  Result<std::map<PartyId, Bytes>> round1(const std::map<PartyId, ByteSpan>& in);
  Status round2(const std::map<PartyId, ByteSpan>& in);
  SecretBytes zero_seed(PartyId peer) const;

  PartyId self_;
  std::vector<PartyId> peers_;
  Digest32 session_;
  std::map<PartyId, SecretBytes> own_contribution_;   // sent to each peer
  std::map<PartyId, SecretBytes> peer_contribution_;  // received from each peer
  std::map<PartyId, ot::SetupReceiver> receivers_;
  std::map<PartyId, ot::SetupSender> senders_;
  std::map<PartyId, ot::OtReceiverSetup> receiver_states_;
  std::map<PartyId, ot::OtSenderSetup> sender_states_;
};

}  // namespace tsign::ecdsa_internal
