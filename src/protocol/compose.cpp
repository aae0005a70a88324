#include "protocol/compose.hpp"

#include "tsign/core/codec.hpp"
#include "tsign/core/hash.hpp"

namespace tsign::compose_detail {

namespace {

constexpr std::uint8_t kPartsTag = 0x50;
constexpr std::uint8_t kHasFirst = 1;
constexpr std::uint8_t kHasSecond = 2;
constexpr std::uint8_t kConfirmTag = 0x51;
constexpr std::size_t kMaxPart = 16u << 20;  // the engine bounds the whole payload first

}  // namespace

Bytes pack_parts(const Bytes* first, const Bytes* second) {
  Writer w;
  w.u8(kPartsTag).u8(static_cast<std::uint8_t>((first ? kHasFirst : 0) | (second ? kHasSecond : 0)));
  if (first) w.var(*first);
  if (second) w.var(*second);
  return std::move(w).take();
}

Result<Parts> unpack_parts(ByteSpan payload, bool want_first, bool want_second) {
  Reader r(payload, "composed message");
  TSIGN_TRY(std::uint8_t tag, r.u8());
  if (tag != kPartsTag) return r.fail("wrong message type");
  TSIGN_TRY(std::uint8_t flags, r.u8());
  const auto want = static_cast<std::uint8_t>((want_first ? kHasFirst : 0) | (want_second ? kHasSecond : 0));
  if (flags != want) return r.fail("carries other parts than this round needs");
  Parts parts;
  if (want_first) {
    TSIGN_TRY(ByteSpan part, r.var(kMaxPart));
    parts.first.emplace(part.begin(), part.end());
  }
  if (want_second) {
    TSIGN_TRY(ByteSpan part, r.var(kMaxPart));
    parts.second.emplace(part.begin(), part.end());
  }
  TSIGN_CHECK(r.finish());
  return parts;
}

Result<SplitRound> split_round(const RoundMessages& in, std::size_t round, const RoundShape& first,
                               const RoundShape& second, std::string_view step) {
  Blame blame;
  SplitRound out;
  auto split = [&](const std::map<PartyId, Bytes>& box, bool broadcast, std::map<PartyId, Bytes>& to_first,
                   std::map<PartyId, Bytes>& to_second) {
    for (const auto& [sender, payload] : box) {
      const RoundSpec a = first.expects_from(round, sender), b = second.expects_from(round, sender);
      const bool want_first = broadcast ? a.broadcast : a.direct;
      const bool want_second = broadcast ? b.broadcast : b.direct;
      auto parts = unpack_parts(payload, want_first, want_second);
      if (!parts.ok()) {
        blame.add(sender, parts.error().message);
        continue;
      }
      if (parts->first) to_first.emplace(sender, std::move(*parts->first));
      if (parts->second) to_second.emplace(sender, std::move(*parts->second));
    }
  };
  split(in.broadcast, true, out.first.broadcast, out.second.broadcast);
  split(in.direct, false, out.first.direct, out.second.direct);
  TSIGN_CHECK(blame.status(step));
  return out;
}

Outgoing merge_outgoing(Outgoing first, Outgoing second) {
  // Slot: nullopt for the broadcast, else the recipient.
  std::map<std::optional<PartyId>, std::pair<const Bytes*, const Bytes*>> slots;
  for (const auto& m : first) slots[m.to].first = &m.payload;
  for (const auto& m : second) slots[m.to].second = &m.payload;
  Outgoing out;
  out.reserve(slots.size());
  for (const auto& [to, parts] : slots) out.push_back({to, pack_parts(parts.first, parts.second)});
  return out;
}

Bytes confirmation(const SessionId& session, PartyId sender) {
  Sha256 h = tagged_hasher("tsign/protocol/confirm");
  h.update(session).update_u32(sender);
  Writer w;
  w.u8(kConfirmTag).raw(h.finish());
  return std::move(w).take();
}

Status check_confirmations(const RoundMessages& in, const SessionId& session, std::string_view step) {
  Blame blame;
  for (const auto& [sender, payload] : in.broadcast) {
    if (payload != confirmation(session, sender)) {
      blame.add(sender, "did not confirm this session");
    }
  }
  return blame.status(step);
}

}  // namespace tsign::compose_detail
