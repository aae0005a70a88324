#pragma once
// In-process transport: a hub with one endpoint per party, for tests, examples and single-process
// runs. Faults are injected by rules matched against each message's envelope, so a test can
// drop, delay, duplicate, reorder, tamper with, equivocate or replay exactly the message it
// means, or crash a party, and check that the engine reports the right outcome.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "tsign/net/engine.hpp"
#include "tsign/net/envelope.hpp"
#include "tsign/net/transport.hpp"

namespace tsign {

// Which messages a fault hits; an unset field matches anything. Fields other than from and to
// only match messages whose envelope decodes.
struct MessageFilter {
  std::optional<PartyId> from;
  std::optional<PartyId> to;
  std::optional<std::uint32_t> round;
  std::optional<MessageKind> kind;
  std::optional<bool> broadcast;

  bool matches(PartyId sender, PartyId recipient, const std::optional<Envelope>& envelope) const;
};

// A message as it was handed to the hub, before any fault.
struct RecordedMessage {
  PartyId from = 0;
  PartyId to = 0;
  Bytes data;
};

enum class FaultType {
  Drop,        // the message is lost
  Delay,       // delivered after `delay`
  Duplicate,   // delivered now and again after `delay`
  Reorder,     // held back until the next message to the same recipient has gone (or `delay`)
  Tamper,      // `edit` changes the envelope (default: flips a bit of the payload)
  Equivocate,  // like Tamper, for a broadcast: the filtered recipients get a different payload
  Replay,      // replaced by the matching message recorded in another session (`recorded`)
  Crash,       // the sender crashes: this and everything it would send later is lost, and its own
               // receive() fails; messages to it are lost too
};

struct Fault {
  FaultType type = FaultType::Drop;
  MessageFilter filter;
  std::size_t times = std::numeric_limits<std::size_t>::max();  // matching messages it hits
  std::chrono::milliseconds delay{0};
  std::function<void(Envelope&)> edit;  // Tamper and Equivocate
  std::vector<RecordedMessage> recorded;  // Replay: MemoryHub::recorded() of another session
  // Replay only: keep the current envelope and replay only the old payload, which only the
  // protocol's own session binding can catch.
  bool replay_payload_only = false;

  static Fault drop(MessageFilter f);
  static Fault delay_by(MessageFilter f, std::chrono::milliseconds d);
  static Fault duplicate(MessageFilter f, std::chrono::milliseconds copy_after = {});
  static Fault reorder(MessageFilter f, std::chrono::milliseconds max_hold = std::chrono::milliseconds(50));
  static Fault tamper(MessageFilter f, std::function<void(Envelope&)> edit = {});
  static Fault equivocate(MessageFilter f, std::function<void(Envelope&)> edit = {});
  static Fault replay(MessageFilter f, std::vector<RecordedMessage> recorded, bool payload_only = false);
  static Fault crash(PartyId party, std::optional<std::uint32_t> from_round = std::nullopt);
};

// Each endpoint queues at most this much from each sender; past it the sender's messages are
// dropped (and counted in peer_status), so a flooding party cannot crowd out the others' messages
// or grow the process without bound.
inline constexpr std::size_t kMaxQueuedMessages = 4096;
inline constexpr std::size_t kMaxQueuedBytes = 16u << 20;

class MemoryHub {
 public:
  explicit MemoryHub(std::vector<PartyId> parties);
  ~MemoryHub();
  MemoryHub(const MemoryHub&) = delete;
  MemoryHub& operator=(const MemoryHub&) = delete;

  // The endpoint of one party; valid as long as the hub.
  Transport& endpoint(PartyId party);
  void add_fault(Fault fault);
  // Crashes a party now.
  void crash(PartyId party);
  // Keep a copy of every message sent (before faults), e.g. to replay it in another session.
  void set_recording(bool on);
  std::vector<RecordedMessage> recorded() const;
  // How many times each fault (in the order added) has hit a message.
  std::vector<std::size_t> fault_hits() const;

 private:
  class Endpoint;
  struct Scheduled {
    std::chrono::steady_clock::time_point at;
    std::uint64_t order;
    PartyId from;
    PartyId to;
    Bytes data;
    bool operator>(const Scheduled& o) const { return at != o.at ? at > o.at : order > o.order; }
  };

  Status send(PartyId from, PartyId to, Bytes data);
  void deliver_locked(PartyId from, PartyId to, Bytes data);
  void schedule_locked(std::chrono::milliseconds after, PartyId from, PartyId to, Bytes data);
  void timer_loop();

  std::vector<PartyId> parties_;
  std::map<PartyId, std::unique_ptr<Endpoint>> endpoints_;
  mutable std::mutex mutex_;
  std::condition_variable timer_cv_;
  std::vector<Fault> faults_;
  std::vector<std::size_t> hits_;
  std::map<PartyId, bool> crashed_;
  std::map<PartyId, std::deque<RecordedMessage>> held_;  // Reorder: per recipient
  std::vector<Scheduled> timers_;                        // a heap ordered by time
  std::uint64_t timer_order_ = 0;
  bool recording_ = false;
  std::vector<RecordedMessage> recorded_;
  bool stopping_ = false;
  std::thread timer_thread_;
};

// Runs each protocol (one per party) in its own thread over the hub's endpoints and returns their
// statuses in the same order: a whole in-process protocol run in one call.
std::vector<Status> run_in_threads(MemoryHub& hub, const std::vector<RoundProtocol*>& parties,
                                   const SessionId& session, const EngineOptions& options = {});
// The same with options of its own for each party (its broadcast keys, say), in the same order.
std::vector<Status> run_in_threads(MemoryHub& hub, const std::vector<RoundProtocol*>& parties,
                                   const SessionId& session, const std::vector<EngineOptions>& options);

}  // namespace tsign
