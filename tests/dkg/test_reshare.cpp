// Resharing to a new committee: grow, shrink, change the threshold, replace a party, deal from a
// subset of the old holders; same key, chain code and key id; the new shares sign.
#include "reshare_helpers.hpp"

using namespace tsign;
using namespace tsign::test;

TEMPLATE_TEST_CASE("resharing hands the key to a new committee", "", FrostSecp256k1, FrostEd25519) {
  using G = typename TestType::Group;
  struct Case {
    const char* what;
    std::uint32_t t;
    std::vector<PartyId> old_parties;
    ReshareConfig config;
  };
  const SessionId s = session_of(30);
  const std::vector<Case> cases = {
      {"grow 2-of-3 to 3-of-5", 2, {1, 2, 3}, {s, {1, 2, 3}, {1, 2, 3, 4, 5}, 3}},
      {"shrink 3-of-5 to 2-of-3", 3, {1, 2, 3, 4, 5}, {s, {1, 3, 5}, {1, 2, 3}, 2}},
      {"raise t on the same committee", 2, {1, 2, 3}, {s, {1, 2, 3}, {1, 2, 3}, 3}},
      {"lower t on the same committee", 3, {1, 2, 3, 4}, {s, {2, 3, 4}, {1, 2, 3, 4}, 2}},
      {"replace party 3 by party 9", 2, {1, 2, 3}, {s, {1, 2}, {1, 2, 9}, 2}},
      {"hand over to a disjoint committee", 2, {1, 2, 3}, {s, {2, 3}, {10, 11, 12, 13}, 3}},
  };
  for (const auto& c : cases) {
    SECTION(c.what) {
      auto old_shares = generate_key<TestType>(c.t, c.old_parties);
      auto new_shares = reshare<G>(old_shares, c.config);
      REQUIRE(new_shares.size() == c.config.new_parties.size());
      check_key(new_shares);
      CHECK(frost_signature_verifies<TestType>(new_shares, last_ids(new_shares, c.config.new_threshold), Bytes{'r'}));
      for (const auto& n : new_shares) {
        CHECK(n.group_public_key == old_shares[0].group_public_key);
        CHECK(n.chain_code == old_shares[0].chain_code);
        CHECK(n.key_id == old_shares[0].key_id);
        CHECK(n.epoch == old_shares[0].epoch + 1);
        CHECK(n.threshold == c.config.new_threshold);
        CHECK(n.parties == c.config.new_parties);
      }
      for (const auto& o : old_shares) CHECK(o.validate().ok());  // untouched
    }
  }
}

TEST_CASE("resharing configuration is validated") {
  auto shares = generate_key<FrostSecp256k1>(3, {1, 2, 3, 4});
  using P = ReshareProtocol<Secp256k1>;
  const SessionId s = session_of(31);
  CHECK_FALSE(P::create(shares[0], {s, {1, 2}, {1, 2, 3}, 2}).ok());        // quorum below t
  CHECK_FALSE(P::create(shares[0], {s, {1, 2, 7}, {1, 2, 3}, 2}).ok());     // 7 holds no share
  CHECK_FALSE(P::create(shares[0], {s, {1, 2, 3}, {1, 2, 3}, 1}).ok());     // t' < 2
  CHECK_FALSE(P::create(shares[0], {s, {1, 2, 3}, {1, 2, 3}, 4}).ok());     // t' > n'
  CHECK_FALSE(P::create(shares[3], {s, {1, 2, 3}, {1, 2, 3}, 2}).ok());     // 4 has no role
  CHECK_FALSE(P::join(2, shares[0].key_id, shares[0].group_public_key, {s, {1, 2, 3}, {2, 5}, 2}).ok());
  CHECK(P::create(shares[3], {s, {1, 2, 3}, {3, 4, 5}, 2}).ok());           // a receiver only
}
