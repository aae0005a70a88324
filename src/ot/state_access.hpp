#pragma once
// Internal access to the secret parts of the per-pair OT state.
#include <span>
#include <string>
#include <utility>

#include "blame.hpp"
#include "tsign/ot/state.hpp"

namespace tsign::ot {

struct StateAccess {
  static OtSenderSetup make_sender(PartyId self, PartyId peer, SecretBytes secret) {
    return OtSenderSetup(self, peer, false, std::move(secret));
  }
  static OtReceiverSetup make_receiver(PartyId self, PartyId peer, SecretBytes secret) {
    return OtReceiverSetup(self, peer, false, std::move(secret));
  }

  // Δ, bit c at bit c % 8 of byte c / 8.
  static ByteSpan delta(const OtSenderSetup& s) { return s.secret_.expose().subspan(0, kBaseOts / 8); }
  // The seed at relative position y = x XOR δ_h (1 <= y < 2^k) of chunk h.
  static const std::uint8_t* sender_seed(const OtSenderSetup& s, std::size_t chunk, std::size_t y) {
    return s.secret_.expose().data() + kBaseOts / 8 + (chunk * (kLeaves - 1) + (y - 1)) * 32;
  }
  static const std::uint8_t* receiver_seed(const OtReceiverSetup& s, std::size_t chunk, std::size_t x) {
    return s.secret_.expose().data() + (chunk * kLeaves + x) * 32;
  }
};

namespace detail {

using ot::StateAccess;

// Refuses a poisoned state or one that belongs to another pair; the peer is the culprit of a
// poisoned pair because its earlier message failed a check.
template <class Setup>
Status check_usable(const Setup& setup, PartyId self, PartyId peer) {
  if (setup.self() != self || setup.peer() != peer) {
    return make_error(ErrorKind::InvalidInput, "OT state belongs to the pair (" + std::to_string(setup.self()) + ", " +
                                                   std::to_string(setup.peer()) + "), not to (" +
                                                   std::to_string(self) + ", " + std::to_string(peer) + ")");
  }
  return setup.guard().usable(peer);
}

}  // namespace detail
}  // namespace tsign::ot
