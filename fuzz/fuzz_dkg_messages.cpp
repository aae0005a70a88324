// Key-management messages (DKG, refresh, resharing, repair) and key public data. Input: one byte
// of parameters (the threshold or helper count is its low three bits), then the message; the
// session id is taken from the message itself so that decoding gets past the session check.
#include <algorithm>

#include "dkg/messages.hpp"

namespace {

using namespace tsign;

template <class G>
void decode_all(ByteSpan input) {
  if (input.size() < 34) return;
  const std::uint32_t t = input[0] % 8;
  const ByteSpan data = input.subspan(1);
  SessionId session{};
  std::copy_n(data.begin() + 1, session.size(), session.begin());
  const std::vector<PartyId> parties = {1, 2, 3};
  const auto type = static_cast<DkgMessageType>(data[0]);
  if (auto m = DkgCommitMessage<G>::decode(data, session, t); m.ok()) (void)m->encode(session);
  if (auto m = DkgOpenMessage::decode(data, session, parties); m.ok()) (void)m->encode(session);
  if (auto m = ScalarMessage<G>::decode(data, type, session); m.ok()) (void)m->encode(session);
  for (bool with_share : {false, true}) {
    if (auto m = ConfirmMessage<G>::decode(data, type, session, parties, with_share); m.ok()) (void)m->encode(session);
  }
  if (auto m = AckMessage::decode(data, type, session, parties); m.ok()) (void)m->encode(session);
  if (auto m = RefreshDealMessage<G>::decode(data, session, t); m.ok()) (void)m->encode(session);
  if (auto m = ReshareDealMessage<G>::decode(data, session, t); m.ok()) (void)m->encode(session);
  if (auto m = RepairDealMessage<G>::decode(data, session, t); m.ok()) (void)m->encode(session);
  Reader r(data, "fuzz");
  if (auto k = KeyPublicData<G>::decode(r); k.ok()) (void)k->digest();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  decode_all<Secp256k1>({data, size});
  decode_all<Ed25519>({data, size});
  return 0;
}
