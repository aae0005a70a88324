#include "tsign/core/base58.hpp"

#include <algorithm>

#include "tsign/core/hash.hpp"

namespace tsign {

namespace {
constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

ByteArray<4> checksum(ByteSpan payload) {
  auto d = sha256(sha256(payload));
  return {d[0], d[1], d[2], d[3]};
}
}  // namespace

std::string base58check_encode(ByteSpan payload) {
  Bytes data(payload.begin(), payload.end());
  auto sum = checksum(payload);
  data.insert(data.end(), sum.begin(), sum.end());
  // Repeated division of the big-endian number by 58.
  std::string digits;
  Bytes num = data;
  std::size_t start = 0;
  while (start < num.size() && num[start] == 0) ++start;
  const std::size_t leading_zeros = start;
  while (start < num.size()) {
    unsigned rem = 0;
    for (std::size_t i = start; i < num.size(); ++i) {
      unsigned cur = rem * 256 + num[i];
      num[i] = static_cast<std::uint8_t>(cur / 58);
      rem = cur % 58;
    }
    digits.push_back(kAlphabet[rem]);
    while (start < num.size() && num[start] == 0) ++start;
  }
  digits.append(leading_zeros, '1');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

Result<Bytes> base58check_decode(std::string_view text, std::size_t max_payload) {
  auto fail = [](const std::string& why) { return make_error(ErrorKind::InvalidInput, "base58check: " + why); };
  // Each base58 digit carries under 6 bits: bound the input before any arithmetic.
  if (text.size() > (max_payload + 4) * 2 + 1) return fail("too long");
  Bytes num;  // big-endian
  std::size_t leading_ones = 0;
  bool leading = true;
  for (char c : text) {
    const char* pos = std::find(kAlphabet, kAlphabet + 58, c);
    if (pos == kAlphabet + 58) return fail("character outside the alphabet");
    if (leading && c == '1') {
      ++leading_ones;
      continue;
    }
    leading = false;
    unsigned carry = static_cast<unsigned>(pos - kAlphabet);
    for (std::size_t i = num.size(); i-- > 0;) {
      unsigned cur = num[i] * 58u + carry;
      num[i] = static_cast<std::uint8_t>(cur);
      carry = cur >> 8;
    }
    while (carry > 0) {
      num.insert(num.begin(), static_cast<std::uint8_t>(carry));
      carry >>= 8;
    }
  }
  num.insert(num.begin(), leading_ones, 0);
  if (num.size() < 4) return fail("shorter than its checksum");
  if (num.size() - 4 > max_payload) return fail("payload too long");
  ByteSpan payload(num.data(), num.size() - 4);
  auto sum = checksum(payload);
  if (!std::equal(sum.begin(), sum.end(), num.end() - 4)) return fail("checksum mismatch");
  return Bytes(payload.begin(), payload.end());
}

}  // namespace tsign
