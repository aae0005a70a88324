#pragma once
// Encodes secret material into a pre-sized SecretBytes, front to back, so no copy of the secret is
// left behind in a reallocated vector (as a Writer growing its buffer would).
#include <cstring>

#include "tsign/core/bytes.hpp"
#include "tsign/core/secret.hpp"

namespace tsign {

class SecretSink {
 public:
  explicit SecretSink(std::size_t size) : out_(size) {}
  SecretSink& raw(ByteSpan data) {
    std::memcpy(out_.expose_mut().data() + pos_, data.data(), data.size());
    pos_ += data.size();
    return *this;
  }
  SecretSink& u8(std::uint8_t v) { return be(v, 1); }
  SecretSink& u16(std::uint16_t v) { return be(v, 2); }
  SecretSink& u32(std::uint32_t v) { return be(v, 4); }
  // The size given at construction must be what was written (checked by the caller's tests).
  SecretBytes take() && { return std::move(out_); }

 private:
  SecretSink& be(std::uint64_t v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out_.expose_mut()[pos_ + i] = static_cast<std::uint8_t>(v >> (8 * (n - 1 - i)));
    pos_ += n;
    return *this;
  }
  SecretBytes out_;
  std::size_t pos_ = 0;
};

}  // namespace tsign
