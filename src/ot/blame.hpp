#pragma once
// Errors of the OT layer name the peer whose message failed.
#include <string>
#include <utility>

#include "tsign/core/result.hpp"

namespace tsign::ot::detail {

inline Error blame(ErrorKind kind, PartyId peer, std::string message) {
  return make_error(kind, std::move(message) + " (from party " + std::to_string(peer) + ")", {peer});
}

// A failed cryptographic check: the peer cheated or its message was altered.
inline Error abort_by(PartyId peer, std::string message) {
  return blame(ErrorKind::ProtocolAborted, peer, std::move(message));
}

// A decoding error, with the sender of the bytes as culprit.
inline Error with_culprit(Error e, PartyId peer) {
  e.message += " (from party " + std::to_string(peer) + ")";
  e.culprits = {peer};
  return e;
}

}  // namespace tsign::ot::detail
