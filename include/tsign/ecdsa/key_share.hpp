#pragma once
// One party's share of a threshold ECDSA key (DKLs23): the Shamir share from the DKG plus, for
// every other holder, the pairwise state that signing reuses: the OT-extension setups in both
// directions (this party as multiplication sender and as receiver) and a seed for zero-sharing.
//
// All of it is secret. A failed multiplication check with a peer disables the pair for good
// (retrying with the same setup would let the peer learn secret bits one failure at a time). The
// disabled state lives in the OT states' guards (ot/pair_guard.hpp): every clone and every decode
// of the same pair state in the process sees it at once, and with a journal attached it is on
// disk before the check runs, so neither a crash nor an older copy of the share re-enables the
// pair. It is also part of the encoding. Only fresh pair state (a refresh, or rebuild_pairs)
// re-enables a pair.
//
// Signing only reads the pair state, so clones may sign on several threads at once.
#include <map>
#include <memory>
#include <vector>

#include "tsign/keys/key_share.hpp"
#include "tsign/ot/state.hpp"

namespace tsign {

struct EcdsaPairState {
  static constexpr std::size_t kZeroSeedSize = 32;

  ot::OtSenderSetup sender;      // this party sends (inputs r_i, sk_i), the peer receives
  ot::OtReceiverSetup receiver;  // the peer sends, this party receives (random input)
  SecretBytes zero_seed;         // the same 32 bytes at both ends of the pair

  bool usable() const { return !sender.poisoned() && !receiver.poisoned(); }
  EcdsaPairState clone() const { return {sender.clone(), receiver.clone(), zero_seed.clone()}; }
};

struct EcdsaKeyShare {
  static constexpr std::uint16_t kFormatVersion = 1;

  KeyShare<Secp256k1> key;
  std::map<PartyId, EcdsaPairState> pairs;  // one entry per other holder of the key

  EcdsaKeyShare clone() const;
  // The key share validates, there is exactly one pair state per other holder, and each belongs
  // to (self, peer).
  Status validate() const;
  // Holders whose pair with this party is disabled by a failed check.
  std::vector<PartyId> disabled_peers() const;
  // Disables the pair with `peer` in both directions, in every copy; only fresh pair state
  // re-enables it.
  void disable_pair(PartyId peer);
  // Records every pair's check attempts in `journal` from now on (for every copy of this share in
  // the process); pairs the journal holds as disabled are disabled. Fails if it cannot be read.
  Status attach_journal(const std::shared_ptr<ot::CheckJournal>& journal) const;

  // Secret: callers seal the result (store/) before it touches a disk.
  SecretBytes encode() const;
  // Strict: magic, version, the key share's own strict decoding, one pair per other holder in
  // ascending order, OT states of the right roles and pair, and validate().
  static Result<EcdsaKeyShare> decode(ByteSpan bytes);
};

}  // namespace tsign
