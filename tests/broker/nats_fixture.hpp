#pragma once
// NATS test helpers: a nats-server of the test's own on a free loopback port, in a temporary
// directory, with TLS from a test CA (made with the openssl command) and one NKey user per
// party plus a "stranger" allowed everywhere (a broker client without the cluster's keys); NatsNodes
// for a cluster over it; a raw client for spying and injecting. Every wait is bounded.
#include <catch2/catch.hpp>
#include <nats/nats.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tsign/broker/nats_transport.hpp"
#include "tsign/core/random.hpp"
#include "tsign/testing/nats_broker.hpp"

namespace tsign::test {

using testing::NatsBroker;
using testing::cluster_configs;
using testing::nats_server_program;
using testing::subject_root;

#define TSIGN_REQUIRE_NATS_SERVER()                                                        \
  if (tsign::testing::nats_server_program().empty()) {                                        \
    WARN("skipped: nats-server is not installed (tools/install-deps.sh installs it)");     \
    return;                                                                                \
  }

// A broker and a NatsNode per party.
struct NatsCluster {
  std::vector<PartyId> ids;
  std::map<PartyId, PartyConfig> configs;
  std::unique_ptr<NatsBroker> broker;
  std::map<PartyId, std::unique_ptr<NatsNode>> nodes;
  std::function<void(NatsOptions&)> tune;  // optional: adjusts each node's options

  explicit NatsCluster(std::vector<PartyId> party_ids) : ids(std::move(party_ids)), configs(cluster_configs(ids)) {
    broker = std::make_unique<NatsBroker>(ids, subject_root(configs.begin()->second));
  }
  void start() {
    for (PartyId id : ids) start_one(id);
  }
  void start_one(PartyId id) {
    NatsOptions options = broker->options_for(id);
    if (tune) tune(options);
    auto node = NatsNode::start(configs.at(id).clone(), options);
    INFO((node ? std::string("ok") : node.error().describe()));
    REQUIRE(node);
    nodes[id] = std::move(node).value();
  }
  bool all_linked() const {
    for (const auto& [id, node] : nodes) {
      if (!node) return false;
      for (PartyId other : ids) {
        if (other != id && !node->connected(other)) return false;
      }
    }
    return true;
  }
  NatsNode& node(PartyId id) { return *nodes.at(id); }
};

inline bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// A plain NATS client as the stranger (no cluster keys): records what it sees on a subject, and
// publishes whatever a test gives it.
class RawNatsClient {
 public:
  explicit RawNatsClient(const NatsBroker& broker) {
    natsOptions* o = nullptr;
    REQUIRE(natsOptions_Create(&o) == NATS_OK);
    natsOptions_SetURL(o, broker.url().c_str());
    natsOptions_SetSecure(o, true);
    REQUIRE(natsOptions_LoadCATrustedCertificates(o, broker.ca_file().c_str()) == NATS_OK);
    natsOptions_SetExpectedHostname(o, "localhost");
    natsOptions_SetNKeyFromSeed(o, broker.stranger().public_key.c_str(), broker.stranger_seed_file().c_str());
    const natsStatus s = natsConnection_Connect(&conn_, o);
    natsOptions_Destroy(o);
    REQUIRE(s == NATS_OK);
  }
  ~RawNatsClient() {
    if (sub_ != nullptr) {
      // The message handler may be running: wait until the library says it has returned.
      natsSubscription_SetOnCompleteCB(sub_, &RawNatsClient::on_complete, this);
      if (natsSubscription_Unsubscribe(sub_) == NATS_OK) {
        std::unique_lock lock(mutex_);
        done_cv_.wait_for(lock, std::chrono::seconds(5), [&] { return done_; });
      }
      natsSubscription_Destroy(sub_);
    }
    natsConnection_Destroy(conn_);
  }
  RawNatsClient(const RawNatsClient&) = delete;
  RawNatsClient& operator=(const RawNatsClient&) = delete;

  void record(const std::string& subject) {
    REQUIRE(natsConnection_Subscribe(&sub_, conn_, subject.c_str(), &RawNatsClient::on_message, this) == NATS_OK);
    REQUIRE(natsConnection_FlushTimeout(conn_, 2000) == NATS_OK);
  }
  std::vector<Bytes> recorded() {
    std::lock_guard lock(mutex_);
    return recorded_;
  }
  void publish(const std::string& subject, ByteSpan data) {
    REQUIRE(natsConnection_Publish(conn_, subject.c_str(), data.data(), static_cast<int>(data.size())) == NATS_OK);
  }
  void flush() { REQUIRE(natsConnection_FlushTimeout(conn_, 2000) == NATS_OK); }

 private:
  static void on_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
    auto* self = static_cast<RawNatsClient*>(closure);
    const auto* data = reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(msg));
    {
      std::lock_guard lock(self->mutex_);
      self->recorded_.emplace_back(data, data + natsMsg_GetDataLength(msg));
    }
    natsMsg_Destroy(msg);
  }
  static void on_complete(void* closure) {
    auto* self = static_cast<RawNatsClient*>(closure);
    std::lock_guard lock(self->mutex_);
    self->done_ = true;
    self->done_cv_.notify_all();
  }
  natsConnection* conn_ = nullptr;
  natsSubscription* sub_ = nullptr;
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::vector<Bytes> recorded_;
};

}  // namespace tsign::test
