#pragma once
// The pairwise part of ECDSA key generation among a set of members: for every ordered pair the
// OT-extension setup, and for every unordered pair a zero-sharing seed hashed from one random
// contribution of each end.
//
// Of two peers, the lower id `lo` starts the forward setup (hi as sender, lo as receiver) with
// base OTs; the reverse setup (lo as sender) is then built from it by an OT extension, with no
// base OTs of its own (see ot/setup.hpp). Each round carries at most one setup message per pair:
//
//   round 0  lo -> hi: SetupMsg1 and the seed contribution; hi -> lo: the seed contribution
//   round 1  hi -> lo: SetupMsg2
//   round 2  lo -> hi: SetupMsg3 and the reverse setup's extension message (lo's forward receiver
//            state is complete)
//   round 3  hi -> lo: the reverse SetupMsg3 (hi's forward sender and reverse receiver states
//            are complete)
//   after round 3: lo finishes its reverse sender state.
//
// Seeds travel over the p2p channel, which the transports keep confidential (as they must for
// DKG shares). A seed between two honest parties hashes two secret uniform contributions, so
// nobody else can compute it.
#include <map>
#include <optional>
#include <vector>

#include "tsign/core/hash.hpp"
#include "tsign/ecdsa/key_share.hpp"
#include "ot/setup.hpp"

namespace tsign::ecdsa_internal {

class PairSetup {
 public:
  static constexpr std::size_t kRounds = 4;

  // members ascending and including self; session unique to this run.
  PairSetup(PartyId self, std::vector<PartyId> members, const Digest32& session);

  bool is_peer(PartyId p) const;
  // Whether `peer` sends this party a setup message in `round`.
  bool expects_from(std::size_t round, PartyId peer) const;
  const std::vector<PartyId>& peers() const { return peers_; }

  // This party's round-0 messages, one per peer.
  Result<std::map<PartyId, Bytes>> start();
  // Consumes the peers' messages of `round` (0..3) and returns this party's messages of
  // round + 1 (none after round 3, when the pair states are complete).
  Result<std::map<PartyId, Bytes>> advance(std::size_t round, const std::map<PartyId, ByteSpan>& in);

  // Once round 3 has been consumed: the state of every pair.
  std::map<PartyId, EcdsaPairState> take();

 private:
  ot::PairSession pair_session(PartyId sender, PartyId receiver) const { return {session_, sender, receiver}; }
  Result<std::map<PartyId, Bytes>> round0(const std::map<PartyId, ByteSpan>& in);
  Result<std::map<PartyId, Bytes>> round1(const std::map<PartyId, ByteSpan>& in);
  Result<std::map<PartyId, Bytes>> round2(const std::map<PartyId, ByteSpan>& in);
  Status round3(const std::map<PartyId, ByteSpan>& in);
  SecretBytes zero_seed(PartyId peer) const;

  PartyId self_;
  std::vector<PartyId> peers_;
  Digest32 session_;
  std::map<PartyId, SecretBytes> own_contribution_;   // sent to each peer
  std::map<PartyId, SecretBytes> peer_contribution_;  // received from each peer
  std::map<PartyId, ot::SetupReceiver> receivers_;  // forward setups this party started (lo)
  std::map<PartyId, ot::SetupSender> senders_;      // forward (hi) or reverse (lo) sender setups
  std::map<PartyId, ot::OtReceiverSetup> receiver_states_;
  std::map<PartyId, ot::OtSenderSetup> sender_states_;
};

}  // namespace tsign::ecdsa_internal
