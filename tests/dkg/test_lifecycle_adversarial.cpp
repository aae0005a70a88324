// Refresh, resharing and repair under attack: each check broken by one party names that party,
// nothing new is output, and the old epoch still signs.
#include "adversary.hpp"
#include "reshare_helpers.hpp"
#include "tsign/dkg/refresh.hpp"
#include "tsign/dkg/repair.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

using C = FrostSecp256k1;
using G = Secp256k1;
using Scalar = Secp256k1Scalar;
using Point = Secp256k1Point;
const Bytes kMessage = {'s', 't', 'i', 'l', 'l'};

// The old epoch is intact: every share validates and t of them sign.
void expect_old_epoch_usable(const std::vector<KeyShare<G>>& shares) {
  for (const auto& s : shares) CHECK(s.validate().ok());
  CHECK(threshold_signature_verifies(first_signers(shares, shares.front().threshold), kMessage));
}

// Replaces sender's round-0 dealing (broadcast and every direct share) with a consistent one
// built from `poly`, so only the property under test is wrong.
Tamper forge_dealing(PartyId sender, Bytes broadcast_payload, Polynomial<G> poly, DkgMessageType share_type,
                     SessionId session) {
  return [=](InFlight& m) {
    if (m.round != 0 || m.from != sender) return;
    if (m.broadcast) {
      m.payload = broadcast_payload;
    } else {
      m.payload = ScalarMessage<G>{share_type, poly.evaluate(identifier_scalar<G>(m.to))}.encode(session);
    }
  };
}

}  // namespace

// --- refresh ---

namespace {

const std::vector<PartyId> kRefreshIds = {1, 2, 3, 4, 5};

SimulationResult run_refresh(const std::vector<KeyShare<G>>& shares, const Tamper& tamper, PartyId bad) {
  std::vector<RefreshProtocol<G>> parties;
  for (const auto& s : shares) parties.push_back(RefreshProtocol<G>::create(s, session_of(80)).value());
  auto result = run_protocols(pointers(parties), tamper);
  for (auto& p : parties) {
    if (p.self() != bad) CHECK_FALSE(p.take_output().ok());
  }
  expect_old_epoch_usable(shares);
  return result;
}

}  // namespace

TEST_CASE("refresh: a polynomial with a non-zero constant (moving the key) names its dealer") {
  auto shares = generate_key<C>(3, kRefreshIds);
  auto poly = Polynomial<G>::random(2, Scalar::one());
  RefreshDealMessage<G> deal{KeyPublicData<G>::of(shares[2]).digest(), FeldmanCommitment<G>::of(poly)};
  auto result = run_refresh(shares, forge_dealing(3, deal.encode(session_of(80)), poly, DkgMessageType::RefreshShare,
                                                  session_of(80)), 3);
  expect_blamed(result, 3, all_but(kRefreshIds, 3));
}

TEST_CASE("refresh: a share that does not match its commitment names its dealer") {
  auto shares = generate_key<C>(3, kRefreshIds);
  auto result = run_refresh(shares, rewrite(0, 3, false, corrupt_last_byte, 5), 3);
  CHECK_FALSE(result.any_finished());
  expect_blamed(result, 3, {5});
}

TEST_CASE("refresh: a party holding another epoch is named") {
  auto shares = generate_key<C>(3, kRefreshIds);
  auto result = run_refresh(shares, rewrite(0, 3, true, [](Bytes& b) { b[40] ^= 1; }), 3);
  expect_blamed(result, 3, all_but(kRefreshIds, 3));
}

TEST_CASE("refresh: a wrong new verifying share names its sender") {
  auto shares = generate_key<C>(3, kRefreshIds);
  auto result = run_refresh(shares, rewrite(1, 3, true, [](Bytes& b) {
    auto msg = ConfirmMessage<G>::decode(b, DkgMessageType::RefreshConfirm, session_of(80), kRefreshIds, true).value();
    msg.verifying_share = *msg.verifying_share + Point::generator();
    b = msg.encode(session_of(80));
  }), 3);
  expect_blamed(result, 3, all_but(kRefreshIds, 3));
}

TEST_CASE("refresh: an acknowledgement of different public data names its sender; nothing is committed") {
  auto shares = generate_key<C>(3, kRefreshIds);
  auto result = run_refresh(shares, rewrite(2, 3, true, corrupt_last_byte), 3);
  expect_blamed(result, 3, all_but(kRefreshIds, 3));
}

TEST_CASE("refresh: a party that never acknowledges leaves everyone on the old epoch") {
  auto shares = generate_key<C>(3, kRefreshIds);
  auto result = run_refresh(shares, [](InFlight& m) { m.deliver = !(m.round == 2 && m.from == 4); }, 4);
  for (PartyId p : all_but(kRefreshIds, 4)) CHECK(result.error(p).kind == ErrorKind::Timeout);
}

// --- resharing ---

namespace {

// 2-of-3 {1,2,3} to 3-of-4 {1,2,4,5}: 3 leaves, 4 and 5 join.
const std::vector<PartyId> kOld = {1, 2, 3};
const ReshareConfig kReshare{session_of(90), {1, 2, 3}, {1, 2, 4, 5}, 3};
const std::vector<PartyId> kEveryone = {1, 2, 3, 4, 5};

SimulationResult run_reshare(const std::vector<KeyShare<G>>& shares, const Tamper& tamper, PartyId bad) {
  auto parties = reshare_parties(shares, kReshare);
  auto result = run_protocols(pointers(parties), tamper);
  for (auto& p : parties) {
    if (p.self() == bad) continue;
    auto taken = p.take_output();
    CHECK_FALSE((taken.ok() && taken->has_value()));  // nobody gets a share
  }
  expect_old_epoch_usable(shares);
  return result;
}

}  // namespace

TEST_CASE("resharing: a dealer that does not deal its own share (constant ≠ λ_i·x_i) is named") {
  auto shares = generate_key<C>(2, kOld);
  const Scalar lambda = lagrange_coefficient<G>(3, kReshare.old_quorum).value();
  auto poly = Polynomial<G>::random(2, lambda * shares[2].signing_share.expose() + Scalar::one());
  ReshareDealMessage<G> deal{KeyPublicData<G>::of(shares[2]), FeldmanCommitment<G>::of(poly)};
  auto result = run_reshare(shares, forge_dealing(3, deal.encode(kReshare.session), poly, DkgMessageType::ReshareShare,
                                                  kReshare.session), 3);
  expect_blamed(result, 3, all_but(kEveryone, 3));
}

TEST_CASE("resharing: a dealer presenting other public data is named, by holders and newcomers alike") {
  auto shares = generate_key<C>(2, kOld);
  auto result = run_reshare(shares, rewrite(0, 3, true, [](Bytes& b) {
    auto msg = ReshareDealMessage<G>::decode(b, kReshare.session, kReshare.new_threshold).value();
    msg.key.epoch += 1;
    b = msg.encode(kReshare.session);
  }), 3);
  expect_blamed(result, 3, all_but(kEveryone, 3));
}

TEST_CASE("resharing: a share that does not match its commitment names its dealer") {
  auto shares = generate_key<C>(2, kOld);
  auto result = run_reshare(shares, rewrite(0, 2, false, corrupt_last_byte, 5), 2);
  CHECK_FALSE(result.any_finished());
  expect_blamed(result, 2, {5});
}

TEST_CASE("resharing: a newcomer's wrong verifying share names it") {
  auto shares = generate_key<C>(2, kOld);
  auto result = run_reshare(shares, rewrite(1, 5, true, [](Bytes& b) {
    auto msg = ConfirmMessage<G>::decode(b, DkgMessageType::ReshareConfirm, kReshare.session, kReshare.old_quorum, true)
                   .value();
    msg.verifying_share = *msg.verifying_share + Point::generator();
    b = msg.encode(kReshare.session);
  }), 5);
  expect_blamed(result, 5, all_but(kEveryone, 5));
}

TEST_CASE("resharing: nothing is committed until every new party acknowledged") {
  auto shares = generate_key<C>(2, kOld);
  SECTION("a wrong acknowledgement names its sender") {
    auto result = run_reshare(shares, rewrite(2, 4, true, corrupt_last_byte), 4);
    expect_blamed(result, 4, all_but(kEveryone, 4));
  }
  SECTION("a missing acknowledgement stops everyone") {
    auto result = run_reshare(shares, [](InFlight& m) { m.deliver = !(m.round == 2 && m.from == 4); }, 4);
    for (PartyId p : all_but(kEveryone, 4)) CHECK(result.error(p).kind == ErrorKind::Timeout);
  }
}

TEST_CASE("resharing: a newcomer expecting another key accepts nothing") {
  auto shares = generate_key<C>(2, kOld);
  auto other = generate_key<C>(2, kOld, 7);
  auto parties = reshare_parties(shares, kReshare);
  for (auto& p : parties) {
    if (p.self() == 5) p = ReshareProtocol<G>::join(5, other[0].key_id, other[0].group_public_key, kReshare).value();
  }
  auto result = run_protocols(pointers(parties));
  CHECK_FALSE(result.any_finished());
  CHECK(result.error(5).culprits == kReshare.old_quorum);
  expect_old_epoch_usable(shares);
}

// --- repair ---

namespace {

const RepairConfig kRepair{session_of(100), {1, 4, 5}, 2};

SimulationResult run_repair(const std::vector<KeyShare<G>>& shares, const Tamper& tamper) {
  std::vector<RepairProtocol<G>> parties;
  for (const auto& s : shares) {
    if (s.self == kRepair.recovering) {
      parties.push_back(RepairProtocol<G>::recover(s.self, s.key_id, s.epoch, kRepair).value());
    } else if (contains_id(kRepair.helpers, s.self)) {
      parties.push_back(RepairProtocol<G>::help(s, kRepair).value());
    }
  }
  auto result = run_protocols(pointers(parties), tamper);
  for (auto& p : parties) {
    auto taken = p.take_output();
    CHECK_FALSE((taken.ok() && taken->has_value()));  // nobody gets a share
  }
  return result;
}

}  // namespace

TEST_CASE("repair: a wrong sigma names its helper") {
  auto shares = generate_key<C>(3, {1, 2, 3, 4, 5});
  auto result = run_repair(shares, rewrite(1, 4, false, corrupt_last_byte, 2));
  CHECK(result.error(2).culprits == std::vector<PartyId>{4});
}

TEST_CASE("repair: a wrong delta names its helper") {
  auto shares = generate_key<C>(3, {1, 2, 3, 4, 5});
  auto result = run_repair(shares, rewrite(0, 4, false, corrupt_last_byte, 5));
  expect_blamed(result, 4, {5});
}

TEST_CASE("repair: delta commitments that do not split the helper's own share name it") {
  auto shares = generate_key<C>(3, {1, 2, 3, 4, 5});
  auto result = run_repair(shares, rewrite(0, 4, true, [](Bytes& b) {
    auto msg = RepairDealMessage<G>::decode(b, kRepair.session, 3).value();
    msg.delta_commitments[0] = msg.delta_commitments[0] + Point::generator();
    msg.delta_commitments[1] = msg.delta_commitments[1] - Point::generator();  // same sum, wrong split
    b = msg.encode(kRepair.session);
  }));
  // The sum still matches, so only the helper whose delta no longer matches can tell.
  expect_blamed(result, 4, {1});
}

TEST_CASE("repair: a helper presenting another key or epoch is named") {
  auto shares = generate_key<C>(3, {1, 2, 3, 4, 5});
  auto result = run_repair(shares, rewrite(0, 5, true, [](Bytes& b) {
    auto msg = RepairDealMessage<G>::decode(b, kRepair.session, 3).value();
    msg.key.epoch += 1;
    b = msg.encode(kRepair.session);
  }));
  expect_blamed(result, 5, all_but({1, 2, 4, 5}, 5));
}

TEST_CASE("repair: commitments that do not sum to ζ_i·X_i name the helper") {
  auto shares = generate_key<C>(3, {1, 2, 3, 4, 5});
  auto result = run_repair(shares, rewrite(0, 4, true, [](Bytes& b) {
    auto msg = RepairDealMessage<G>::decode(b, kRepair.session, 3).value();
    msg.delta_commitments[1] = msg.delta_commitments[1] + Point::generator();  // the one for helper 4 itself
    b = msg.encode(kRepair.session);
  }));
  expect_blamed(result, 4, all_but({1, 2, 4, 5}, 4));
}
