#include "tsign/protocol/session_id.hpp"

#include "tsign/core/hash.hpp"
#include "tsign/core/random.hpp"

namespace tsign {

SessionId random_session_id() { return random_array<32>(); }

SessionId derive_session_id(std::string_view protocol, const std::vector<PartyId>& parties, ByteSpan context) {
  Sha256 h = tagged_hasher("tsign/net/session-id");
  h.update_framed(as_bytes(protocol));
  h.update_u64(parties.size());
  for (PartyId p : parties) h.update_u32(p);
  h.update_framed(context);
  return h.finish();
}

}  // namespace tsign
