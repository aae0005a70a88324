#pragma once
// Vaults of one process talking to each other: a MemoryHub per session, made on first use, and a
// PeerLink per party over them. on_new_hub lets a test add faults to the hub of every session.
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "tsign/custody/peer_link.hpp"
#include "tsign/net/memory_transport.hpp"

namespace tsign::testing {

class MemorySessions {
 public:
  explicit MemorySessions(std::vector<PartyId> parties) : parties_(std::move(parties)) {}
  MemoryHub& hub(const SessionId& session);
  // What every hub recorded (MemoryHub::set_recording), in no particular order of sessions.
  std::vector<RecordedMessage> recorded();
  std::function<void(MemoryHub&)> on_new_hub;

 private:
  std::vector<PartyId> parties_;
  std::mutex mutex_;
  std::map<SessionId, std::unique_ptr<MemoryHub>> hubs_;
};

class MemoryPeerLink final : public PeerLink {
 public:
  MemoryPeerLink(MemorySessions& sessions, PartyId self) : sessions_(sessions), self_(self) {}
  PartyId self() const override { return self_; }
  Result<std::unique_ptr<Transport>> open_session(const SessionId& session) override;

 private:
  MemorySessions& sessions_;
  PartyId self_;
};

}  // namespace tsign::testing
