// Threshold ECDSA decoders: the key share (with its pairwise OT state), a stored presignature,
// every signing message, and compact signatures. Hostile bytes never crash; whatever decodes re-encodes to the same
// bytes. The first input byte picks the signer count (2..9) the message decoders expect; the
// session id is taken from the message itself so decoding gets past the session check.
#include <algorithm>
#include <cstdlib>

#include "ecdsa/sign_messages.hpp"
#include "tsign/ecdsa/key_share.hpp"
#include "tsign/ecdsa/presign.hpp"
#include "tsign/ecdsa/signature.hpp"

namespace {

using namespace tsign;
using namespace tsign::ecdsa_internal;

void same(const Bytes& again, ByteSpan data) {
  if (!std::equal(again.begin(), again.end(), data.begin(), data.end())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteSpan input(data, size);
  if (auto share = EcdsaKeyShare::decode(input); share.ok()) {
    const SecretBytes again = share->encode();
    if (!ct_equal(again.expose(), input)) std::abort();
  }
  if (auto presignature = Presignature::decode(input); presignature.ok()) {
    auto again = Presignature::encode(std::move(presignature).value());
    if (!again.ok() || !ct_equal(again->expose(), input)) std::abort();
  }
  if (size < 34) return 0;
  const std::size_t signers = 2 + data[0] % 8;
  const ByteSpan message = input.subspan(1);
  Digest32 session{};
  std::copy_n(message.begin() + 1, session.size(), session.begin());
  if (auto m = CommitMessage::decode(message, session); m.ok()) same(m->encode(session), message);
  if (auto m = RequestMessage::decode(message, signers); m.ok()) same(m->encode(), message);
  if (auto m = ReplyMessage::decode(message, session, signers); m.ok()) same(m->encode(session), message);
  if (auto m = ShareMessage::decode(message, session); m.ok()) same(m->encode(session), message);
  if (message.size() >= 65) {
    if (auto s = EcdsaSignature::from_compact(message.subspan(0, 64), message[64]); s.ok()) {
      const ByteArray<64> c = s->compact();
      if (!std::equal(c.begin(), c.end(), message.begin())) std::abort();
    }
  }
  return 0;
}
