#pragma once
// Payloads of the engine's own messages: the echo of a round's broadcasts and the abort notice.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"
#include "tsign/net/broadcast_keys.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

// What a party echoes for one broadcast: the payload's hash and the signature that came with it
// (all zero without broadcast keys).
struct EchoEntry {
  Digest32 hash{};
  BroadcastSignature signature{};
  bool operator==(const EchoEntry&) const = default;
};

// Echo payload: count u32, then (sender u32, hash 32, signature 64) in strictly ascending sender
// order.
using EchoEntries = std::map<PartyId, EchoEntry>;  // what ProtocolSession::held_broadcasts returns
Bytes encode_echo(const EchoEntries& entries);
Result<EchoEntries> decode_echo(ByteSpan data, std::size_t max_entries);

// A party that stops tells the others why. A timed-out notice says its sender stopped waiting for
// the parties it blames: the others then do not take the sender's silence for its own fault.
struct AbortNotice {
  std::string reason;
  std::vector<PartyId> blamed;
  bool timed_out = false;    // it stopped waiting for `blamed`
  bool own_account = false;  // it declined, or failed on its own (storage, a local check)
};
inline constexpr std::size_t kMaxAbortReason = 1024;
// reason str | count u32 | blamed u32... | cause u8 (0 a fault of others, 1 timed out, 2 its own account)
Bytes encode_abort(const AbortNotice& notice);
Result<AbortNotice> decode_abort(ByteSpan data, std::size_t max_blamed);

}  // namespace tsign
