#pragma once
// Payloads of the engine's own messages: the echo of a round's broadcasts and the abort notice.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

// The digest a party echoes for one broadcast: bound to session, protocol, round and sender.
Digest32 broadcast_digest(const SessionId& session, std::string_view protocol, std::uint32_t round, PartyId sender,
                          ByteSpan payload);

// Echo payload: count u32, then (sender u32, digest 32) in strictly ascending sender order.
using EchoEntries = std::map<PartyId, Digest32>;  // what ProtocolSession::held_digests returns
Bytes encode_echo(const EchoEntries& entries);
Result<EchoEntries> decode_echo(ByteSpan data, std::size_t max_entries);

struct AbortNotice {
  std::string reason;
  std::vector<PartyId> blamed;
};
inline constexpr std::size_t kMaxAbortReason = 1024;
Bytes encode_abort(const AbortNotice& notice);
Result<AbortNotice> decode_abort(ByteSpan data, std::size_t max_blamed);

}  // namespace tsign
