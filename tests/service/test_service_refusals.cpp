// Every request the service refuses is answered "declined", signs nothing and is in the audit log.
#include <fstream>

#include "service_cluster.hpp"

namespace tsign::test {

namespace {

const Bytes kMessage = {'p', 'a', 'y'};

struct Refusal {
  std::string reason;
  std::function<void(ServiceRequest&)> edit;
};

// The number of entries of each kind in party `id`'s log.
std::size_t count_kind(ServiceCluster& c, PartyId id, AuditEventKind kind) {
  const auto entries = c.audit(id);
  return static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), [kind](const AuditEntry& e) { return e.event.kind == kind; }));
}

bool refusal_recorded(ServiceCluster& c, PartyId id, const ServiceResult& r) {
  const auto entries = c.audit(id);
  return r.audit_sequence && *r.audit_sequence < entries.size() &&
         entries[*r.audit_sequence].event.kind == AuditEventKind::Denied &&
         entries[*r.audit_sequence].event.details.find(r.reason) != std::string::npos;
}

KeyId frost_key(ServiceCluster& c) {
  ServiceRequest r = c.request(RequestOperation::Keygen);
  r.suite = ShareSuite::FrostSecp256k1;
  r.threshold = 2;
  r.parties = {1, 2, 3};
  auto results = c.send(r, {1, 2, 3});
  REQUIRE(results.at(1).status == ResultStatus::Ok);
  return *results.at(1).key_id;
}

ServiceRequest sign_request(ServiceCluster& c, const KeyId& key) {
  ServiceRequest r = c.request(RequestOperation::Sign);
  r.key_id = key;
  r.content = kMessage;
  r.signers = {1, 2};
  return r;
}

}  // namespace

TEST_CASE("service: refused requests sign nothing and are audited") {
  ServiceCluster c({1, 2, 3}, "keygen,sign,health");
  const KeyId key = frost_key(c);
  const IdentityKey stranger = IdentityKey::generate();
  const std::vector<Refusal> refusals = {
      {"wrong_cluster", [](ServiceRequest& r) { r.cluster_id = std::string(32, '0'); }},
      {"unknown_requester", [](ServiceRequest& r) { r.requester = "someone-else"; }},
      {"operation_not_allowed", [](ServiceRequest& r) { r.operation = RequestOperation::Refresh; r.content.reset(); r.signers.clear(); }},
      {"expired", [&c](ServiceRequest& r) { r.created_at = c.now - 1000; r.expires_at = c.now - 100; }},
      {"future_dated", [&c](ServiceRequest& r) { r.created_at = c.now + 600; r.expires_at = c.now + 900; }},
      {"lifetime_too_long", [&c](ServiceRequest& r) { r.expires_at = c.now + 86'400; }},
  };
  for (const Refusal& refusal : refusals) {
    INFO(refusal.reason);
    ServiceRequest r = sign_request(c, key);
    refusal.edit(r);
    auto results = c.send(r, {1, 2});
    for (const auto& [id, res] : results) {
      CHECK(res.status == ResultStatus::Declined);
      CHECK(res.reason == refusal.reason);
      CHECK(res.signature.empty());
      CHECK(refusal_recorded(c, id, res));
    }
  }
  SECTION("a signature by another key") {
    ServiceRequest r = sign_request(c, key);
    sign_request(r, stranger);
    auto results = c.send(encode_request(r), {1, 2});
    for (const auto& [id, res] : results) {
      CHECK(res.reason == "bad_signature");
      CHECK(refusal_recorded(c, id, res));
    }
  }
  SECTION("a field changed after signing") {
    ServiceRequest r = sign_request(c, key);
    std::string text = c.signed_text(r);
    ServiceRequest changed = decode_request(text).value();
    changed.content = Bytes{'p', 'a', 'y', '!'};
    auto results = c.send(encode_request(changed), {1, 2});
    for (const auto& [id, res] : results) CHECK(res.reason == "bad_signature");
  }
  SECTION("malformed JSON") {
    auto results = c.send(std::string("{\"version\":1,\"operation\":\"sign\",\"bogus\":\"\\u0007\"}"), {1});
    CHECK(results.at(1).reason == "malformed");
    CHECK(refusal_recorded(c, 1, results.at(1)));
  }
  // Nothing was approved or signed by any of the refused requests.
  for (PartyId id : {1, 2}) {
    CHECK(count_kind(c, id, AuditEventKind::Approved) == 0);
    CHECK(count_kind(c, id, AuditEventKind::Signed) == 0);
  }
}

TEST_CASE("service: a replayed request is refused and so it is after a restart") {
  ServiceCluster c({1, 2, 3});
  const KeyId key = frost_key(c);
  const std::string text = c.signed_text(sign_request(c, key));
  auto first = c.send(text, {1, 2});
  REQUIRE(first.at(1).status == ResultStatus::Ok);
  auto again = c.send(text, {1, 2});
  for (const auto& [id, res] : again) {
    CHECK(res.reason == "replay");
    CHECK(refusal_recorded(c, id, res));
  }
  for (PartyId id : {1, 2}) {
    c.stop(id);
    c.start(id);
  }
  auto after_restart = c.send(text, {1, 2});
  for (const auto& [id, res] : after_restart) {
    CHECK(res.reason == "replay");
    CHECK(refusal_recorded(c, id, res));
  }
  CHECK(count_kind(c, 1, AuditEventKind::Signed) == 1);
  // Once the request has expired, its id is pruned on the next start and the request is refused
  // as expired instead.
  c.now += 3600;
  c.stop(1);
  c.start(1);
  CHECK(c.send(text, {1}).at(1).reason == "expired");
}

TEST_CASE("service: a policy denial by the vault is declined and audited by the vault") {
  ServiceCluster c({1, 2, 3});
  const KeyId key = frost_key(c);
  // Party 2's policy allows no FROST(secp256k1) signature.
  std::ofstream(c.vaults().dir(2) / "signing-policy") << "tsign-policy 1\nallow-scheme ecdsa-secp256k1\n";
  auto results = c.send(sign_request(c, key), {1, 2});
  INFO(results.at(2).error);
  CHECK(results.at(2).status == ResultStatus::Declined);
  CHECK(results.at(2).reason == "policy");
  CHECK(results.at(1).status != ResultStatus::Ok);
  CHECK(count_kind(c, 2, AuditEventKind::Denied) == 1);
  CHECK(count_kind(c, 2, AuditEventKind::Signed) == 0);
}

TEST_CASE("service: over its queue limit the service answers busy and stops gracefully") {
  ServiceCluster c({1, 2, 3});
  ServiceOptions options = c.options(1);
  options.workers = 1;
  options.queue_limit = 1;
  options.state_dir /= "narrow";
  auto service = SignerService::start(c.vaults().vault(1), c.cluster(), c.link_factory(1), options);
  REQUIRE(service.ok());
  // A keygen party 1 cannot finish alone holds the only worker; one more request waits; the
  // third is busy.
  ServiceRequest keygen = c.request(RequestOperation::Keygen);
  keygen.suite = ShareSuite::FrostEd25519;
  keygen.threshold = 2;
  keygen.parties = {1, 2};
  MemoryRequestSource source;
  std::thread serving([&] { (*service)->serve(source); });
  auto running = source.push(c.signed_text(keygen));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto waiting = source.push(c.signed_text(c.request(RequestOperation::Health)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto busy = source.push(c.signed_text(c.request(RequestOperation::Health)));
  const ServiceResult busy_result = busy.get();
  CHECK(busy_result.status == ResultStatus::Declined);
  CHECK(busy_result.reason == "busy");
  // Shutdown: the queued request still runs, the stuck keygen is aborted after the grace period.
  (*service)->stop(std::chrono::milliseconds(200));
  serving.join();
  CHECK(waiting.get().status == ResultStatus::Ok);
  const ServiceResult aborted = running.get();
  CHECK(aborted.status == ResultStatus::Failed);
}

}  // namespace tsign::test
