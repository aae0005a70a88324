#pragma once
// A session id names one run of one protocol among one set of parties. Every engine message
// carries it, so a message recorded in one session is rejected in any other.
#include <string_view>
#include <vector>

#include "tsign/core/bytes.hpp"

namespace tsign {

using SessionId = ByteArray<32>;

// A fresh random session id (for a coordinator that announces it to the parties).
SessionId random_session_id();

// A session id every party can compute alone from what they already agree on: the protocol,
// the sorted party ids and a context the caller makes unique per run (a request id, a counter,
// a nonce announced by a coordinator). Equal inputs give equal ids, so the context must differ
// between runs.
SessionId derive_session_id(std::string_view protocol, const std::vector<PartyId>& parties, ByteSpan context);

}  // namespace tsign
