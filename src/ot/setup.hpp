#pragma once
// The one-time setup of the OT extension for an ordered pair (sender S, receiver R), run at key
// generation. From base OTs, three messages, each carrying the session tag:
//
//   1. R -> S  SetupMsg1  base-OT sender message: A = a·G                         51 bytes
//   2. S -> R  SetupMsg2  κ = 256 base-OT receiver point pairs (R_{i,0}, R_{i,1}) 33298 bytes
//   3. R -> S  SetupMsg3  GGM corrections, two 32-byte values per base OT, and    20530 bytes
//                         the proof that the trees are whole
//
// S picks the secret correlation Δ; its base-OT choices are the complements of Δ's bits. R turns
// its base-OT keys into GGM trees (one per k-bit chunk of Δ) and sends the level sums masked by
// them; S rebuilds all seeds but the one at its chunk's value. R also proves its trees whole
// (the check of a malicious all-but-one OT, as in Boyle et al., eprint 2019/1159, and the
// reference DKLs23 implementations): for each leaf x a proof H(leaf_x) under the session, per
// chunk the XOR of its proofs, and one digest over all proofs in leaf order. S computes the proofs
// of the leaves it knows, recovers the missing one from the chunk's XOR and compares the digest:
// corrections that leave S's leaves depending on Δ fail here, at key generation, naming R, unless
// R guessed Δ's chunk for every tree it corrupted (which the abort then reveals, one guess per
// corrupted chunk, as the ideal functionality allows). Afterwards R holds OtReceiverSetup
// and S holds OtSenderSetup (see state.hpp).
//
// The reverse direction needs no base OTs of its own. Once (S, R) is set up, R extends κ random
// OTs from it and S gets both messages of each: exactly the base OTs of the reverse setup, with R
// (the reverse sender) choosing at random, hence a random Δ, and S (the reverse receiver) building
// its GGM trees from the message pairs:
//
//   4. R -> S  ExtensionMsg  κ random OTs from (S, R), under a session derived
//              from the reverse one (SetupSender::reverse)                       6166 bytes
//   5. S -> R  SetupMsg3     the reverse setup's GGM corrections (SetupReceiver::reverse)
//
// The extension keeps its malicious security (its consistency check runs; a failure poisons the
// forward state and names R), and the random-OT messages are correlation-robust hashes bound to
// the session, so the reverse setup is as good as one built on fresh base OTs, for about a
// fortieth of the cost. Decoders refuse malformed messages, and messages of another session,
// naming the sender.
#include <utility>
#include <vector>

#include "ot/base_ot.hpp"
#include "ot/extension.hpp"
#include "ot/session.hpp"
#include "tsign/ot/state.hpp"

namespace tsign::ot {


struct SetupMsg1 {
  SessionTag tag{};
  BaseOtSenderMsg base;
  Bytes encode() const;
  static Result<SetupMsg1> decode(ByteSpan in, PartyId from);
};

struct SetupMsg2 {
  SessionTag tag{};
  BaseOtReceiverMsg base;
  Bytes encode() const;
  static Result<SetupMsg2> decode(ByteSpan in, PartyId from);
};

struct SetupMsg3 {
  SessionTag tag{};
  // corrections[2·i + b] = (level sum b of base OT i's level) XOR (R's base-OT key k_{i,b}).
  std::vector<ByteArray<32>> corrections;
  std::vector<ByteArray<32>> proof_sums;  // per chunk: XOR of its leaves' proofs
  ByteArray<32> proof_digest{};           // over every leaf proof, chunk by chunk, in leaf order
  Bytes encode() const;
  static Result<SetupMsg3> decode(ByteSpan in, PartyId from);
};

// Runs on R (the future OT-extension receiver).
class SetupReceiver {
 public:
  static Result<std::pair<SetupReceiver, SetupMsg1>> start(const PairSession& session);
  Result<std::pair<OtReceiverSetup, SetupMsg3>> finish(const SetupMsg2& msg) &&;

  // The reverse setup on S of a set-up pair: session is the reverse pair (this party as
  // receiver), forward this party's sender state towards the peer, msg the peer's
  // SetupSender::reverse message. A failed extension check poisons `forward` and names the peer.
  static Result<std::pair<OtReceiverSetup, SetupMsg3>> reverse(OtSenderSetup& forward, const PairSession& session,
                                                               const ExtensionMsg& msg);

 private:
  SetupReceiver(PartyId self, PartyId peer, const Digest32& digest, SessionTag tag, BaseOtSender base)
      : self_(self), peer_(peer), digest_(digest), tag_(tag), base_(std::move(base)) {}
  PartyId self_;
  PartyId peer_;
  Digest32 digest_;
  SessionTag tag_;
  BaseOtSender base_;
};

// Runs on S (the future OT-extension sender).
class SetupSender {
 public:
  static Result<std::pair<SetupSender, SetupMsg2>> respond(const PairSession& session, const SetupMsg1& msg);
  // The reverse setup on R of a set-up pair: session is the reverse pair (this party as sender),
  // forward this party's receiver state towards the peer. finish() then takes the peer's
  // SetupMsg3 from SetupReceiver::reverse.
  static Result<std::pair<SetupSender, ExtensionMsg>> reverse(const OtReceiverSetup& forward,
                                                              const PairSession& session);
  Result<OtSenderSetup> finish(const SetupMsg3& msg) &&;

 private:
  SetupSender(PartyId self, PartyId peer, const Digest32& digest, SessionTag tag, SecretBytes delta, SecretBytes keys)
      : self_(self), peer_(peer), digest_(digest), tag_(tag), delta_(std::move(delta)), keys_(std::move(keys)) {}
  PartyId self_;
  PartyId peer_;
  Digest32 digest_;
  SessionTag tag_;
  SecretBytes delta_;  // Δ, κ bits
  SecretBytes keys_;   // base-OT keys k_{i, not Δ_i}
};

}  // namespace tsign::ot
