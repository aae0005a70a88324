#pragma once
// The engine's wire message. Every payload a protocol emits travels inside an envelope, so a
// receiver checks session, protocol, round, sender, recipient and kind before the protocol sees
// a single byte of it.
//
// Encoding (big-endian, strict): version u8 | session 32 | protocol str | round u32 |
// sender u32 | recipient u32 (0: broadcast) | kind u8 | payload var, and for a broadcast protocol
// message its sender's signature (64 bytes, all zero in a session without broadcast keys; see
// broadcast_keys.hpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

enum class MessageKind : std::uint8_t {
  Protocol = 1,  // a protocol's own message of a round
  Echo = 2,      // digests of every broadcast of a round, for the consistency check
  Abort = 3,     // the sender stops the session; carries its reason and the parties it blames
};

const char* to_string(MessageKind kind);

// Party id 0 is never a party, so it marks a message sent to everyone.
inline constexpr PartyId kBroadcastRecipient = 0;
inline constexpr std::uint8_t kEnvelopeVersion = 2;
inline constexpr std::size_t kMaxProtocolNameLength = 64;
// Default bound on a payload; protocols with larger messages raise EngineOptions::max_message_size.
inline constexpr std::size_t kDefaultMaxPayload = 16u << 20;

struct Envelope {
  SessionId session{};
  std::string protocol;
  std::uint32_t round = 0;
  PartyId sender = 0;
  PartyId recipient = kBroadcastRecipient;
  MessageKind kind = MessageKind::Protocol;
  Bytes payload;
  ByteArray<64> signature{};  // travels only on a broadcast protocol message

  bool is_broadcast() const { return recipient == kBroadcastRecipient; }
  bool is_signed_kind() const { return kind == MessageKind::Protocol && is_broadcast(); }
};

// 1 to 64 printable ASCII characters without spaces.
bool valid_protocol_name(std::string_view name);

Bytes encode_envelope(const Envelope& envelope);
// Rejects unknown versions and kinds, a zero sender, an empty or over-long protocol name, a
// payload above max_payload and trailing bytes.
Result<Envelope> decode_envelope(ByteSpan data, std::size_t max_payload = kDefaultMaxPayload);

}  // namespace tsign
