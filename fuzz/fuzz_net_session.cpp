// The engine's router, echo check and abort notices against hostile peers: party 1 of a coin
// toss among 1, 2 and 3 receives fuzzed messages. Each record of the input either goes in raw or
// is wrapped in a well-formed envelope (so the fuzzer reaches the echo and protocol checks).
// Nothing may crash; a failed session simply ends the run.
#include "tsign/protocol/coin_toss.hpp"
#include "tsign/net/envelope.hpp"
#include "tsign/net/protocol_session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tsign::SessionId session{};
  const std::vector<tsign::PartyId> parties = {1, 2, 3};
  auto created = tsign::CoinTossProtocol::create(session, 1, parties, tsign::ByteArray<32>{});
  if (!created.ok()) return 0;
  tsign::CoinTossProtocol protocol = std::move(created).value();
  tsign::ProtocolSession machine(protocol, session, 1 << 12);
  if (!machine.start().ok()) return 0;
  std::size_t pos = 0;
  while (pos + 3 <= size && !machine.finished() && !machine.failed()) {
    const std::uint8_t control = data[pos];
    const std::size_t length = std::min<std::size_t>(data[pos + 1] | (data[pos + 2] << 8), size - pos - 3);
    tsign::ByteSpan body(data + pos + 3, length);
    pos += 3 + length;
    const tsign::PartyId from = 1 + (control & 3);  // 1 (itself), 2, 3 or 4 (a stranger)
    if (control & 0x80) {
      (void)machine.receive(from, body);
      continue;
    }
    tsign::Envelope e;
    e.session = session;
    e.protocol = std::string(tsign::CoinTossProtocol::kName);
    e.round = (control >> 2) & 3;
    e.sender = from;
    e.recipient = (control & 0x10) ? 1 : tsign::kBroadcastRecipient;
    e.kind = static_cast<tsign::MessageKind>(1 + ((control >> 5) % 3));
    e.payload.assign(body.begin(), body.end());
    (void)machine.receive(from, tsign::encode_envelope(e));
  }
  (void)machine.missing();
  return 0;
}
