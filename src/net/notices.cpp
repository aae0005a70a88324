#include "notices.hpp"

#include "tsign/core/codec.hpp"

namespace tsign {

Bytes encode_echo(const EchoEntries& entries) {
  Writer w;
  w.u32(static_cast<std::uint32_t>(entries.size()));
  for (const auto& [sender, entry] : entries) w.u32(sender).raw(entry.hash).raw(entry.signature);
  return std::move(w).take();
}

Result<EchoEntries> decode_echo(ByteSpan data, std::size_t max_entries) {
  Reader r(data, "echo");
  TSIGN_TRY(std::uint32_t n, r.count(static_cast<std::uint32_t>(max_entries)));
  EchoEntries out;
  PartyId previous = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    TSIGN_TRY(PartyId sender, r.u32());
    if (sender <= previous) return r.fail("senders not in strictly ascending order");
    previous = sender;
    TSIGN_TRY(out[sender].hash, r.array<32>());
    TSIGN_TRY(out[sender].signature, r.array<64>());
  }
  TSIGN_CHECK(r.finish());
  return out;
}

Bytes encode_abort(const AbortNotice& notice) {
  Writer w;
  std::string_view reason = notice.reason;
  w.str(reason.substr(0, kMaxAbortReason));
  w.u32(static_cast<std::uint32_t>(notice.blamed.size()));
  for (PartyId p : notice.blamed) w.u32(p);
  w.u8(notice.timed_out ? 1 : notice.own_account ? 2 : 0);
  return std::move(w).take();
}

Result<AbortNotice> decode_abort(ByteSpan data, std::size_t max_blamed) {
  Reader r(data, "abort notice");
  AbortNotice out;
  TSIGN_TRY(out.reason, r.str(kMaxAbortReason));
  for (char c : out.reason) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return r.fail("reason has control characters");
  }
  TSIGN_TRY(std::uint32_t n, r.count(static_cast<std::uint32_t>(max_blamed)));
  for (std::uint32_t i = 0; i < n; ++i) {
    TSIGN_TRY(PartyId p, r.u32());
    out.blamed.push_back(p);
  }
  TSIGN_TRY(std::uint8_t cause, r.u8());
  if (cause > 2) return r.fail("cause is not 0, 1 or 2");
  out.timed_out = cause == 1;
  out.own_account = cause == 2;
  TSIGN_CHECK(r.finish());
  return out;
}

}  // namespace tsign
