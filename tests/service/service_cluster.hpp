#pragma once
// Vaults of one process, each served by a SignerService over in-memory links, and a requester
// that signs requests for them.
#include <catch2/catch.hpp>

#include <future>

#include "custody/vault_cluster.hpp"
#include "tsign/core/random.hpp"
#include "tsign/service/signer_service.hpp"

namespace tsign::test {

class ServiceCluster {
 public:
  explicit ServiceCluster(std::vector<PartyId> ids, std::string operations = "keygen,sign,refresh,reshare,repair,presign,health")
      : ids_(ids), vaults_(ids), requester_key_(IdentityKey::generate()) {
    for (PartyId id : ids_) {
      auto identity = Vault::public_identity(vaults_.dir(id));
      REQUIRE(identity.ok());
      cluster_.members.push_back({id, "127.0.0.1", static_cast<std::uint16_t>(7000 + id), identity->transport_key,
                                  identity->audit_key});
    }
    Requester requester{"app", requester_key_.public_key(), {}};
    std::string_view ops = operations;
    while (!ops.empty()) {
      const auto comma = ops.find(',');
      requester.operations.emplace_back(ops.substr(0, comma));
      ops = comma == std::string_view::npos ? std::string_view() : ops.substr(comma + 1);
    }
    cluster_.requesters.push_back(requester);
    for (PartyId id : ids_) start(id);
  }

  ServiceOptions options(PartyId id) {
    ServiceOptions o;
    o.state_dir = state_root_ / ("party" + std::to_string(id));
    o.round_timeout = round_timeout;
    o.log = [this](const std::string& line) {
      std::lock_guard lock(log_mutex_);
      log_lines.push_back(line);
    };
    o.clock = [this] { return now.load(); };
    return o;
  }

  void start(PartyId id) {
    services_.erase(id);
    auto service = SignerService::start(vaults_.vault(id), cluster_, link_factory(id), options(id));
    REQUIRE(service.ok());
    services_[id] = std::move(service).value();
  }
  void stop(PartyId id) { services_.erase(id); }

  PeerLinkFactory link_factory(PartyId id) {
    return [this, id]() -> Result<std::unique_ptr<PeerLink>> {
      return std::unique_ptr<PeerLink>(std::make_unique<testing::MemoryPeerLink>(vaults_.sessions(), id));
    };
  }

  ServiceRequest request(RequestOperation op) {
    ServiceRequest r;
    r.id = random_bytes(16);
    r.cluster_id = cluster_.cluster_id();
    r.requester = "app";
    r.created_at = now.load();
    r.expires_at = now.load() + 300;
    r.operation = op;
    return r;
  }
  std::string signed_text(ServiceRequest r) {
    sign_request(r, requester_key_);
    return encode_request(r);
  }

  // Hands the request to each listed party's service at once; results by party.
  std::map<PartyId, ServiceResult> send(const std::string& text, const std::vector<PartyId>& parties) {
    std::map<PartyId, std::future<ServiceResult>> running;
    for (PartyId id : parties) {
      running.emplace(id, std::async(std::launch::async, [this, id, text] { return services_.at(id)->handle(text); }));
    }
    std::map<PartyId, ServiceResult> out;
    for (auto& [id, f] : running) out.emplace(id, f.get());
    return out;
  }
  std::map<PartyId, ServiceResult> send(const ServiceRequest& r, const std::vector<PartyId>& parties) {
    return send(signed_text(r), parties);
  }
  std::map<PartyId, ServiceResult> send_all(const ServiceRequest& r) { return send(r, ids_); }

  std::vector<AuditEntry> audit(PartyId id) {
    std::vector<AuditEntry> out;
    AuditVerifyOptions verify;
    verify.on_entry = [&out](const AuditEntry& e) { out.push_back(e); };
    REQUIRE(verify_audit_log(vaults_.dir(id) / "audit.log", vaults_.vault(id).public_identity().audit_key, verify).ok());
    return out;
  }

  VaultCluster& vaults() { return vaults_; }
  SignerService& service(PartyId id) { return *services_.at(id); }
  const Cluster& cluster() const { return cluster_; }
  const IdentityKey& requester_key() const { return requester_key_; }

  std::atomic<std::uint64_t> now{1'800'000'000};
  std::chrono::milliseconds round_timeout{20'000};
  std::mutex log_mutex_;
  std::vector<std::string> log_lines;

 private:
  TempDir state_root_;
  std::vector<PartyId> ids_;
  VaultCluster vaults_;
  Cluster cluster_;
  IdentityKey requester_key_;
  std::map<PartyId, std::unique_ptr<SignerService>> services_;
};

}  // namespace tsign::test
