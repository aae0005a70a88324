// The signer service runs every vault operation for signed requests; outside code verifies.
#include <set>

#include "service_cluster.hpp"
#include "support/independent_verify.hpp"
#include "tsign/core/text_fields.hpp"

namespace tsign::test {

namespace {

const Bytes kMessage = {'p', 'a', 'y', ' ', '4', '2'};

bool verifies(ShareSuite suite, const ServiceResult& r) {
  const std::string pk = to_hex(r.public_key), s = to_hex(r.signature);
  switch (suite) {
    case ShareSuite::FrostSecp256k1: return frost_secp256k1_verifies(pk, kMessage, s);
    case ShareSuite::FrostSecp256k1Taproot: return bip340_verifies(pk, kMessage, s);
    case ShareSuite::FrostEd25519: return ed25519_verifies(pk, kMessage, s);
    case ShareSuite::EcdsaSecp256k1: return ecdsa_verifies(pk, to_hex(sha256(kMessage)), s);
  }
  return false;
}

void require_ok(const std::map<PartyId, ServiceResult>& results) {
  for (const auto& [id, r] : results) {
    INFO("party " << id << ": " << r.reason << " " << r.error);
    REQUIRE(r.status == ResultStatus::Ok);
  }
}

KeyId keygen(ServiceCluster& c, ShareSuite suite, std::uint32_t t, const std::vector<PartyId>& parties) {
  ServiceRequest r = c.request(RequestOperation::Keygen);
  r.suite = suite;
  r.threshold = t;
  r.parties = parties;
  auto results = c.send(r, parties);
  require_ok(results);
  const auto key = results.begin()->second.key_id;
  REQUIRE(key.has_value());
  for (const auto& [id, res] : results) CHECK(res.key_id == key);
  return *key;
}

ServiceRequest sign_request(ServiceCluster& c, const KeyId& key) {
  ServiceRequest r = c.request(RequestOperation::Sign);
  r.key_id = key;
  r.content = kMessage;
  return r;
}

}  // namespace

TEST_CASE("service: each suite generates a key and signs through the service") {
  const ShareSuite suite = GENERATE(ShareSuite::FrostSecp256k1, ShareSuite::FrostSecp256k1Taproot,
                                    ShareSuite::FrostEd25519, ShareSuite::EcdsaSecp256k1);
  ServiceCluster c({1, 2, 3});
  const KeyId key = keygen(c, suite, 2, {1, 2, 3});
  ServiceRequest r = sign_request(c, key);
  r.signers = {1, 3};
  auto results = c.send(r, {1, 3});
  require_ok(results);
  for (const auto& [id, res] : results) {
    CHECK(verifies(suite, res));
    CHECK(res.signers == std::vector<PartyId>{1, 3});
    CHECK(res.attempts == 1);
  }
  // The log lines are JSON objects naming the request and its outcome.
  std::lock_guard lock(c.log_mutex_);
  REQUIRE_FALSE(c.log_lines.empty());
  CHECK_THAT(c.log_lines.back(), Catch::Contains("\"event\":\"request_finished\""));
  CHECK_THAT(c.log_lines.back(), Catch::Contains(to_hex(r.id)));
}

TEST_CASE("service: refresh reshare and repair run through the service and the key still signs") {
  ServiceCluster c({1, 2, 3, 4});
  const KeyId key = keygen(c, ShareSuite::FrostEd25519, 2, {1, 2, 3});

  ServiceRequest refresh = c.request(RequestOperation::Refresh);
  refresh.key_id = key;
  require_ok(c.send(refresh, {1, 2, 3}));

  // Party 4 joins, party 1 leaves.
  ServiceRequest reshare = c.request(RequestOperation::Reshare);
  reshare.key_id = key;
  reshare.old_quorum = {1, 2};
  reshare.parties = {2, 3, 4};
  reshare.threshold = 2;
  reshare.suite = ShareSuite::FrostEd25519;
  auto held = c.vaults().vault(2).key(key);
  REQUIRE(held.ok());
  reshare.group_key = held->view.public_key;
  require_ok(c.send(reshare, {1, 2, 3, 4}));

  // Party 3 lost its share: 2 and 4 help it back.
  auto epoch = c.vaults().vault(2).key(key);
  REQUIRE(epoch.ok());
  REQUIRE(c.vaults().vault(3).decommission(key).ok());
  ServiceRequest repair = c.request(RequestOperation::Repair);
  repair.key_id = key;
  repair.parties = {2, 4};
  repair.recovering = 3;
  repair.suite = ShareSuite::FrostEd25519;
  repair.epoch = epoch->epoch;
  require_ok(c.send(repair, {2, 3, 4}));

  ServiceRequest sign = sign_request(c, key);
  sign.signers = {2, 3, 4};
  auto results = c.send(sign, {2, 3, 4});
  require_ok(results);
  for (const auto& [id, res] : results) CHECK(verifies(ShareSuite::FrostEd25519, res));
}

TEST_CASE("service: a 3-of-5 FROST key signs with one signer offline and one cheating; the cheater is named") {
  ServiceCluster c({1, 2, 3, 4, 5});
  const KeyId key = keygen(c, ShareSuite::FrostSecp256k1Taproot, 3, {1, 2, 3, 4, 5});
  c.round_timeout = std::chrono::milliseconds(1500);
  for (PartyId id : {2, 3, 4, 5}) c.start(id);
  // Party 1 is offline; party 2's signature shares (round 1, after the commitments of round 0)
  // arrive corrupted at everyone.
  c.vaults().sessions().on_new_hub = [](MemoryHub& hub) {
    hub.set_recording(true);
    MessageFilter from2;
    from2.from = 2;
    from2.round = 1;
    hub.add_fault(Fault::tamper(from2));
  };
  auto results = c.send(sign_request(c, key), {2, 3, 4, 5});
  for (const auto& [id, r] : results) {
    UNSCOPED_INFO("party " << id << ": " << to_string(r.status) << " " << r.reason << " " << r.error << " culprits "
                           << format_party_list(r.culprits) << " attempts " << r.attempts);
  }
  for (PartyId id : {3, 4, 5}) {
    const ServiceResult& r = results.at(id);
    INFO("party " << id << ": " << r.reason << " " << r.error << " culprits " << format_party_list(r.culprits) << " attempts " << r.attempts);
    REQUIRE(r.status == ResultStatus::Ok);
    CHECK(verifies(ShareSuite::FrostSecp256k1Taproot, r));
    CHECK(r.culprits == std::vector<PartyId>{1, 2});
    CHECK(r.signers == std::vector<PartyId>{3, 4, 5});
    CHECK(r.attempts >= 2);
  }
  // Every attempt drew fresh nonces: no first-round broadcast (round 0: the nonce commitments)
  // of one session appears in another.
  std::map<Bytes, std::set<SessionId>> sessions_of;
  std::set<SessionId> sessions_of_3;
  for (const auto& m : c.vaults().sessions().recorded()) {
    auto envelope = decode_envelope(m.data);
    if (!envelope || envelope->round != 0 || envelope->kind != MessageKind::Protocol || !envelope->is_broadcast()) continue;
    sessions_of[envelope->payload].insert(envelope->session);
    if (envelope->sender == 3) sessions_of_3.insert(envelope->session);
  }
  CHECK(sessions_of_3.size() >= 3);
  for (const auto& [payload, sessions] : sessions_of) CHECK(sessions.size() == 1);
}

TEST_CASE("service: ECDSA 3-of-5 signs with two signers offline") {
  ServiceCluster c({1, 2, 3, 4, 5});
  const KeyId key = keygen(c, ShareSuite::EcdsaSecp256k1, 3, {1, 2, 3, 4, 5});
  c.round_timeout = std::chrono::milliseconds(1500);
  for (PartyId id : {1, 2, 3}) c.start(id);
  auto results = c.send(sign_request(c, key), {1, 2, 3});
  for (const auto& [id, r] : results) {
    INFO("party " << id << ": " << r.reason << " " << r.error);
    REQUIRE(r.status == ResultStatus::Ok);
    CHECK(verifies(ShareSuite::EcdsaSecp256k1, r));
    CHECK(r.culprits == std::vector<PartyId>{4, 5});
    CHECK(r.signers == std::vector<PartyId>{1, 2, 3});
  }
}

TEST_CASE("service: presign top-up and health") {
  ServiceCluster c({1, 2, 3});
  const KeyId key = keygen(c, ShareSuite::EcdsaSecp256k1, 2, {1, 2, 3});
  ServiceRequest presign = c.request(RequestOperation::Presign);
  presign.key_id = key;
  presign.signers = {1, 2};
  presign.count = 2;
  auto results = c.send(presign, {1, 2});
  require_ok(results);
  CHECK(results.at(1).presignatures.size() == 2);
  CHECK(results.at(1).presignatures == results.at(2).presignatures);
  auto pool = c.vaults().vault(1).presignatures(key);
  REQUIRE(pool.ok());
  CHECK(pool->size() == 2);
  require_ok(c.send(c.request(RequestOperation::Health), {1, 2, 3}));
}

}  // namespace tsign::test
