// The TCP transport's cleartext and decrypted inputs: preamble, frame headers, transport units,
// and a Noise_KK responder reading a hostile first handshake message.
#include "net/noise.hpp"
#include "net/tcp_wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tsign::ByteSpan input(data, size);
  (void)tsign::wire::decode_preamble(input);
  (void)tsign::wire::decode_frame_length(input.first(std::min<std::size_t>(size, 4)), size % 2 == 0);
  (void)tsign::wire::decode_unit(input);
  static const auto responder = tsign::X25519KeyPair::from_private(tsign::Bytes(32, 7)).value();
  static const auto initiator = tsign::X25519KeyPair::from_private(tsign::Bytes(32, 9)).value();
  tsign::NoiseHandshakeKK hs(tsign::NoiseHandshakeKK::Role::Responder, responder, initiator.public_key(), {});
  if (hs.read_message(input).ok()) (void)hs.write_message({});
  return 0;
}
