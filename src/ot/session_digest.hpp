#pragma once
// The 32-byte digest that keys every hash of one use of a PairSession, and the short tag that
// messages carry so a message from another session is refused before any secret is touched.
#include <string_view>

#include "tsign/core/hash.hpp"
#include "ot/session.hpp"

namespace tsign::ot::detail {

inline constexpr std::size_t kTagSize = 16;
using SessionTag = ByteArray<kTagSize>;

// purpose names the protocol ("setup", "multiply", ...), so the same session id used for two
// different things still gives unrelated digests.
Digest32 session_digest(std::string_view purpose, const PairSession& session);
SessionTag session_tag(const Digest32& digest);

}  // namespace tsign::ot::detail
