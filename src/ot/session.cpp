#include "ot/session.hpp"

#include <string>

#include "primitives.hpp"
#include "session_digest.hpp"

namespace tsign::ot {

Status validate(const PairSession& session) {
  if (session.sender == 0 || session.receiver == 0) {
    return make_error(ErrorKind::InvalidInput, "OT pair session: party ids must be non-zero");
  }
  if (session.sender == session.receiver) {
    return make_error(ErrorKind::InvalidInput,
                      "OT pair session: sender and receiver are the same party " + std::to_string(session.sender));
  }
  if (session.session_id.empty() || session.session_id.size() > kMaxSessionIdSize) {
    return make_error(ErrorKind::InvalidInput, "OT pair session: session id must be 1.." +
                                                   std::to_string(kMaxSessionIdSize) + " bytes");
  }
  return {};
}

namespace detail {

Digest32 session_digest(std::string_view purpose, const PairSession& session) {
  Sha256 h = tagged_hasher("tsign/ot/pair-session/v1");
  h.update_framed(as_bytes(purpose));
  h.update_framed(session.session_id);
  h.update_u32(session.sender);
  h.update_u32(session.receiver);
  return h.finish();
}

SessionTag session_tag(const Digest32& digest) {
  const Digest32 t = keyed_hash(digest, "message tag", {});
  SessionTag out;
  std::copy(t.begin(), t.begin() + kTagSize, out.begin());
  return out;
}

}  // namespace detail
}  // namespace tsign::ot
