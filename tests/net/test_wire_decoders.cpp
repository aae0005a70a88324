// Decoders of what a peer sends before and around the protocol: the connection preamble, the
// echo of a round's broadcasts and the abort notice. Each refusal for its own reason.
#include <catch2/catch.hpp>

#include <string>

#include "tsign/core/codec.hpp"
#include "net/notices.hpp"
#include "net/tcp_wire.hpp"

using namespace tsign;

namespace {

template <typename T>
std::string refusal(const Result<T>& r) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::InvalidInput);
  return r.error().message;
}

Bytes echo_bytes(std::initializer_list<PartyId> senders) {
  Writer w;
  w.u32(static_cast<std::uint32_t>(senders.size()));
  for (PartyId s : senders) w.u32(s).raw(Digest32{static_cast<std::uint8_t>(s)}).raw(BroadcastSignature{});
  return std::move(w).take();
}

Bytes abort_bytes(const std::string& reason, std::initializer_list<PartyId> blamed) {
  Writer w;
  w.str(reason).u32(static_cast<std::uint32_t>(blamed.size()));
  for (PartyId p : blamed) w.u32(p);
  w.u8(0);  // not timed out
  return std::move(w).take();
}

}  // namespace

TEST_CASE("a connection preamble with another magic is refused") {
  Bytes pre = wire::encode_preamble({1, 2});
  REQUIRE(wire::decode_preamble(pre));
  for (std::size_t i = 0; i < 4; ++i) {
    Bytes bad = pre;
    bad[i] ^= 0x20;
    CHECK(refusal(wire::decode_preamble(bad)) == "connection preamble: not a tsign connection");
  }
}

TEST_CASE("a connection preamble naming party 0 is refused") {
  CHECK(refusal(wire::decode_preamble(wire::encode_preamble({0, 2}))) == "connection preamble: party id 0");
  CHECK(refusal(wire::decode_preamble(wire::encode_preamble({1, 0}))) == "connection preamble: party id 0");
}

TEST_CASE("an echo must list its senders in strictly ascending order") {
  auto ok = decode_echo(echo_bytes({1, 2, 5}), 8);
  REQUIRE(ok);
  CHECK(ok->size() == 3);
  CHECK(decode_echo(encode_echo(*ok), 8).value() == *ok);
  const std::string why = "echo: senders not in strictly ascending order";
  CHECK(refusal(decode_echo(echo_bytes({2, 1}), 8)) == why);
  CHECK(refusal(decode_echo(echo_bytes({3, 3}), 8)) == why);  // one sender, two digests
  CHECK(refusal(decode_echo(echo_bytes({0}), 8)) == why);     // party 0 does not exist
}

TEST_CASE("an abort notice reason must be printable") {
  auto ok = decode_abort(abort_bytes("bad share from party 3 (see log)", {3}), 4);
  REQUIRE(ok);
  CHECK(ok->blamed == std::vector<PartyId>{3});
  for (std::string reason : {std::string("line\nbreak"), std::string("esc\x1b[2J"), std::string("del\x7f"),
                             std::string("nul\0x", 5), std::string("\r")}) {
    INFO(reason);
    CHECK(refusal(decode_abort(abort_bytes(reason, {3}), 4)) == "abort notice: reason has control characters");
  }
  // Bytes above 0x7f (UTF-8) are not control characters.
  CHECK(decode_abort(abort_bytes("caf\xc3\xa9", {}), 4));
}

TEST_CASE("an abort notice says why its sender stopped with a strict cause byte") {
  AbortNotice notice{"timeout: round 0", {3}, true};
  auto ok = decode_abort(encode_abort(notice), 4);
  REQUIRE(ok);
  CHECK(ok->timed_out);
  CHECK_FALSE(ok->own_account);
  auto own = decode_abort(encode_abort({"declined", {}, false, true}), 4);
  REQUIRE(own);
  CHECK(own->own_account);
  CHECK_FALSE(own->timed_out);
  Bytes bad = encode_abort(notice);
  bad.back() = 3;
  CHECK(refusal(decode_abort(bad, 4)) == "abort notice: cause is not 0, 1 or 2");
  bad.pop_back();
  CHECK_FALSE(decode_abort(bad, 4));
}
