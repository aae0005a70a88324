#pragma once
// Strict binary encoding: big-endian integers, fixed fields and length-prefixed fields with
// explicit limits. Every decoder in tsign reads through Reader and ends with finish().
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"

namespace tsign {

class Writer {
 public:
  Writer& u8(std::uint8_t v);
  Writer& u16(std::uint16_t v);
  Writer& u32(std::uint32_t v);
  Writer& u64(std::uint64_t v);
  Writer& raw(ByteSpan data);                 // fixed-size field: no length prefix
  Writer& var(ByteSpan data);                 // u32 length prefix
  Writer& str(std::string_view s) { return var(as_bytes(s)); }
  const Bytes& bytes() const& { return out_; }
  Bytes take() && { return std::move(out_); }

 private:
  Bytes out_;
};

class Reader {
 public:
  // `what` names the thing being decoded in error messages ("FROST signature share").
  Reader(ByteSpan data, std::string_view what) : data_(data), what_(what) {}

  Result<std::uint8_t> u8();
  Result<std::uint16_t> u16();
  Result<std::uint32_t> u32();
  Result<std::uint64_t> u64();
  Result<ByteSpan> raw(std::size_t n);
  template <std::size_t N>
  Result<ByteArray<N>> array() {
    TSIGN_TRY(auto span, raw(N));
    ByteArray<N> out;
    std::copy(span.begin(), span.end(), out.begin());
    return out;
  }
  Result<ByteSpan> var(std::size_t max_len);
  Result<std::string> str(std::size_t max_len);
  // A count prefix (u32) that must not exceed max_count.
  Result<std::uint32_t> count(std::uint32_t max_count);
  // Fails unless every byte was consumed.
  Status finish() const;
  std::size_t remaining() const { return data_.size() - pos_; }
  Error fail(std::string_view why) const;

 private:
  ByteSpan data_;
  std::size_t pos_ = 0;
  std::string what_;
};

}  // namespace tsign
