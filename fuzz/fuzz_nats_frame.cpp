// The NATS transport's inputs from the broker: frame headers, decrypted units, and a node's whole
// receive path (handshakes, sealed frames, rekeys) fed hostile frames as party 2 of three.
#include "broker/nats_core.hpp"
#include "broker/nats_wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tsign::ByteSpan input(data, size);
  (void)tsign::nats_wire::decode_frame(input);
  (void)tsign::nats_wire::decode_unit(input);
  static tsign::NatsCore* core = [] {
    std::vector<tsign::PartyConfig> parties(3);
    for (std::size_t i = 0; i < parties.size(); ++i) {
      parties[i].id = static_cast<tsign::PartyId>(i + 1);
      parties[i].static_key = tsign::X25519KeyPair::from_private(tsign::Bytes(32, static_cast<std::uint8_t>(i + 7))).value();
    }
    tsign::PartyConfig self = parties[1].clone();
    for (const auto& p : parties) {
      if (p.id != self.id) self.peers.push_back({p.id, "", 0, p.static_key.public_key()});
    }
    return new tsign::NatsCore(std::move(self), tsign::NatsOptions{});
  }();
  core->on_frame(input, true);
  return 0;
}
