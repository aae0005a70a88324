#pragma once
// The per-pair OT state that a key share stores, one object per ordered pair and role: a party
// holds, for every peer, an OtSenderSetup (it is the multiplication sender towards that peer)
// and an OtReceiverSetup (it is the receiver). Both are secret: move-only, kept in locked memory,
// wiped on destruction, and encoded only into SecretBytes.
//
// A failed OT-extension or multiplication check poisons the state: from then on every use is
// refused with ProtocolAborted naming the peer. Retrying with the same seeds would let a cheating
// peer learn the sender's correlation, or the receiver's choices, one bit per attempt. The flag
// lives in the state's PairGuard (pair_guard.hpp), shared by every copy of the same seeds in the
// process and, with a journal attached, on disk; it is also part of the encoding. The pair needs
// a fresh setup (a key refresh) to be usable again.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"
#include "tsign/ot/pair_guard.hpp"
#include "tsign/ot/params.hpp"

namespace tsign::ot {

struct StateAccess;  // the library's own access to the secret parts (src/ot)

inline constexpr std::uint8_t kStateVersion = 1;

// Held by the OT-extension sender S: the secret correlation Δ (κ bits) and, per chunk of k bits
// of Δ, the 2^k − 1 seeds it knows (all but the one at the chunk's value).
class OtSenderSetup {
 public:
  static constexpr std::size_t kSecretSize = kBaseOts / 8 + kChunks * (kLeaves - 1) * 32;
  static constexpr std::size_t kEncodedSize = 16 + kSecretSize;

  PartyId self() const { return self_; }
  PartyId peer() const { return peer_; }
  bool poisoned() const { return guard_->disabled(); }
  // For a protocol built on top (e.g. threshold ECDSA) whose own check caught this peer.
  void mark_poisoned() { guard_->disable(); }
  PairGuard& guard() const { return *guard_; }

  SecretBytes encode() const;
  static Result<OtSenderSetup> decode(ByteSpan in);
  // The copy shares this state's guard: a check that fails on either disables both.
  OtSenderSetup clone() const { return OtSenderSetup(self_, peer_, guard_, secret_.clone()); }

 private:
  friend struct StateAccess;
  OtSenderSetup(PartyId self, PartyId peer, bool poisoned, SecretBytes secret);
  OtSenderSetup(PartyId self, PartyId peer, std::shared_ptr<PairGuard> guard, SecretBytes secret)
      : self_(self), peer_(peer), guard_(std::move(guard)), secret_(std::move(secret)) {}
  PartyId self_;
  PartyId peer_;
  std::shared_ptr<PairGuard> guard_;
  SecretBytes secret_;
};

// Held by the OT-extension receiver R: all 2^k seeds of every chunk.
class OtReceiverSetup {
 public:
  static constexpr std::size_t kSecretSize = kChunks * kLeaves * 32;
  static constexpr std::size_t kEncodedSize = 16 + kSecretSize;

  PartyId self() const { return self_; }
  PartyId peer() const { return peer_; }
  bool poisoned() const { return guard_->disabled(); }
  void mark_poisoned() { guard_->disable(); }
  PairGuard& guard() const { return *guard_; }

  SecretBytes encode() const;
  static Result<OtReceiverSetup> decode(ByteSpan in);
  // The copy shares this state's guard: a check that fails on either disables both.
  OtReceiverSetup clone() const { return OtReceiverSetup(self_, peer_, guard_, secret_.clone()); }

 private:
  friend struct StateAccess;
  OtReceiverSetup(PartyId self, PartyId peer, bool poisoned, SecretBytes secret);
  OtReceiverSetup(PartyId self, PartyId peer, std::shared_ptr<PairGuard> guard, SecretBytes secret)
      : self_(self), peer_(peer), guard_(std::move(guard)), secret_(std::move(secret)) {}
  PartyId self_;
  PartyId peer_;
  std::shared_ptr<PairGuard> guard_;
  SecretBytes secret_;
};

}  // namespace tsign::ot
