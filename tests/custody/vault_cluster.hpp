#pragma once
// Three vaults in one process (parties 1, 2, 3 under one temporary directory), linked through
// in-memory hubs, and a way to run one operation on several of them at once.
#include <catch2/catch.hpp>

#include <functional>
#include <future>
#include <map>
#include <vector>

#include "support/temp_dir.hpp"
#include "tsign/custody/vault.hpp"
#include "tsign/testing/memory_peer_link.hpp"

namespace tsign::test {

class VaultCluster {
 public:
  explicit VaultCluster(std::vector<PartyId> ids = {1, 2, 3}) : ids_(ids), sessions_(ids) {
    for (PartyId id : ids_) {
      REQUIRE(Vault::create(dir(id), id, passphrase(), Argon2Params::minimal()).ok());
      open(id);
      links_.emplace(id, std::make_unique<testing::MemoryPeerLink>(sessions_, id));
      links_.at(id)->engine.round_timeout = std::chrono::milliseconds(20'000);
    }
    // Every link knows every party's identity key, as a cluster configuration tells it.
    for (PartyId id : ids_) {
      auto identity = Vault::public_identity(dir(id));
      REQUIRE(identity.ok());
      for (auto& [_, link] : links_) link->identity_keys[id] = identity->audit_key;
    }
  }

  static SecretBytes passphrase() { return SecretBytes::copy_of(as_bytes(std::string_view("vault test passphrase"))); }
  std::filesystem::path dir(PartyId id) const { return root_ / ("party" + std::to_string(id)); }
  Vault& vault(PartyId id) { return vaults_.at(id); }
  PeerLink& link(PartyId id) { return *links_.at(id); }
  testing::MemorySessions& sessions() { return sessions_; }

  void open(PartyId id, VaultOptions options = {}) {
    vaults_.erase(id);
    auto opened = Vault::open(dir(id), VaultUnlock(passphrase()), std::move(options));
    REQUIRE(opened.ok());
    vaults_.emplace(id, std::move(opened).value());
  }
  void close(PartyId id) { vaults_.erase(id); }

  // Runs `op` for each party at once (each on its own thread) and returns the results by party.
  template <class Op>
  auto on(const std::vector<PartyId>& parties, Op op) {
    using R = decltype(op(std::declval<Vault&>(), std::declval<PeerLink&>()));
    std::map<PartyId, std::future<R>> running;
    for (PartyId id : parties) {
      running.emplace(id, std::async(std::launch::async, [this, id, op] { return op(vault(id), link(id)); }));
    }
    std::map<PartyId, R> out;
    for (auto& [id, f] : running) out.emplace(id, f.get());
    return out;
  }

  // A key of `suite`, t = 2 among all parties; REQUIREs that every party got the same key.
  VaultKey keygen(ShareSuite suite, const std::string& session = "keygen") {
    auto results = on(ids_, [&](Vault& v, PeerLink& l) { return v.keygen({suite, 2, ids_, session}, l); });
    for (auto& [id, r] : results) {
      INFO("party " << id << ": " << (r ? std::string() : r.error().message));
      REQUIRE(r.ok());
      CHECK(r->key_id == results.begin()->second->key_id);
    }
    return std::move(results.begin()->second).value();
  }

 private:
  TempDir root_;
  std::vector<PartyId> ids_;
  testing::MemorySessions sessions_;
  std::map<PartyId, Vault> vaults_;
  std::map<PartyId, std::unique_ptr<testing::MemoryPeerLink>> links_;
};

}  // namespace tsign::test
