#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/random.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"

using namespace tsign;

TEST_CASE("hex round trip and rejection") {
  Bytes b = from_hex("00ff10Ab");
  CHECK(to_hex(b) == "00ff10ab");
  CHECK_THROWS(from_hex("abc"));
  CHECK_THROWS(from_hex("zz"));
}

TEST_CASE("SHA-256 and SHA-512 known answers") {
  CHECK(to_hex(sha256(as_bytes("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(sha512(as_bytes("abc"))).substr(0, 32) == "ddaf35a193617abacc417349ae204131");
  Sha256 h;
  h.update("a").update("bc");
  CHECK(h.finish() == sha256(as_bytes("abc")));
}

TEST_CASE("HMAC-SHA-256 and HMAC-SHA-512 (RFC 4231 case 2)") {
  auto key = as_bytes("Jefe");
  auto msg = as_bytes("what do ya want for nothing?");
  CHECK(to_hex(hmac_sha256(key, {msg})) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(to_hex(hmac_sha512(key, {msg})).substr(0, 32) == "164b7a7bfcf819e2e395fbe73b56e0a3");
}

TEST_CASE("expand_message_xmd SHA-256 (RFC 9380 K.1)") {
  auto dst = as_bytes("QUUX-V01-CS02-with-expander-SHA256-128");
  CHECK(to_hex(expand_message_xmd_sha256(as_bytes(""), dst, 0x20)) ==
        "68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235");
  CHECK(to_hex(expand_message_xmd_sha256(as_bytes("abc"), dst, 0x20)) ==
        "d8ccab23b5985ccea865c6c97b6e5b8350e794e603b4b97902f53a8a0d605615");
  CHECK(to_hex(expand_message_xmd_sha256(as_bytes(""), dst, 0x80)).substr(0, 64) == "af84c27ccfd45d41914fdff5df25293e221afc53d8ad2ac06d5e3e29485dadbe");
}

TEST_CASE("BIP-340 tagged hash matches its definition") {
  auto t = sha256(as_bytes("BIP0340/challenge"));
  CHECK(tagged_hash("BIP0340/challenge", {as_bytes("x")}) == sha256({t, t, as_bytes("x")}));
}

TEST_CASE("codec round trip and strict decoding") {
  Writer w;
  w.u8(7).u16(513).u32(0xdeadbeef).u64(1ull << 40).var(as_bytes("hello")).raw(as_bytes("xy"));
  Bytes enc = std::move(w).take();
  Reader r(enc, "test record");
  CHECK(r.u8().value() == 7);
  CHECK(r.u16().value() == 513);
  CHECK(r.u32().value() == 0xdeadbeef);
  CHECK(r.u64().value() == (1ull << 40));
  auto v = r.var(16);
  REQUIRE(v.ok());
  CHECK(std::string(v->begin(), v->end()) == "hello");
  CHECK(r.raw(2).ok());
  CHECK(r.finish().ok());

  SECTION("truncation") {
    Bytes cut(enc.begin(), enc.end() - 1);
    Reader r2(cut, "test record");
    (void)r2.u8(); (void)r2.u16(); (void)r2.u32(); (void)r2.u64(); (void)r2.var(16);
    auto tail = r2.raw(2);
    REQUIRE_FALSE(tail.ok());
    CHECK(tail.error().kind == ErrorKind::InvalidInput);
    CHECK(tail.error().message.find("test record") != std::string::npos);
  }
  SECTION("length over the limit") {
    Reader r3(enc, "test record");
    (void)r3.raw(15);
    CHECK_FALSE(r3.var(4).ok());
  }
  SECTION("trailing bytes") {
    Reader r4(enc, "test record");
    (void)r4.raw(enc.size() - 1);
    CHECK_FALSE(r4.finish().ok());
  }
}

TEST_CASE("secrets are move-only and wiped on reset") {
  STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<SecretBytes>);
  STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<Secret<int>>);
  SecretBytes s = SecretBytes::copy_of(as_bytes("top secret"));
  SecretBytes moved = std::move(s);
  CHECK(s.empty());
  CHECK(moved.size() == 10);
  Secret<ByteArray<4>> k(ByteArray<4>{1, 2, 3, 4});
  CHECK(k.expose()[2] == 3);
  k.reset();
  CHECK_FALSE(k.has_value());
}

TEST_CASE("errors describe themselves with culprits") {
  Error e = make_error(ErrorKind::ProtocolAborted, "bad share", {2, 5});
  CHECK(e.describe() == "protocol aborted: bad share (culprits: 2, 5)");
  Result<int> r = e;
  CHECK_FALSE(r.ok());
  Result<int> good = 3;
  CHECK(*good == 3);
}

TEST_CASE("random_below stays in range") {
  for (int i = 0; i < 1000; ++i) CHECK(random_below(7) < 7);
}
