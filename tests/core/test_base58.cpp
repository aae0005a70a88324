// Base58Check decoding: each refusal for its own reason.
#include <catch2/catch.hpp>

#include <string>

#include "tsign/core/base58.hpp"

using namespace tsign;

namespace {

std::string refusal(std::string_view text, std::size_t max_payload) {
  auto r = base58check_decode(text, max_payload);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::InvalidInput);
  return r.error().message;
}

}  // namespace

TEST_CASE("base58check refuses input longer than its payload bound before decoding") {
  // 16 + 4 bytes take at most 41 digits; 42 are refused unread, even though they decode.
  Bytes payload(16, 0xab);
  std::string text = base58check_encode(payload);
  REQUIRE(base58check_decode(text, 16).value() == payload);
  std::string padded = std::string(42 - text.size(), '1') + text;
  CHECK(refusal(padded, 16) == "base58check: too long");
}

TEST_CASE("base58check refuses characters outside the alphabet") {
  std::string text = base58check_encode(Bytes{1, 2, 3});
  for (char c : {'0', 'O', 'I', 'l', '+'}) {
    std::string bad = text;
    bad[2] = c;
    CHECK(refusal(bad, 16) == "base58check: character outside the alphabet");
  }
}

TEST_CASE("base58check refuses input shorter than its checksum") {
  CHECK(refusal("", 16) == "base58check: shorter than its checksum");
  CHECK(refusal("111", 16) == "base58check: shorter than its checksum");
  CHECK(refusal("2", 16) == "base58check: shorter than its checksum");
}

TEST_CASE("base58check refuses a payload above the caller's limit") {
  Bytes payload(17, 0x5a);
  std::string text = base58check_encode(payload);
  REQUIRE(base58check_decode(text, 17).value() == payload);
  REQUIRE(text.size() <= (16 + 4) * 2 + 1);  // passes the length bound of a 16-byte limit
  CHECK(refusal(text, 16) == "base58check: payload too long");
}

TEST_CASE("base58check refuses a checksum mismatch") {
  Bytes payload = {0, 7, 7, 7, 7, 7, 7, 7};
  std::string text = base58check_encode(payload);
  std::string bad = text;
  bad.back() = bad.back() == '2' ? '3' : '2';
  CHECK(refusal(bad, 16) == "base58check: checksum mismatch");
  // A checksum over the wrong payload: the payload changed, the checksum kept.
  bad = text;
  bad[3] = bad[3] == 'z' ? 'y' : 'z';
  CHECK(refusal(bad, 16) == "base58check: checksum mismatch");
}
