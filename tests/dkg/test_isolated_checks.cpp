// Checks of key generation, refresh, resharing and repair that other checks would otherwise
// cover for them: each input breaks exactly the property one check guards, and the test asserts
// that check's reason (and culprit, where it names one).
#include "adversary.hpp"
#include "dkg/context.hpp"
#include "dkg/common.hpp"
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

bool says(const Error& e, const std::string& reason) { return e.describe().find(reason) != std::string::npos; }

template <class T>
void expect_invalid(const Result<T>& r, const std::string& reason) {
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().kind == ErrorKind::InvalidInput);
  CHECK(says(r.error(), reason));
}

// Every holder's copy of the key with `p`'s share moved by one. Each copy still validates (its
// own share matches its verifying share, and the first t verifying shares, p not among them,
// interpolate to the key), but the verifying shares no longer lie on one polynomial.
std::vector<KeyShare<G>> with_share_moved(const std::vector<KeyShare<G>>& shares, PartyId p) {
  std::vector<KeyShare<G>> out;
  for (const auto& s : shares) {
    auto moved = s.clone();
    moved.verifying_shares[p] = moved.verifying_shares.at(p) + Point::generator();
    if (s.self == p) moved.signing_share.expose_mut() += Scalar::one();
    REQUIRE(moved.validate().ok());
    out.push_back(std::move(moved));
  }
  return out;
}

// The contexts the refresh and the repair bind their echo digests to (as their create functions
// compute them), for cheaters that echo their own edited broadcast.
Digest32 refresh_context(const SessionId& session, const KeyShare<G>& share) {
  return dkg_internal::refresh_context(G::kName, session, KeyPublicData<G>::of(share).digest());
}

Digest32 repair_context(const RepairConfig& config, const KeyShare<G>& share) {
  return dkg_internal::repair_context(G::kName, config, share.key_id, share.epoch);
}

const RepairConfig kRepair{session_of(110), {1, 4, 5}, 2};

// Helpers help with their share, the recovering party recovers `epoch` (by default the key's).
std::vector<RepairProtocol<G>> repair_parties(const std::vector<KeyShare<G>>& shares, const RepairConfig& config,
                                              std::optional<std::uint64_t> epoch = std::nullopt) {
  std::vector<RepairProtocol<G>> parties;
  for (const auto& s : shares) {
    if (s.self == config.recovering) {
      parties.push_back(RepairProtocol<G>::recover(s.self, s.key_id, epoch.value_or(s.epoch), config).value());
    } else if (contains_id(config.helpers, s.self)) {
      parties.push_back(RepairProtocol<G>::help(s, config).value());
    }
  }
  return parties;
}

}  // namespace

// --- creation ---

TEST_CASE("DKG: a party list longer than a key share can hold is refused") {
  const auto ids = ids_1_to(KeyShare<G>::kMaxParties + 1);
  expect_invalid(DkgProtocol<C>::create(1, {session_of(60), ids, 2}), "DKG parties: too many parties");
}

TEST_CASE("refresh: a key of threshold 1 is refused") {
  // Threshold 1: every holder has the secret itself, and the one verifying share is the key.
  KeyShare<G> share;
  share.self = 1;
  share.threshold = 1;
  share.parties = {1, 2};
  const Scalar x = Scalar::random();
  share.signing_share = Secret<Scalar>(x);
  share.group_public_key = Point::base_mul(x);
  share.verifying_shares = {{1, share.group_public_key}, {2, share.group_public_key}};
  REQUIRE(share.validate().ok());
  expect_invalid(RefreshProtocol<G>::create(share, session_of(61)), "refresh needs a threshold of at least 2");
}

TEST_CASE("resharing: a dealer of the old quorum joining without its share is refused") {
  auto shares = generate_key<C>(2, {1, 2, 3});
  expect_invalid(ReshareProtocol<G>::join(2, shares[0].key_id, shares[0].group_public_key,
                                          {session_of(62), {1, 2, 3}, {2, 5}, 2}),
                 "a dealer of the old quorum joins with its key share (create)");
}

TEST_CASE("repair: a helper outside the key's holders is refused") {
  auto shares = generate_key<C>(3, {1, 2, 3, 4});
  expect_invalid(RepairProtocol<G>::help(shares[0], {session_of(63), {1, 3, 9}, 2}), "helper 9 holds no share of this key");
}

TEST_CASE("repair: recover() under another identifier than the recovering party's is refused") {
  auto shares = generate_key<C>(3, {1, 2, 3, 4});
  const RepairConfig config{session_of(64), {1, 3, 4}, 2};
  expect_invalid(RepairProtocol<G>::recover(5, shares[0].key_id, 0, config),
                 "the recovering party runs recover() with its own identifier");
  expect_invalid(RepairProtocol<G>::recover(0, shares[0].key_id, 0, {session_of(64), {1, 3, 4}, 0}),
                 "the recovering party runs recover() with its own identifier");
  CHECK(RepairProtocol<G>::recover(2, shares[0].key_id, 0, config).ok());
}

TEST_CASE("repair: recover() with fewer than two helpers or among its helpers is refused") {
  auto shares = generate_key<C>(2, {1, 2, 3});
  expect_invalid(RepairProtocol<G>::recover(2, shares[0].key_id, 0, {session_of(65), {1}, 2}),
                 "repair needs at least two helpers other than the recovering party");
  expect_invalid(RepairProtocol<G>::recover(2, shares[0].key_id, 0, {session_of(65), {1, 2, 3}, 2}),
                 "repair needs at least two helpers other than the recovering party");
}

// --- peer messages ---

TEST_CASE("refresh: a dealer naming another key digest in an otherwise consistent dealing is named") {
  auto shares = generate_key<C>(3, {1, 2, 3, 4, 5});
  const SessionId session = session_of(66);
  std::vector<RefreshProtocol<G>> parties;
  for (const auto& s : shares) parties.push_back(RefreshProtocol<G>::create(s, session).value());
  // Byte 40 lies in the key digest (after the type and the session id); the commitment and the
  // shares stay honest, and the cheater echoes the dealing it really sent.
  auto result = run_protocols(pointers(parties), rewrite_consistently(0, 3, refresh_context(session, shares[0]),
                                                                      [](Bytes& b) { b[40] ^= 1; }));
  for (auto& p : parties) {
    if (p.self() != 3) CHECK_FALSE(p.take_output().ok());
  }
  expect_blamed(result, 3, {1, 2, 4, 5});
  expect_reason(result, 3, "holds different public data for this key (another epoch?)");
}

TEST_CASE("repair: a helper whose delta commitments do not sum to its share is named even when its deltas match them") {
  // Helper 4 adds one to the delta it sends helper 1 and to the commitment of that delta: the
  // delta matches its commitment and helper 1's sigma the commitments' column, so only the sum
  // of helper 4's commitments (ζ_4·X_4 plus G) is wrong.
  auto shares = generate_key<C>(3, {1, 2, 3, 4, 5});
  auto parties = repair_parties(shares, kRepair);
  auto broadcast = rewrite_consistently(0, 4, repair_context(kRepair, shares[0]), [](Bytes& b) {
    auto msg = RepairDealMessage<G>::decode(b, kRepair.session, 3).value();
    msg.delta_commitments[0] = msg.delta_commitments[0] + Point::generator();  // the one for helper 1
    b = msg.encode(kRepair.session);
  });
  auto direct = rewrite(0, 4, false, [](Bytes& b) {
    auto msg = ScalarMessage<G>::decode(b, DkgMessageType::RepairDelta, kRepair.session).value();
    msg.value += Scalar::one();
    b = msg.encode(kRepair.session);
  }, PartyId{1});
  auto result = run_protocols(pointers(parties), [&](InFlight& m) {
    broadcast(m);
    direct(m);
  });
  for (auto& p : parties) {
    auto taken = p.take_output();
    CHECK_FALSE((taken.ok() && taken->has_value()));
  }
  expect_blamed(result, 4, {1, 2, 5});
  expect_reason(result, 4, "delta commitments do not sum to ζ_i·X_i");
}

TEST_CASE("repair: the recovering party names a helper presenting another epoch as not the key it expects") {
  auto shares = generate_key<C>(3, {1, 2, 3, 4, 5});
  auto parties = repair_parties(shares, kRepair);
  auto result = run_protocols(pointers(parties), rewrite(0, 5, true, [](Bytes& b) {
    auto msg = RepairDealMessage<G>::decode(b, kRepair.session, 3).value();
    msg.key.epoch += 1;
    b = msg.encode(kRepair.session);
  }));
  // Helpers 1 and 4 present the expected epoch; without the check of what the recovering party
  // expects, helper 5 would only be outvoted.
  const Error& e = result.error(2);
  INFO(e.describe());
  CHECK(e.kind == ErrorKind::ProtocolAborted);
  CHECK(e.culprits == std::vector<PartyId>{5});
  CHECK(says(e, "presented public data of another key, epoch or committee"));
}

TEST_CASE("repair: a recovering party expecting another epoch names every helper for presenting none") {
  auto shares = generate_key<C>(3, {1, 2, 3, 4, 5});
  auto parties = repair_parties(shares, kRepair, shares[0].epoch + 1);
  auto result = run_protocols(pointers(parties));
  const Error& e = result.error(2);
  INFO(e.describe());
  CHECK(e.kind == ErrorKind::ProtocolAborted);
  CHECK(e.culprits == kRepair.helpers);
  CHECK(says(e, "no helper presented the expected key and epoch"));
  for (auto& p : parties) {
    auto taken = p.take_output();
    CHECK_FALSE((taken.ok() && taken->has_value()));
  }
}

// --- keys whose verifying shares do not lie on one polynomial ---

TEST_CASE("repair: honest helpers of a key whose shares are not on one polynomial give no share back") {
  // 2-of-4 with holder 4's share moved: helpers 3 and 4 interpolate a share for 1 that does not
  // match 1's verifying share.
  auto shares = with_share_moved(generate_key<C>(2, {1, 2, 3, 4}), 4);
  const RepairConfig config{session_of(67), {3, 4}, 1};
  auto parties = repair_parties(shares, config);
  auto result = run_protocols(pointers(parties));
  const Error& e = result.error(1);
  INFO(e.describe());
  CHECK(e.kind == ErrorKind::ProtocolAborted);
  CHECK(says(e, "repair round 1: the recovered share is inconsistent"));
  for (auto& p : parties) {
    if (p.self() == 1) CHECK_FALSE(p.take_output().ok());
  }
}

TEST_CASE("resharing: a quorum whose verifying shares do not interpolate to the key deals nothing") {
  // Every dealer deals λ_i·x_i as it should, but holder 3's share is off the key's polynomial.
  auto shares = with_share_moved(generate_key<C>(2, {1, 2, 3}), 3);
  const ReshareConfig config{session_of(68), {1, 2, 3}, {1, 2, 4, 5}, 3};
  auto parties = reshare_parties(shares, config);
  auto result = run_protocols(pointers(parties));
  bool said = false;
  for (auto& p : parties) {
    auto taken = p.take_output();
    CHECK_FALSE((taken.ok() && taken->has_value()));
    const Error& e = result.error(p.self());
    INFO(e.describe());
    CHECK(e.kind == ErrorKind::ProtocolAborted);
    said = said || says(e, "the quorum's verifying shares do not interpolate to the group key");
  }
  CHECK(said);
}
