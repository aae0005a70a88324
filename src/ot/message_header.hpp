#pragma once
// Every OT-layer message starts with its type, a format version and the session tag, so a
// message of the wrong kind, version or session is refused before anything else is read.
#include <cstdint>

#include "blame.hpp"
#include "session_digest.hpp"
#include "tsign/core/codec.hpp"

namespace tsign::ot::detail {

enum class MessageType : std::uint8_t {
  kSetup1 = 1,
  kSetup2 = 2,
  kSetup3 = 3,
  kExtension = 6,
  kMulRequest = 4,
  kMulResponse = 5,
};

inline constexpr std::uint8_t kMessageVersion = 1;
inline constexpr std::size_t kHeaderSize = 2 + kTagSize;

inline void write_header(Bytes& out, MessageType type, const SessionTag& tag) {
  out.push_back(static_cast<std::uint8_t>(type));
  out.push_back(kMessageVersion);
  append(out, tag);
}

inline Result<SessionTag> read_header(Reader& r, MessageType type, PartyId from) {
  auto t = r.u8();
  if (!t) return with_culprit(t.error(), from);
  auto v = r.u8();
  if (!v) return with_culprit(v.error(), from);
  if (*t != static_cast<std::uint8_t>(type)) return with_culprit(r.fail("wrong message type"), from);
  if (*v != kMessageVersion) return with_culprit(r.fail("unsupported format version"), from);
  auto tag = r.array<kTagSize>();
  if (!tag) return with_culprit(tag.error(), from);
  return *tag;
}

// The tag is public: comparing it leaks nothing, so a mismatch is refused without touching the
// pair's state (a stray or replayed message must not poison the pair).
inline Status check_tag(const SessionTag& got, const SessionTag& expected, PartyId from, const char* what) {
  if (got != expected) return abort_by(from, std::string(what) + " belongs to another session");
  return {};
}

}  // namespace tsign::ot::detail
