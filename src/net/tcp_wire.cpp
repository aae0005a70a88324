#include "net/tcp_wire.hpp"

#include <algorithm>

#include "tsign/core/codec.hpp"

namespace tsign::wire {

Bytes encode_preamble(const Preamble& p) {
  Writer w;
  w.raw(kMagic).u8(kVersion).u32(p.initiator).u32(p.responder);
  return std::move(w).take();
}

Result<Preamble> decode_preamble(ByteSpan data) {
  Reader r(data, "connection preamble");
  TSIGN_TRY(auto magic, r.array<4>());
  if (magic != kMagic) return r.fail("not a tsign connection");
  TSIGN_TRY(std::uint8_t version, r.u8());
  if (version != kVersion) return r.fail("unsupported wire version " + std::to_string(version));
  Preamble p;
  TSIGN_TRY(p.initiator, r.u32());
  TSIGN_TRY(p.responder, r.u32());
  if (p.initiator == 0 || p.responder == 0) return r.fail("party id 0");
  TSIGN_CHECK(r.finish());
  return p;
}

Bytes noise_prologue(const Digest32& cluster_hash, ByteSpan preamble) {
  Writer w;
  w.str("tsign/noise-kk").u8(kVersion).raw(cluster_hash).raw(preamble);
  return std::move(w).take();
}

Bytes encode_resume(const Resume& r) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(UnitType::Resume)).raw(r.mine).raw(r.yours).u64(r.next_expected).u64(r.first_unacked);
  return std::move(w).take();
}

Bytes encode_data(const DataHeader& h, ByteSpan session_and_bytes) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(UnitType::Data)).u64(h.seq).u64(h.ack).raw(session_and_bytes);
  return std::move(w).take();
}

Bytes encode_ack(std::uint64_t ack) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(UnitType::Ack)).u64(ack);
  return std::move(w).take();
}

Result<Unit> decode_unit(ByteSpan bytes) {
  Reader r(bytes, "transport unit");
  TSIGN_TRY(std::uint8_t type, r.u8());
  Unit u;
  switch (type) {
    case 1: {
      u.type = UnitType::Resume;
      TSIGN_TRY(u.resume.mine, r.array<16>());
      TSIGN_TRY(u.resume.yours, r.array<16>());
      TSIGN_TRY(u.resume.next_expected, r.u64());
      TSIGN_TRY(u.resume.first_unacked, r.u64());
      break;
    }
    case 2: {
      u.type = UnitType::Data;
      TSIGN_TRY(u.data.seq, r.u64());
      TSIGN_TRY(u.data.ack, r.u64());
      if (r.remaining() <= 32) return r.fail("data unit without session id and bytes");
      TSIGN_TRY(u.message, r.raw(r.remaining()));
      break;
    }
    case 3: {
      u.type = UnitType::Ack;
      TSIGN_TRY(u.ack, r.u64());
      break;
    }
    default:
      return r.fail("unknown unit type " + std::to_string(type));
  }
  TSIGN_CHECK(r.finish());
  return u;
}

Result<std::size_t> decode_frame_length(ByteSpan header, bool handshake) {
  Reader r(header, "frame header");
  TSIGN_TRY(std::uint32_t n, r.u32());
  TSIGN_CHECK(r.finish());
  if (handshake && n != kHandshakeFrame) {
    return r.fail("handshake frame of " + std::to_string(n) + " bytes (expected " + std::to_string(kHandshakeFrame) + ")");
  }
  if (n > kMaxFrame) return r.fail("frame of " + std::to_string(n) + " bytes exceeds the limit of 65535");
  if (n < kTagSize + 1) return r.fail("frame of " + std::to_string(n) + " bytes is too short");
  return static_cast<std::size_t>(n);
}

ByteArray<kFrameHeaderSize> encode_frame_length(std::size_t length) {
  const auto n = static_cast<std::uint32_t>(length);
  return {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
          static_cast<std::uint8_t>(n)};
}

}  // namespace tsign::wire
