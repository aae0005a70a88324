#pragma once
// One broadcast round that turns a session id the parties derived alike (from a label and a
// request) into one no earlier run has used: each party broadcasts 32 fresh random bytes, and the
// new id hashes the old one with every contribution. One honest party's randomness makes it
// fresh, so messages recorded in an earlier run of the same request are refused in this one. The
// engine's echo step (with signed broadcasts) makes every party agree on the contributions or
// name who sent different ones.
#include <map>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/protocol/protocol.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

// Output: the fresh session id.
class FreshSessionProtocol final : public StateProtocol<SessionId> {
 public:
  static constexpr std::string_view kName = "tsign/fresh-session";

  // `parties` (in any order) must hold `self`, each party once.
  static Result<FreshSessionProtocol> create(const SessionId& base, PartyId self, std::vector<PartyId> parties);

  // The id a run produces from these contributions.
  static SessionId derive(const SessionId& base, const std::map<PartyId, ByteArray<32>>& contributions);

 private:
  using StateProtocol<SessionId>::StateProtocol;
};

}  // namespace tsign
