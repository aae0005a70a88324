#include "broker/nats_wire.hpp"

#include "tsign/core/codec.hpp"

namespace tsign::nats_wire {

namespace {
void write_header(Writer& w, const Header& h) {
  w.raw(kMagic).u8(kVersion).u8(static_cast<std::uint8_t>(h.kind)).u32(h.sender).u32(h.recipient).raw(h.link);
}
}  // namespace

Bytes encode_header(const Header& h) {
  Writer w;
  write_header(w, h);
  return std::move(w).take();
}

Bytes encode_handshake(const Header& h, ByteSpan noise_message) {
  Writer w;
  write_header(w, h);
  w.raw(noise_message);
  return std::move(w).take();
}

Bytes encode_sealed_prefix(const Header& h, std::uint64_t nonce) {
  Writer w;
  write_header(w, h);
  w.u64(nonce);
  return std::move(w).take();
}

Result<Frame> decode_frame(ByteSpan data) {
  Reader r(data, "NATS frame");
  if (data.size() > kMaxFrame) return r.fail("frame exceeds the size limit");
  TSIGN_TRY(auto magic, r.array<4>());
  if (magic != kMagic) return r.fail("not a tsign frame");
  TSIGN_TRY(std::uint8_t version, r.u8());
  if (version != kVersion) return r.fail("unsupported wire version");
  TSIGN_TRY(std::uint8_t kind, r.u8());
  if (kind < 1 || kind > 4) return r.fail("unknown frame kind");
  Frame f;
  f.header.kind = static_cast<Kind>(kind);
  TSIGN_TRY(f.header.sender, r.u32());
  TSIGN_TRY(f.header.recipient, r.u32());
  TSIGN_TRY(f.header.link, r.array<16>());
  if (f.header.sender == 0 || f.header.recipient == 0 || f.header.sender == f.header.recipient) {
    return r.fail("bad party ids");
  }
  switch (f.header.kind) {
    case Kind::Hello:
    case Kind::Reply: {
      f.clear_header = data.first(kHeaderSize);
      TSIGN_TRY(f.body, r.raw(kHandshakeMessage));
      break;
    }
    case Kind::Sealed: {
      TSIGN_TRY(f.nonce, r.u64());
      f.clear_header = data.first(kHeaderSize + 8);
      if (r.remaining() < kTagSize + 1) return r.fail("sealed frame too short");
      TSIGN_TRY(f.body, r.raw(r.remaining()));
      break;
    }
    case Kind::Rekey: {
      if (f.header.link != LinkId{}) return r.fail("rekey with a link id");
      f.clear_header = data.first(kHeaderSize);
      break;
    }
  }
  TSIGN_CHECK(r.finish());
  return f;
}

Bytes encode_data(const Unit& u) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(UnitType::Data)).raw(u.mine).raw(u.yours).u64(u.seq).u64(u.ack).u64(u.first_unacked);
  w.u8(u.flags).raw(u.bytes);
  return std::move(w).take();
}

Bytes encode_ack(const Unit& u) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(UnitType::Ack)).raw(u.mine).raw(u.yours).u64(u.ack).u64(u.first_unacked);
  return std::move(w).take();
}

Result<Unit> decode_unit(ByteSpan data) {
  Reader r(data, "NATS transport unit");
  TSIGN_TRY(std::uint8_t type, r.u8());
  if (type != 1 && type != 2) return r.fail("unknown unit type");
  Unit u;
  u.type = static_cast<UnitType>(type);
  TSIGN_TRY(u.mine, r.array<16>());
  TSIGN_TRY(u.yours, r.array<16>());
  if (u.type == UnitType::Data) {
    TSIGN_TRY(u.seq, r.u64());
  }
  TSIGN_TRY(u.ack, r.u64());
  TSIGN_TRY(u.first_unacked, r.u64());
  if (u.type == UnitType::Data) {
    TSIGN_TRY(u.flags, r.u8());
    if ((u.flags & ~(kFirstFragment | kLastFragment)) != 0) return r.fail("unknown fragment flags");
    if (r.remaining() == 0) return r.fail("data unit without bytes");
    TSIGN_TRY(u.bytes, r.raw(r.remaining()));
  }
  TSIGN_CHECK(r.finish());
  return u;
}

}  // namespace tsign::nats_wire
