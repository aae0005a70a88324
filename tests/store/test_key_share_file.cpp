#include <catch2/catch.hpp>

#include "tsign/keys/key_id.hpp"

#include "store_fixtures.hpp"
#include "tsign/sss/shamir.hpp"
#include "tsign/store/key_share_file.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

template <class G>
KeyShare<G> dealt_share(PartyId self, std::uint64_t epoch) {
  const std::vector<PartyId> ids{1, 2, 3};
  auto secret = G::Scalar::random();
  auto dealing = shamir_split<G>(secret, 2, ids).value();
  KeyShare<G> ks;
  ks.epoch = epoch;
  ks.self = self;
  ks.threshold = 2;
  ks.parties = ids;
  for (const auto& s : dealing.shares) {
    if (s.id == self) ks.signing_share = Secret<typename G::Scalar>(s.value);
  }
  for (PartyId p : ids) ks.verifying_shares[p] = dealing.commitment.evaluate(p);
  ks.group_public_key = G::Point::base_mul(secret);
  ks.key_id = derive_key_id<G>(ks.group_public_key);
  return ks;
}

}  // namespace

TEMPLATE_TEST_CASE("key share file: a KeyShare is staged, committed and loaded back", "", Secp256k1, Ed25519) {
  TempDir dir;
  const ShareSuite suite = std::is_same_v<TestType, Ed25519> ? ShareSuite::FrostEd25519 : ShareSuite::FrostSecp256k1;
  auto store = ShareStore::open(dir.path(), 2);
  REQUIRE(store.ok());
  auto protector = fast_protector();
  const KeyShare<TestType> share = dealt_share<TestType>(2, 5);
  REQUIRE(share.validate().ok());

  auto header = share_header_of(share, suite);
  REQUIRE(header.ok());
  CHECK(header->party_id == 2);
  CHECK(header->epoch == 5);
  CHECK(header->threshold == 2);
  CHECK(header->parties == 3);

  REQUIRE(stage_key_share(*store, share, suite, protector).ok());
  REQUIRE(store->commit(share.key_id, 5).ok());
  auto loaded = load_key_share<TestType>(*store, share.key_id, protector);
  REQUIRE(loaded.ok());
  CHECK(loaded->signing_share.expose() == share.signing_share.expose());
  CHECK(loaded->group_public_key == share.group_public_key);
  CHECK(loaded->epoch == 5);
}

TEST_CASE("key share file: suite and group must agree, and the header must match the share") {
  const KeyShare<Secp256k1> share = dealt_share<Secp256k1>(1, 0);
  auto wrong_group = share_header_of(share, ShareSuite::FrostEd25519);
  REQUIRE_FALSE(wrong_group.ok());
  CHECK(wrong_group.error().message.find("frost-ed25519 shares are not secp256k1") != std::string::npos);
  CHECK(share_header_of(share, ShareSuite::EcdsaSecp256k1).ok());
  CHECK(share_header_of(share, ShareSuite::FrostSecp256k1Taproot).ok());

  // A share sealed under a header naming another epoch is refused when read back.
  ShareHeader header = share_header_of(share, ShareSuite::FrostSecp256k1).value();
  header.epoch = 9;
  UnsealedShare relabelled{header, share.encode()};
  auto r = decode_key_share<Secp256k1>(relabelled);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::InvalidKeyShare);

  UnsealedShare as_ed{share_header_of(share, ShareSuite::FrostSecp256k1).value(), share.encode()};
  CHECK_FALSE(decode_key_share<Ed25519>(as_ed).ok());
}
