// The Noise_KK handshake under hostile bytes: a responder reading message 1, and an initiator
// reading message 2 after sending its own message 1. Keys are fixed, so the fuzzer can only reach
// the decoders and the authentication failures; nothing may crash, and a failed read is final.
#include <cstdlib>

#include "net/noise.hpp"

namespace {

using namespace tsign;

const X25519KeyPair& key(int which) {
  static const X25519KeyPair a = X25519KeyPair::from_private(Bytes(32, 1)).value();
  static const X25519KeyPair b = X25519KeyPair::from_private(Bytes(32, 2)).value();
  return which == 0 ? a : b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteSpan input(data, size);
  const Bytes prologue = {'t', 's'};
  {
    NoiseHandshakeKK responder(NoiseHandshakeKK::Role::Responder, key(1), key(0).public_key(), prologue);
    if (auto payload = responder.read_message(input); payload.ok()) {
      if (!responder.write_message({}).ok()) std::abort();  // an authenticated message 1 must be answerable
    } else if (responder.read_message(input).ok()) {
      std::abort();  // a failed handshake stays failed
    }
  }
  {
    NoiseHandshakeKK initiator(NoiseHandshakeKK::Role::Initiator, key(0), key(1).public_key(), prologue);
    if (!initiator.write_message({}).ok()) std::abort();
    if (auto payload = initiator.read_message(input); payload.ok()) {
      if (!initiator.split().ok()) std::abort();
    }
  }
  return 0;
}
