#pragma once
// Every hash, challenge and PRG stream of the OT layer is bound to a PairSession: the caller's
// session id and the ordered pair of parties. The per-pair OT state is reused by every signature,
// so a message or challenge from one session must be useless in any other.
#include <cstddef>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"

namespace tsign::ot {

inline constexpr std::size_t kMaxSessionIdSize = 1024;

// Every OT message starts with a tag derived from its session (see src/ot/message_header.hpp).
using SessionTag = ByteArray<16>;

struct PairSession {
  // Unique per protocol run (key generation for the setup, one signature for a multiplication).
  // It must include fresh randomness of the caller, e.g. a session id derived from contributions
  // of every party, so that a peer cannot make two runs share it.
  ByteSpan session_id;
  // The OT-extension sender: holds the secret correlation Δ and, in a multiplication, the
  // inputs a_k (in DKLs23 signing: r_j and sk_j).
  PartyId sender = 0;
  // The OT-extension receiver: holds all the seeds and, in a multiplication, the random b.
  PartyId receiver = 0;
};

// Non-zero, distinct parties and a session id of 1..kMaxSessionIdSize bytes.
Status validate(const PairSession& session);

}  // namespace tsign::ot
