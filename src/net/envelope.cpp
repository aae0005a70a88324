#include "tsign/net/envelope.hpp"

#include "tsign/core/codec.hpp"

namespace tsign {

const char* to_string(MessageKind kind) {
  switch (kind) {
    case MessageKind::Protocol: return "protocol message";
    case MessageKind::Echo: return "echo";
    case MessageKind::Abort: return "abort notice";
  }
  return "unknown kind";
}

Bytes encode_envelope(const Envelope& e) {
  Writer w;
  w.u8(kEnvelopeVersion)
      .raw(e.session)
      .str(e.protocol)
      .u32(e.round)
      .u32(e.sender)
      .u32(e.recipient)
      .u8(static_cast<std::uint8_t>(e.kind))
      .var(e.payload);
  if (e.is_signed_kind()) w.raw(e.signature);
  return std::move(w).take();
}

bool valid_protocol_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxProtocolNameLength) return false;
  for (char c : name) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

Result<Envelope> decode_envelope(ByteSpan data, std::size_t max_payload) {
  Reader r(data, "envelope");
  TSIGN_TRY(std::uint8_t version, r.u8());
  if (version != kEnvelopeVersion) return r.fail("unsupported version " + std::to_string(version));
  Envelope e;
  TSIGN_TRY(e.session, r.array<32>());
  TSIGN_TRY(e.protocol, r.str(kMaxProtocolNameLength));
  if (!valid_protocol_name(e.protocol)) return r.fail("protocol name is empty or not printable ASCII");
  TSIGN_TRY(e.round, r.u32());
  TSIGN_TRY(e.sender, r.u32());
  if (e.sender == 0) return r.fail("sender id 0");
  TSIGN_TRY(e.recipient, r.u32());
  TSIGN_TRY(std::uint8_t kind, r.u8());
  if (kind < 1 || kind > 3) return r.fail("unknown message kind " + std::to_string(kind));
  e.kind = static_cast<MessageKind>(kind);
  TSIGN_TRY(ByteSpan payload, r.var(max_payload));
  e.payload.assign(payload.begin(), payload.end());
  if (e.is_signed_kind()) {
    TSIGN_TRY(e.signature, r.array<64>());
  }
  TSIGN_CHECK(r.finish());
  return e;
}

}  // namespace tsign
