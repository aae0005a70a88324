// OT-layer decoders (setup, extension and multiplication messages; per-pair state): hostile
// bytes never crash, and whatever decodes re-encodes to the same bytes.
#include <cstdlib>
#include <cstring>

#include "ot/multiply.hpp"
#include "ot/setup.hpp"

namespace {

using tsign::Bytes;
using tsign::ByteSpan;

void same(const Bytes& again, ByteSpan data) {
  if (again.size() != data.size() || std::memcmp(again.data(), data.data(), data.size()) != 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tsign::ot;
  const ByteSpan bytes(data, size);
  if (auto m = SetupMsg1::decode(bytes, 2); m.ok()) same(m->encode(), bytes);
  if (auto m = SetupMsg2::decode(bytes, 2); m.ok()) same(m->encode(), bytes);
  if (auto m = SetupMsg3::decode(bytes, 2); m.ok()) same(m->encode(), bytes);
  if (auto m = MulRequest::decode(bytes, 2); m.ok()) same(m->encode(), bytes);
  for (std::size_t products = 1; products <= kMaxProducts; ++products) {
    if (auto m = MulResponse::decode(bytes, products, 2); m.ok()) same(m->encode(), bytes);
  }
  if (size >= 22) {
    // The batch size a stand-alone extension message claims, taken from its own bytes.
    const std::size_t ots = (std::size_t{data[18]} << 24) | (std::size_t{data[19]} << 16) |
                            (std::size_t{data[20]} << 8) | std::size_t{data[21]};
    if (auto m = ExtensionMsg::decode(bytes, ots, 2); m.ok()) same(m->encode(), bytes);
  }
  if (auto s = OtSenderSetup::decode(bytes); s.ok()) {
    const auto e = s->encode();
    same(Bytes(e.expose().begin(), e.expose().end()), bytes);
  }
  if (auto s = OtReceiverSetup::decode(bytes); s.ok()) {
    const auto e = s->encode();
    same(Bytes(e.expose().begin(), e.expose().end()), bytes);
  }
  return 0;
}
