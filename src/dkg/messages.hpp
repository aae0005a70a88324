#pragma once
// The wire messages of key generation, refresh, resharing and repair.
//
// Every payload starts with its type (u8) and the 32-byte session id, then its fields, all
// fixed-size or counted (big-endian; points and scalars in the group's canonical encoding).
// Decoders are strict: the expected type and session, exact counts, canonical points and
// scalars, no identity point except where a field says so, no trailing bytes. A message that
// fails to decode is its sender's fault: the protocols name the sender.
//
// An echo lists, for every party that broadcast in the previous round, a digest of the exact
// payload this party received from it (its own included), so a party that sent different
// broadcasts to different recipients is caught inside the protocol, one round later.
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "tsign/core/hash.hpp"
#include "tsign/protocol/session_id.hpp"
#include "dkg/proof.hpp"
#include "tsign/dkg/public_data.hpp"
#include "tsign/sss/feldman.hpp"

namespace tsign {

// Names one run of one protocol (the same alias as the engine's, net/session_id.hpp).


enum class DkgMessageType : std::uint8_t {
  DkgCommit = 0x11,       // round 0, broadcast: commitment, proof of knowledge, chain-code commitment
  DkgOpen = 0x12,         // round 1, broadcast: echo of round 0, chain-code contribution
  DkgShare = 0x13,        // round 1, direct: f_i(j)
  DkgConfirm = 0x14,      // round 2, broadcast: echo of round 1, own verifying share
  RefreshDeal = 0x21,     // round 0, broadcast: digest of the key's public data, zero-constant commitment
  RefreshShare = 0x22,    // round 0, direct: δ_i(j)
  RefreshConfirm = 0x23,  // round 1, broadcast: echo of round 0, new verifying share
  RefreshAck = 0x24,      // round 2, broadcast: echo of round 1, digest of the new public data
  ReshareDeal = 0x31,     // round 0, broadcast from old holders: old public data, commitment
  ReshareShare = 0x32,    // round 0, direct to new holders: g_i(j)
  ReshareConfirm = 0x33,  // round 1, broadcast: echo of round 0, new verifying share (new holders)
  ReshareAck = 0x34,      // round 2, broadcast: echo of round 1, digest of the new public data
  RepairDeal = 0x41,      // round 0, broadcast from helpers: public data, commitments to the deltas
  RepairDelta = 0x42,     // round 0, direct between helpers: δ_ij
  RepairEcho = 0x43,      // round 1, broadcast: echo of round 0
  RepairSigma = 0x44,     // round 1, direct to the recovering party: σ_j
};

// Sender → digest of what this party received from it.
using EchoEntries = std::map<PartyId, Digest32>;

// The digest an echo carries for one broadcast.
Digest32 broadcast_digest(const Digest32& context, std::size_t round, PartyId sender, ByteSpan payload);

template <PrimeOrderGroup G>
struct DkgCommitMessage {
  FeldmanCommitment<G> commitment;  // exactly t points, none the identity
  KnowledgeProof<G> proof;
  Digest32 chain_commitment{};

  Bytes encode(const SessionId& session) const;
  static Result<DkgCommitMessage> decode(ByteSpan payload, const SessionId& session, std::uint32_t threshold);
};

struct DkgOpenMessage {
  EchoEntries echo;
  ByteArray<32> chain_contribution{};

  Bytes encode(const SessionId& session) const;
  static Result<DkgOpenMessage> decode(ByteSpan payload, const SessionId& session,
                                       std::span<const PartyId> broadcasters);
};

// One secret scalar sent to one party (a share, a delta, a sigma); `type` says which.
template <PrimeOrderGroup G>
struct ScalarMessage {
  DkgMessageType type{};
  typename G::Scalar value;

  Bytes encode(const SessionId& session) const;
  static Result<ScalarMessage> decode(ByteSpan payload, DkgMessageType type, const SessionId& session);
};

// An echo of the previous round, with the sender's verifying share where the round has one.
template <PrimeOrderGroup G>
struct ConfirmMessage {
  DkgMessageType type{};
  EchoEntries echo;
  std::optional<typename G::Point> verifying_share;

  Bytes encode(const SessionId& session) const;
  static Result<ConfirmMessage> decode(ByteSpan payload, DkgMessageType type, const SessionId& session,
                                       std::span<const PartyId> broadcasters, bool with_verifying_share);
};

// An echo of the previous round and the digest of the public data the sender will commit.
struct AckMessage {
  DkgMessageType type{};
  EchoEntries echo;
  Digest32 ack{};

  Bytes encode(const SessionId& session) const;
  static Result<AckMessage> decode(ByteSpan payload, DkgMessageType type, const SessionId& session,
                                   std::span<const PartyId> broadcasters);
};

template <PrimeOrderGroup G>
struct RefreshDealMessage {
  Digest32 key_digest{};            // KeyPublicData::digest() of the epoch being refreshed
  FeldmanCommitment<G> commitment;  // exactly t points; the constant must be the identity

  Bytes encode(const SessionId& session) const;
  static Result<RefreshDealMessage> decode(ByteSpan payload, const SessionId& session, std::uint32_t threshold);
};

template <PrimeOrderGroup G>
struct ReshareDealMessage {
  KeyPublicData<G> key;             // the old epoch, as the dealer holds it
  FeldmanCommitment<G> commitment;  // exactly t' points, none the identity

  Bytes encode(const SessionId& session) const;
  static Result<ReshareDealMessage> decode(ByteSpan payload, const SessionId& session,
                                           std::uint32_t new_threshold);
};

template <PrimeOrderGroup G>
struct RepairDealMessage {
  KeyPublicData<G> key;
  std::vector<typename G::Point> delta_commitments;  // δ_ij·G for every helper j, ascending

  Bytes encode(const SessionId& session) const;
  static Result<RepairDealMessage> decode(ByteSpan payload, const SessionId& session, std::size_t helpers);
};

}  // namespace tsign
