#pragma once
// Admission of received messages for one session: decodes the envelope, applies the engine's
// rules against the authenticated sender, and files each message into its slot. A slot holds at
// most one message; an identical copy is a harmless duplicate, a different one is a fault. With
// broadcast keys, a broadcast is stored only once its sender's signature verifies.
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "notices.hpp"
#include "tsign/core/result.hpp"
#include "tsign/net/broadcast_keys.hpp"
#include "tsign/net/envelope.hpp"
#include "tsign/protocol/round.hpp"

namespace tsign {

struct SlotKey {
  std::uint32_t round = 0;
  MessageKind kind = MessageKind::Protocol;  // Protocol or Echo
  PartyId sender = 0;
  bool broadcast = false;
  auto operator<=>(const SlotKey&) const = default;
};

enum class Admission {
  Stored,     // a new message for the current or a later step
  Duplicate,  // an identical copy of a message already held
  Stale,      // for a round this party has finished
  Unknown,    // the transport's sender is not a party of this session
  Aborted,    // an abort notice; see abort_notice()
};

class Router {
 public:
  // `keys`: nullptr for unsigned broadcasts; otherwise it must outlive the router.
  Router(const RoundProtocol& protocol, const SessionId& session, std::size_t max_payload, const BroadcastKeys* keys);

  // `current_round` is the round this party works on; earlier rounds are stale. An error is a
  // fault by `from` (its only culprit).
  Result<Admission> admit(PartyId from, ByteSpan data, std::size_t current_round);

  // Once this party has emitted round r it knows whether r has an echo step; a buffered echo for
  // a round without one is a fault by its senders, returned here.
  Status set_echo(std::uint32_t round, bool has_echo);
  bool has_echo(std::uint32_t round) const { return has_echo_.at(round).value_or(false); }

  const Bytes* find(const SlotKey& key) const;
  // The sender's signature on a stored broadcast (all zero without broadcast keys).
  const BroadcastSignature& signature(const SlotKey& key) const { return slots_.at(key).signature; }
  void erase_round(std::uint32_t round);
  const AbortNotice& abort_notice() const { return abort_notice_; }

 private:
  struct Slot {
    Bytes payload;
    BroadcastSignature signature{};
  };
  Status check(PartyId from, const Envelope& e) const;
  Status check_signature(PartyId from, const Envelope& e) const;

  const RoundProtocol& protocol_;
  SessionId session_;
  std::size_t max_payload_;
  std::vector<std::optional<bool>> has_echo_;
  const BroadcastKeys* keys_;
  std::map<SlotKey, Slot> slots_;
  AbortNotice abort_notice_;
};

}  // namespace tsign
