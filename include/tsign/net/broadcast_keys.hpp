#pragma once
// Signed broadcasts: blame for an inconsistent broadcast that a third party can check.
//
// With BroadcastKeys set (EngineOptions::broadcast_keys), every broadcast carries its sender's
// Ed25519 signature over a statement naming the slot (session, protocol, round, sender) and the
// payload's hash; a receiver checks it before storing the message. The echo after a round carries,
// for every broadcast, the hash and the signature as the echoer received them. A disagreement is
// then settled by signatures alone:
// - a copy the broadcaster signed that differs from the one held here: the broadcaster signed two
//   payloads for one slot and is named, with an EquivocationProof anyone can verify;
// - a copy without a valid signature behind it: the echoer made it up and is named.
// So colluding echoers cannot frame an honest broadcaster, and an equivocator cannot hide.
//
// The key is the party's identity key (the one that signs its audit log): the statement starts
// with its own domain string, so a broadcast signature is never an audit signature.
//
// A session of two parties has no echo step and signs nothing: a broadcast has one recipient.
//
// Without keys, broadcasts travel unsigned and a dispute between a broadcaster and an echoer
// cannot be attributed: the session fails naming only what the authenticated channel proves
// (a party contradicting its own broadcast, a party misreporting this party's broadcast).
#include <cstdint>
#include <map>
#include <string>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/identity_key.hpp"
#include "tsign/core/result.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

struct BroadcastKeys {
  const IdentityKey* own = nullptr;              // signs this party's broadcasts; must outlive the session
  std::map<PartyId, ByteArray<32>> public_keys;  // every party of the session, this one included
};

using BroadcastSignature = ByteArray<64>;

// The hash of a broadcast payload that echoes carry and statements sign.
Digest32 broadcast_payload_hash(ByteSpan payload);

// The bytes a broadcaster signs: "tsign/broadcast/v1" 0 | session | protocol (length-prefixed) |
// round u32 | sender u32 | payload hash.
Bytes broadcast_statement(const SessionId& session, std::string_view protocol, std::uint32_t round, PartyId sender,
                          const Digest32& payload_hash);

// Two statements one sender signed for one slot, with different payloads.
struct EquivocationProof {
  SessionId session{};
  std::string protocol;
  std::uint32_t round = 0;
  PartyId sender = 0;
  Digest32 first_hash{};
  BroadcastSignature first_signature{};
  Digest32 second_hash{};
  BroadcastSignature second_signature{};
};

// "TSEQ" | version u8 = 1 | session | protocol str | round u32 | sender u32 | first hash, signature |
// second hash, signature. Strict: trailing bytes, a bad name or equal hashes are refused.
Bytes encode_equivocation_proof(const EquivocationProof& proof);
Result<EquivocationProof> decode_equivocation_proof(ByteSpan data);

// Ok when both signatures verify under `sender_key` and the hashes differ: the key's holder signed
// two different broadcasts for one slot.
Status verify_equivocation_proof(const EquivocationProof& proof, const ByteArray<32>& sender_key);

}  // namespace tsign
