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
#include <memory>
#include <optional>
#include <vector>

#include "tsign/core/hash.hpp"
#include "tsign/ecdsa/key_share.hpp"
#include "ot/setup.hpp"
#include "tsign/protocol/protocol.hpp"

namespace tsign::ecdsa_internal {

using PairStates = std::map<PartyId, EcdsaPairState>;

// The pairwise setup as a protocol of its own, four rounds of direct messages; its output is the
// state of every pair. A party outside `members` takes part with no peers: it sends and expects
// nothing and outputs no pairs (a resharing dealer that leaves the committee).
class PairSetup final : public ProtocolState<PairStates> {
 public:
  static constexpr std::size_t kRounds = 4;
  static constexpr std::string_view kName = "ecdsa/pair-setup";

  // members ascending; session unique to this run.
  static std::unique_ptr<Protocol<PairStates>> make(PartyId self, const std::vector<PartyId>& members,
                                                    const Digest32& session);

  PairSetup(PartyId self, const std::vector<PartyId>& members, const Digest32& session);
  ~PairSetup() override;

  bool is_peer(PartyId p) const;
  // Whether `peer` sends this party a setup message in `round`.
  bool expects_from(std::size_t round, PartyId peer) const;
  const std::vector<PartyId>& peers() const { return peers_; }

  // This party's round-0 messages, one per peer.
  Result<Outgoing> start() override;
  // Consumes the peers' messages of `round` (0..2) and returns this party's messages of round + 1.
  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override;
  // Consumes round 3: the state of every pair.
  Result<PairStates> finish(const RoundMessages& in) override;

 private:
  using Inbox = std::map<PartyId, Bytes>;
  ot::PairSession pair_session(PartyId sender, PartyId receiver) const { return {session_, sender, receiver}; }
  Result<Outgoing> round0(const Inbox& in);
  Result<Outgoing> round1(const Inbox& in);
  Result<Outgoing> round2(const Inbox& in);
  Status round3(const Inbox& in);
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
