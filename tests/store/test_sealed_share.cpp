#include <catch2/catch.hpp>

#include <chrono>

#include "store_fixtures.hpp"
#include "tsign/store/sealed_share.hpp"

using namespace tsign;
using namespace tsign::test;

TEST_CASE("sealed share: round trip keeps header and share") {
  auto protector = fast_protector();
  const ShareHeader header = sample_header(2, 7);
  const Bytes share = sample_share();
  auto file = seal_share(header, share, protector);
  REQUIRE(file.ok());

  auto parsed = parse_sealed_share(*file);
  REQUIRE(parsed.ok());
  CHECK(parsed->header.share == header);
  CHECK(parsed->header.version == kShareFileVersion);
  REQUIRE(std::holds_alternative<PassphraseKdf>(parsed->header.protection));
  CHECK(std::get<PassphraseKdf>(parsed->header.protection).params == Argon2Params::minimal());
  CHECK(parsed->key_slot.empty());
  CHECK(parsed->body.size() == share.size() + 16);

  auto opened = unseal_share(*file, protector, {header.key_id, 2, 7, ShareSuite::FrostSecp256k1});
  REQUIRE(opened.ok());
  CHECK(opened->header == header);
  CHECK(same(opened->share.expose(), share));
}

TEST_CASE("sealed share: two seals of the same share differ (fresh salt and nonce)") {
  auto protector = fast_protector();
  auto a = seal_share(sample_header(), sample_share(), protector);
  auto b = seal_share(sample_header(), sample_share(), protector);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a != *b);
}

TEST_CASE("sealed share: wrong passphrase is a storage error") {
  auto sealer = fast_protector("right");
  auto file = seal_share(sample_header(), sample_share(), sealer);
  REQUIRE(file.ok());
  auto wrong = fast_protector("wrong");
  auto opened = unseal_share(*file, wrong);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().kind == ErrorKind::Storage);
  CHECK(opened.error().message.find("wrong passphrase") != std::string::npos);
}

TEST_CASE("sealed share: every flipped byte is detected") {
  auto protector = fast_protector();
  auto file = seal_share(sample_header(), sample_share(), protector);
  REQUIRE(file.ok());
  for (std::size_t i = 0; i < file->size(); ++i) {
    for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
      Bytes bad = *file;
      bad[i] ^= mask;
      auto opened = unseal_share(bad, protector);
      INFO("byte " << i << " mask " << int(mask));
      REQUIRE_FALSE(opened.ok());
      CHECK((opened.error().kind == ErrorKind::Storage || opened.error().kind == ErrorKind::InvalidInput));
    }
  }
}

TEST_CASE("sealed share: truncation and trailing data are refused") {
  auto protector = fast_protector();
  auto file = seal_share(sample_header(), sample_share(), protector);
  REQUIRE(file.ok());
  for (std::size_t len = 0; len < file->size(); ++len) {
    auto opened = unseal_share(ByteSpan(*file).first(len), protector);
    INFO("length " << len);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().kind == ErrorKind::InvalidInput);
  }
  Bytes longer = *file;
  longer.push_back(0);
  auto opened = unseal_share(longer, protector);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().kind == ErrorKind::InvalidInput);
  CHECK(opened.error().message.find("trailing") != std::string::npos);
}

TEST_CASE("sealed share: a file of another party, key or epoch is refused before decryption") {
  auto protector = fast_protector();
  const ShareHeader header = sample_header(1, 3);
  auto file = seal_share(header, sample_share(), protector);
  REQUIRE(file.ok());
  auto wrong_pass = fast_protector("not the passphrase");  // proves the check runs before the KDF

  ShareExpectation other_party;
  other_party.party_id = 2;
  auto r1 = unseal_share(*file, wrong_pass, other_party);
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().kind == ErrorKind::InvalidInput);
  CHECK(r1.error().message.find("party 1, expected party 2") != std::string::npos);

  ShareExpectation other_epoch;
  other_epoch.epoch = 4;
  auto r2 = unseal_share(*file, wrong_pass, other_epoch);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message.find("epoch 3, expected epoch 4") != std::string::npos);

  ShareExpectation other_key;
  other_key.key_id = KeyId{};
  auto r3 = unseal_share(*file, wrong_pass, other_key);
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.error().message.find("expected key") != std::string::npos);

  ShareExpectation other_suite;
  other_suite.suite = ShareSuite::FrostEd25519;
  auto r4 = unseal_share(*file, wrong_pass, other_suite);
  REQUIRE_FALSE(r4.ok());
  CHECK(r4.error().message.find("frost-ed25519") != std::string::npos);
}

TEST_CASE("sealed share: a header moved onto another file's body fails authentication") {
  auto protector = fast_protector();
  auto a = seal_share(sample_header(1, 5), sample_share("a"), protector);
  auto b = seal_share(sample_header(2, 5), sample_share("b"), protector);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  auto pa = parse_sealed_share(*a);
  auto pb = parse_sealed_share(*b);
  REQUIRE(pa.ok());
  REQUIRE(pb.ok());
  // Party 2's header, salt and nonce with party 1's ciphertext: as if a file were relabelled.
  Bytes spliced = pb->header_bytes;
  append(spliced, pa->body);
  auto opened = unseal_share(spliced, protector);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().kind == ErrorKind::Storage);
}

TEST_CASE("sealed share: weakening the KDF parameters or changing the version is detected") {
  auto protector = PassphraseProtector(secret_text("pw"), Argon2Params{2, 16384});
  auto file = seal_share(sample_header(), sample_share(), protector);
  REQUIRE(file.ok());
  auto parsed = parse_sealed_share(*file);
  REQUIRE(parsed.ok());

  SealedShareHeader weaker = parsed->header;
  std::get<PassphraseKdf>(weaker.protection).params = Argon2Params::minimal();
  Bytes downgraded = encode(weaker);
  append(downgraded, parsed->body);
  auto opened = unseal_share(downgraded, protector);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().kind == ErrorKind::Storage);

  Bytes other_version = *file;
  other_version[9] = 2;  // the low byte of the version after the 8-byte magic
  auto r = unseal_share(other_version, protector);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("unsupported format version 2") != std::string::npos);
}

TEST_CASE("sealed share: header validation and KDF bounds") {
  auto protector = fast_protector();
  ShareHeader bad = sample_header();
  bad.threshold = 4;  // > n
  CHECK_FALSE(seal_share(bad, sample_share(), protector).ok());
  bad = sample_header();
  bad.party_id = 0;
  CHECK_FALSE(seal_share(bad, sample_share(), protector).ok());
  CHECK_FALSE(seal_share(sample_header(), Bytes{}, protector).ok());

  CHECK(Argon2Params::moderate().validate().ok());
  CHECK(Argon2Params::minimal().validate().ok());
  CHECK_FALSE((Argon2Params{0, 8192}).validate().ok());
  CHECK(Argon2Params::sensitive().validate().ok());
  CHECK_FALSE((Argon2Params{5, 8192}).validate().ok());
  CHECK_FALSE((Argon2Params{1, 4096}).validate().ok());
  CHECK_FALSE((Argon2Params{1, 8193}).validate().ok());
  CHECK_FALSE((Argon2Params{1, (std::uint64_t{1} << 30) + 1024}).validate().ok());
  CHECK_FALSE((Argon2Params{1, std::uint64_t{4} << 30}).validate().ok());
  // A file may ask twice the cost its party was created with, never more than SENSITIVE.
  CHECK(Argon2Params::ceiling_for(Argon2Params::minimal()) == Argon2Params{2, 16384});
  CHECK(Argon2Params::ceiling_for(Argon2Params::moderate()) == Argon2Params{4, 512u << 20});
  CHECK(Argon2Params::ceiling_for(Argon2Params::sensitive()) == Argon2Params::sensitive());

  PassphraseProtector capped(secret_text("pw"), Argon2Params::moderate(), Argon2Params::minimal());
  auto over = seal_share(sample_header(), sample_share(), capped);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().message.find("exceeds the ceiling") != std::string::npos);

  PassphraseProtector empty(SecretBytes{}, Argon2Params::minimal());
  auto r = seal_share(sample_header(), sample_share(), empty);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "empty passphrase");
}

TEST_CASE("sealed share: suite names") {
  for (auto suite : {ShareSuite::FrostSecp256k1, ShareSuite::FrostSecp256k1Taproot, ShareSuite::FrostEd25519,
                     ShareSuite::EcdsaSecp256k1}) {
    auto back = share_suite_from_string(to_string(suite));
    REQUIRE(back);
    CHECK(*back == suite);
  }
  CHECK_FALSE(share_suite_from_string("frost"));
  CHECK_FALSE(share_suite_from_code(0));
}

TEST_CASE("sealed share: a header asking more Argon2id cost than allowed is refused before Argon2 runs") {
  auto protector = PassphraseProtector(secret_text("pw"), Argon2Params::minimal());  // ceiling {2, 16 KiB}
  auto file = seal_share(sample_header(), sample_share(), protector);
  REQUIRE(file.ok());
  auto parsed = parse_sealed_share(*file);
  REQUIRE(parsed.ok());
  auto with_cost = [&](Argon2Params params) {
    SealedShareHeader header = parsed->header;
    std::get<PassphraseKdf>(header.protection).params = params;
    Bytes edited = encode(header);
    append(edited, parsed->body);
    return unseal_share(edited, protector);
  };
  const auto started = std::chrono::steady_clock::now();
  auto format_max = with_cost({1, std::uint64_t{4} << 30});
  REQUIRE_FALSE(format_max.ok());
  CHECK(format_max.error().message.find("Argon2id memlimit 4294967296") != std::string::npos);
  auto over_ceiling = with_cost({1, 32768});  // valid, but above twice this party's cost
  REQUIRE_FALSE(over_ceiling.ok());
  CHECK(over_ceiling.error().message.find("exceeds the ceiling (opslimit 2, memlimit 16384)") != std::string::npos);
  auto more_passes = with_cost({3, 8192});
  REQUIRE_FALSE(more_passes.ok());
  CHECK(more_passes.error().message.find("exceeds the ceiling") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  // Twice the cost is still allowed (it fails only its authentication: the header is bound).
  auto twice = with_cost({2, 16384});
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().message.find("ceiling") == std::string::npos);
}
