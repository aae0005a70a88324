#include "tsign/testing/memory_peer_link.hpp"

namespace tsign::testing {

namespace {

// A session's view of a party's endpoint (the hub owns the endpoint).
class EndpointView final : public Transport {
 public:
  explicit EndpointView(Transport& endpoint) : endpoint_(endpoint) {}
  PartyId self() const override { return endpoint_.self(); }
  Status send(PartyId to, Bytes data) override { return endpoint_.send(to, std::move(data)); }
  Result<std::optional<IncomingMessage>> receive(Clock::time_point deadline) override { return endpoint_.receive(deadline); }

 private:
  Transport& endpoint_;
};

}  // namespace

MemoryHub& MemorySessions::hub(const SessionId& session) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto& slot = hubs_[session];
  if (!slot) {
    slot = std::make_unique<MemoryHub>(parties_);
    if (on_new_hub) on_new_hub(*slot);
  }
  return *slot;
}

std::vector<RecordedMessage> MemorySessions::recorded() {
  std::lock_guard<std::mutex> guard(mutex_);
  std::vector<RecordedMessage> out;
  for (const auto& [session, hub] : hubs_) {
    auto some = hub->recorded();
    out.insert(out.end(), some.begin(), some.end());
  }
  return out;
}

Result<std::unique_ptr<Transport>> MemoryPeerLink::open_session(const SessionId& session) {
  return std::unique_ptr<Transport>(std::make_unique<EndpointView>(sessions_.hub(session).endpoint(self_)));
}

}  // namespace tsign::testing
