#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "tsign/core/base58.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/random.hpp"
#include "tsign/keys/bip32.hpp"
#include "tsign/sss/shamir.hpp"

using namespace tsign;

TEST_CASE("RIPEMD-160 known answers") {
  CHECK(to_hex(ripemd160(as_bytes(""))) == "9c1185a5c5e9fc54612808977ee8f548b2258d31");
  CHECK(to_hex(ripemd160(as_bytes("abc"))) == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
  CHECK(to_hex(ripemd160(as_bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
        "12a053384a9c0c88e405a06c27dcf49ada62eb2b");
  std::string million(1000000, 'a');
  CHECK(to_hex(ripemd160(as_bytes(million))) == "52783243c1697bdbe16d37f97f68f08325dc1528");
}

TEST_CASE("every non-hardened step of the BIP-32 vectors derives publicly") {
  auto v = test::load_vector("bip32-test-vectors.json");
  int checked = 0;
  for (const auto& vec : v["vectors"]) {
    const auto& chain = vec["chain"];
    for (std::size_t i = 0; i < chain.size(); ++i) {
      const std::string xpub = chain[i]["xpub"];
      auto parsed = ExtendedPublicKey::from_base58(xpub);
      REQUIRE(parsed.ok());
      CHECK(parsed->to_base58() == xpub);
      if (i == 0) continue;
      const std::string path = chain[i]["path"];
      const std::string last = path.substr(path.rfind('/') + 1);
      if (last.back() == 'H') continue;
      auto parent = ExtendedPublicKey::from_base58(chain[i - 1]["xpub"].get<std::string>()).value();
      auto child = parent.child(static_cast<std::uint32_t>(std::stoul(last)));
      REQUIRE(child.ok());
      CHECK(child->to_base58() == xpub);
      ++checked;
    }
  }
  CHECK(checked == 6);
}

TEST_CASE("threshold shares plus the path tweak sign for the derived key") {
  auto secret = Secp256k1Scalar::random();
  std::vector<PartyId> ids = {1, 2, 3};
  auto dealing = shamir_split<Secp256k1>(secret, 2, ids).value();
  ByteArray<32> chain_code = random_array<32>();
  auto root = ExtendedPublicKey::root(Secp256k1Point::base_mul(secret), chain_code);
  std::vector<std::uint32_t> path = {0, 7, 1000000};
  auto derived = derive_path(root, path);
  REQUIRE(derived.ok());
  CHECK(derived->xpub.depth == 3);
  // Each share shifted by the tweak still interpolates, now to the child's private key.
  std::vector<Share<Secp256k1>> shifted = {dealing.shares[0], dealing.shares[2]};
  for (auto& s : shifted) s.value += derived->tweak;
  auto child_secret = shamir_reconstruct<Secp256k1>(shifted, 2).value();
  CHECK(Secp256k1Point::base_mul(child_secret) == derived->xpub.key);
}

TEST_CASE("derivation paths and xpubs are parsed strictly") {
  CHECK(parse_derivation_path("m").value().empty());
  CHECK(parse_derivation_path("m/0/1/2147483647").value() == std::vector<std::uint32_t>{0, 1, 2147483647});
  CHECK(format_derivation_path(std::vector<std::uint32_t>{0, 5}) == "m/0/5");
  for (const char* bad : {"", "0/1", "m/", "m//1", "m/1H", "m/1'", "m/2147483648", "m/a", "m/1/", "m/01", "m/0/00"}) {
    CHECK_FALSE(parse_derivation_path(bad).ok());
  }
  const std::string xpub =
      "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8";
  std::string typo = xpub;
  typo[20] = typo[20] == 'a' ? 'b' : 'a';
  CHECK_FALSE(ExtendedPublicKey::from_base58(typo).ok());
  CHECK_FALSE(ExtendedPublicKey::from_base58(xpub + "1").ok());
  CHECK_FALSE(ExtendedPublicKey::from_base58("0OIl").ok());
  CHECK_FALSE(ExtendedPublicKey::from_base58(std::string(500, '2')).ok());
  auto root = ExtendedPublicKey::from_base58(xpub).value();
  CHECK_FALSE(root.child(kHardenedIndex).ok());
  // Base58Check round trip with leading zero bytes.
  Bytes payload = {0, 0, 1, 2, 3};
  auto enc = base58check_encode(payload);
  CHECK(enc.substr(0, 2) == "11");
  CHECK(base58check_decode(enc, 16).value() == payload);
}

namespace {

// A serialized extended public key with every field chosen by the test.
std::string xpub_text(std::uint32_t version, std::uint8_t depth, ByteArray<4> fingerprint, std::uint32_t child,
                      ByteSpan key) {
  Writer w;
  w.u32(version).u8(depth).raw(fingerprint).u32(child).raw(ByteArray<32>{7}).raw(key);
  return base58check_encode(w.bytes());
}

std::string xpub_refusal(const std::string& text) {
  auto r = ExtendedPublicKey::from_base58(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::InvalidInput);
  return r.error().message;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("xpub decoding refuses an unknown version") {
  const auto key = Secp256k1Point::generator().to_bytes();
  const std::uint32_t v = ExtendedPublicKey::kMainnetVersion;
  REQUIRE(ExtendedPublicKey::from_base58(xpub_text(v, 0, {}, 0, key)).ok());
  REQUIRE(ExtendedPublicKey::from_base58(xpub_text(ExtendedPublicKey::kTestnetVersion, 0, {}, 0, key)).ok());
  const std::uint32_t xprv = 0x0488ADE4;
  CHECK(contains(xpub_refusal(xpub_text(xprv, 0, {}, 0, key)), "not an xpub or tpub version"));
}

TEST_CASE("xpub decoding refuses a key that is not SEC1 compressed") {
  auto key = Secp256k1Point::generator().to_bytes();
  key[0] = 0x04;  // 33 bytes with the uncompressed prefix
  CHECK(contains(xpub_refusal(xpub_text(ExtendedPublicKey::kMainnetVersion, 0, {}, 0, key)),
                 "key is not a compressed public key"));
}

TEST_CASE("xpub decoding refuses an x coordinate off the curve") {
  ByteArray<33> key{};
  key[0] = 0x02;
  for (std::uint8_t x = 1;; ++x) {
    key[32] = x;
    if (!Secp256k1Point::from_bytes(key).ok()) break;
  }
  std::string message = xpub_refusal(xpub_text(ExtendedPublicKey::kMainnetVersion, 0, {}, 0, key));
  CHECK(contains(message, "extended public key: "));
  CHECK(contains(message, "not on the curve"));
}

TEST_CASE("xpub decoding refuses a root with a parent fingerprint or child number") {
  const auto key = Secp256k1Point::generator().to_bytes();
  const std::uint32_t v = ExtendedPublicKey::kMainnetVersion;
  REQUIRE(ExtendedPublicKey::from_base58(xpub_text(v, 1, {1, 2, 3, 4}, 5, key)).ok());
  CHECK(contains(xpub_refusal(xpub_text(v, 0, {1, 2, 3, 4}, 0, key)), "depth 0 with a parent fingerprint"));
  CHECK(contains(xpub_refusal(xpub_text(v, 0, {}, 5, key)), "depth 0 with a parent fingerprint"));
}

TEST_CASE("derivation stops at depth 255") {
  auto x = ExtendedPublicKey::root(Secp256k1Point::generator(), ByteArray<32>{9});
  x.depth = 254;
  auto last = x.child(0);
  REQUIRE(last.ok());
  CHECK(last->depth == 255);
  auto beyond = last->child(0);
  REQUIRE_FALSE(beyond.ok());
  CHECK(beyond.error().kind == ErrorKind::InvalidInput);
  CHECK(beyond.error().message == "BIP-32 depth limit reached");
}

TEST_CASE("derivation paths need a slash before every index") {
  for (const char* bad : {"m1", "m/1x", "m/1/2-3", "m 1"}) {
    auto r = parse_derivation_path(bad);
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::InvalidInput);
    CHECK(contains(r.error().message, "expected '/'"));
  }
}

TEST_CASE("derivation paths refuse hardened steps by name") {
  for (const char* bad : {"m/1'", "m/0H", "m/44h/0", "m/2147483647'"}) {
    auto r = parse_derivation_path(bad);
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::InvalidInput);
    CHECK(contains(r.error().message, "hardened steps cannot be derived"));
  }
}
