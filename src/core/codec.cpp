#include "tsign/core/codec.hpp"

namespace tsign {

Writer& Writer::u8(std::uint8_t v) {
  out_.push_back(v);
  return *this;
}
Writer& Writer::u16(std::uint16_t v) {
  out_.push_back(std::uint8_t(v >> 8));
  out_.push_back(std::uint8_t(v));
  return *this;
}
Writer& Writer::u32(std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(std::uint8_t(v >> shift));
  return *this;
}
Writer& Writer::u64(std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(std::uint8_t(v >> shift));
  return *this;
}
Writer& Writer::raw(ByteSpan data) {
  append(out_, data);
  return *this;
}
Writer& Writer::var(ByteSpan data) {
  u32(static_cast<std::uint32_t>(data.size()));
  return raw(data);
}

Error Reader::fail(std::string_view why) const {
  return make_error(ErrorKind::InvalidInput, what_ + ": " + std::string(why));
}

Result<ByteSpan> Reader::raw(std::size_t n) {
  if (remaining() < n) return fail("truncated");
  ByteSpan out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

template <class T>
static Result<T> read_be(Reader& r) {
  TSIGN_TRY(ByteSpan b, r.raw(sizeof(T)));
  T v = 0;
  for (std::uint8_t byte : b) v = static_cast<T>((v << 8) | byte);
  return v;
}

Result<std::uint8_t> Reader::u8() { return read_be<std::uint8_t>(*this); }
Result<std::uint16_t> Reader::u16() { return read_be<std::uint16_t>(*this); }
Result<std::uint32_t> Reader::u32() { return read_be<std::uint32_t>(*this); }
Result<std::uint64_t> Reader::u64() { return read_be<std::uint64_t>(*this); }

Result<ByteSpan> Reader::var(std::size_t max_len) {
  TSIGN_TRY(std::uint32_t len, u32());
  if (len > max_len) return fail("field of " + std::to_string(len) + " bytes exceeds the limit of " + std::to_string(max_len));
  return raw(len);
}

Result<std::string> Reader::str(std::size_t max_len) {
  TSIGN_TRY(ByteSpan b, var(max_len));
  return std::string(b.begin(), b.end());
}

Result<std::uint32_t> Reader::count(std::uint32_t max_count) {
  TSIGN_TRY(std::uint32_t n, u32());
  if (n > max_count) return fail("count " + std::to_string(n) + " exceeds the limit of " + std::to_string(max_count));
  return n;
}

Status Reader::finish() const {
  if (remaining() != 0) return fail(std::to_string(remaining()) + " trailing bytes");
  return {};
}

}  // namespace tsign
