// Proactive refresh: same key, chain code and key id; the epoch increments; the new shares sign;
// old and new shares no longer combine; the caller's old share is untouched.
#include "helpers.hpp"
#include "tsign/dkg/refresh.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

template <class G>
std::vector<RefreshProtocol<G>> refresh_parties(const std::vector<KeyShare<G>>& shares, std::uint8_t tag) {
  std::vector<RefreshProtocol<G>> out;
  for (const auto& s : shares) out.push_back(RefreshProtocol<G>::create(s, session_of(tag)).value());
  return out;
}

template <class G>
std::vector<KeyShare<G>> refresh(const std::vector<KeyShare<G>>& shares, std::uint8_t tag) {
  auto parties = refresh_parties(shares, tag);
  auto result = run_protocols(pointers(parties));
  REQUIRE(result.all_finished());
  std::vector<KeyShare<G>> out;
  for (auto& p : parties) out.push_back(p.take_output().value());
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("refresh keeps the key and makes old shares useless", "", FrostSecp256k1, FrostSecp256k1Tr,
                   FrostEd25519) {
  using G = typename TestType::Group;
  auto old_shares = generate_key<TestType>(3, {1, 2, 3, 4, 5});
  auto new_shares = refresh(old_shares, 20);
  check_key(new_shares);
  CHECK(frost_signature_verifies<TestType>(new_shares, {2, 4, 5}, Bytes{'n', 'e', 'w'}));
  for (std::size_t i = 0; i < new_shares.size(); ++i) {
    const auto& o = old_shares[i];
    const auto& n = new_shares[i];
    CHECK(n.group_public_key == o.group_public_key);
    CHECK(n.chain_code == o.chain_code);
    CHECK(n.key_id == o.key_id);
    CHECK(n.epoch == o.epoch + 1);
    CHECK(n.threshold == o.threshold);
    CHECK_FALSE(n.signing_share.expose() == o.signing_share.expose());
    CHECK_FALSE(n.verifying_shares.at(n.self) == o.verifying_shares.at(o.self));
    REQUIRE(o.validate().ok());  // the old epoch is untouched
  }
  // Two old shares and one new share do not combine; nor do one old and two new.
  const Bytes message = {'m', 'i', 'x'};
  std::vector<const KeyShare<G>*> mixed = {&old_shares[0], &old_shares[1], &new_shares[2]};
  CHECK_FALSE(threshold_signature_verifies(mixed, message));
  mixed = {&old_shares[0], &new_shares[1], &new_shares[2]};
  CHECK_FALSE(threshold_signature_verifies(mixed, message));
  std::vector<KeyShare<G>> mixed_holders;
  mixed_holders.push_back(old_shares[0].clone());
  mixed_holders.push_back(old_shares[1].clone());
  mixed_holders.push_back(new_shares[2].clone());
  CHECK_FALSE(frost_signature_verifies<TestType>(mixed_holders, {1, 2, 3}, message));
  // A second refresh moves on again.
  auto newer = refresh(new_shares, 21);
  check_key(newer);
  CHECK(newer[0].epoch == 2);
}

TEST_CASE("refresh refuses a decommissioned or inconsistent share") {
  auto shares = generate_key<FrostSecp256k1>(2, {1, 2, 3});
  auto broken = shares[0].clone();
  broken.signing_share.expose_mut() += Secp256k1Scalar::one();
  CHECK_FALSE(RefreshProtocol<Secp256k1>::create(broken, session_of(1)).ok());
}
