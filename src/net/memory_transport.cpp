#include "tsign/net/memory_transport.hpp"

#include <algorithm>
#include <exception>
#include <string>

namespace tsign {

bool MessageFilter::matches(PartyId sender, PartyId recipient, const std::optional<Envelope>& e) const {
  if (from && *from != sender) return false;
  if (to && *to != recipient) return false;
  if (!round && !kind && !broadcast) return true;
  if (!e) return false;
  if (round && *round != e->round) return false;
  if (kind && *kind != e->kind) return false;
  if (broadcast && *broadcast != e->is_broadcast()) return false;
  return true;
}

namespace {
void flip_payload_bit(Envelope& e) {
  if (e.payload.empty()) {
    e.payload.push_back(1);
  } else {
    e.payload.back() ^= 1;
  }
}
}  // namespace

namespace {
Fault make_fault(FaultType type, MessageFilter filter) {
  Fault out;
  out.type = type;
  out.filter = filter;
  return out;
}
}  // namespace

Fault Fault::drop(MessageFilter f) { return make_fault(FaultType::Drop, f); }
Fault Fault::delay_by(MessageFilter f, std::chrono::milliseconds d) {
  Fault out = make_fault(FaultType::Delay, f);
  out.delay = d;
  return out;
}
Fault Fault::duplicate(MessageFilter f, std::chrono::milliseconds copy_after) {
  Fault out = make_fault(FaultType::Duplicate, f);
  out.delay = copy_after;
  return out;
}
Fault Fault::reorder(MessageFilter f, std::chrono::milliseconds max_hold) {
  Fault out = make_fault(FaultType::Reorder, f);
  out.delay = max_hold;
  return out;
}
Fault Fault::tamper(MessageFilter f, std::function<void(Envelope&)> edit) {
  Fault out = make_fault(FaultType::Tamper, f);
  out.edit = edit ? std::move(edit) : flip_payload_bit;
  return out;
}
Fault Fault::equivocate(MessageFilter f, std::function<void(Envelope&)> edit) {
  Fault out = make_fault(FaultType::Equivocate, f);
  out.filter.broadcast = true;
  out.filter.kind = MessageKind::Protocol;
  out.edit = edit ? std::move(edit) : flip_payload_bit;
  return out;
}
Fault Fault::replay(MessageFilter f, std::vector<RecordedMessage> recorded, bool payload_only) {
  Fault out = make_fault(FaultType::Replay, f);
  out.recorded = std::move(recorded);
  out.replay_payload_only = payload_only;
  return out;
}
Fault Fault::crash(PartyId party, std::optional<std::uint32_t> from_round) {
  MessageFilter f;
  f.from = party;
  f.round = from_round;
  Fault out = make_fault(FaultType::Crash, f);
  out.times = 1;
  return out;
}

class MemoryHub::Endpoint final : public Transport {
 public:
  Endpoint(MemoryHub& hub, PartyId self) : hub_(hub), self_(self) {}

  PartyId self() const override { return self_; }
  Status send(PartyId to, Bytes data) override { return hub_.send(self_, to, std::move(data)); }

  Result<std::optional<IncomingMessage>> receive(Clock::time_point deadline) override {
    std::unique_lock lock(hub_.mutex_);
    cv_.wait_until(lock, deadline, [&] { return !inbox_.empty() || hub_.crashed_[self_] || hub_.stopping_; });
    if (hub_.crashed_[self_]) {
      return make_error(ErrorKind::Transport, "party " + std::to_string(self_) + " crashed (injected fault)");
    }
    if (inbox_.empty()) return std::optional<IncomingMessage>{};
    IncomingMessage m = std::move(inbox_.front());
    inbox_.pop_front();
    auto& q = queued_[m.from];
    q.messages -= 1;
    q.bytes -= m.data.size();
    return std::optional<IncomingMessage>(std::move(m));
  }

  std::string peer_status(PartyId peer) const override {
    std::lock_guard lock(hub_.mutex_);
    auto it = queued_.find(peer);
    if (it == queued_.end() || it->second.dropped == 0) return {};
    return std::to_string(it->second.dropped) + " messages dropped: over its inbox budget";
  }

  // Called with the hub's mutex held. Each sender has its own budget in this inbox, so one that
  // floods loses its own messages, never another sender's.
  void push_locked(PartyId from, Bytes data) {
    auto& q = queued_[from];
    if (q.messages + 1 > kMaxQueuedMessages || q.bytes + data.size() > kMaxQueuedBytes) {
      ++q.dropped;
      return;
    }
    q.messages += 1;
    q.bytes += data.size();
    inbox_.push_back({from, std::move(data)});
    cv_.notify_one();
  }
  void wake() { cv_.notify_all(); }

 private:
  MemoryHub& hub_;
  PartyId self_;
  struct Queued {
    std::size_t messages = 0;
    std::size_t bytes = 0;
    std::size_t dropped = 0;
  };
  std::deque<IncomingMessage> inbox_;
  std::map<PartyId, Queued> queued_;
  std::condition_variable cv_;
};

MemoryHub::MemoryHub(std::vector<PartyId> parties) : parties_(std::move(parties)) {
  for (PartyId p : parties_) {
    endpoints_[p] = std::make_unique<Endpoint>(*this, p);
    crashed_[p] = false;
  }
  timer_thread_ = std::thread([this] { timer_loop(); });
}

MemoryHub::~MemoryHub() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  timer_cv_.notify_all();
  for (auto& [id, e] : endpoints_) e->wake();
  timer_thread_.join();
}

Transport& MemoryHub::endpoint(PartyId party) { return *endpoints_.at(party); }

void MemoryHub::add_fault(Fault fault) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(fault));
  hits_.push_back(0);
}

void MemoryHub::crash(PartyId party) {
  std::lock_guard lock(mutex_);
  crashed_.at(party) = true;
  endpoints_.at(party)->wake();
}

void MemoryHub::set_recording(bool on) {
  std::lock_guard lock(mutex_);
  recording_ = on;
}

std::vector<RecordedMessage> MemoryHub::recorded() const {
  std::lock_guard lock(mutex_);
  return recorded_;
}

std::vector<std::size_t> MemoryHub::fault_hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

void MemoryHub::deliver_locked(PartyId from, PartyId to, Bytes data) {
  if (crashed_[to]) return;
  Endpoint& target = *endpoints_.at(to);
  target.push_locked(from, std::move(data));
  auto held = held_.find(to);
  if (held == held_.end()) return;
  for (auto& m : held->second) target.push_locked(m.from, std::move(m.data));
  held_.erase(held);
}

void MemoryHub::schedule_locked(std::chrono::milliseconds after, PartyId from, PartyId to, Bytes data) {
  timers_.push_back({std::chrono::steady_clock::now() + after, timer_order_++, from, to, std::move(data)});
  std::push_heap(timers_.begin(), timers_.end(), std::greater<>());
  timer_cv_.notify_all();
}

void MemoryHub::timer_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (timers_.empty()) {
      timer_cv_.wait(lock);
      continue;
    }
    auto due = timers_.front().at;
    if (std::chrono::steady_clock::now() < due) {
      timer_cv_.wait_until(lock, due);
      continue;
    }
    std::pop_heap(timers_.begin(), timers_.end(), std::greater<>());
    Scheduled s = std::move(timers_.back());
    timers_.pop_back();
    if (s.data.empty() && s.from == 0) {
      // A Reorder hold expired: release whatever is still held for this recipient.
      auto held = held_.find(s.to);
      if (held == held_.end()) continue;
      auto messages = std::move(held->second);
      held_.erase(held);
      for (auto& m : messages) {
        if (!crashed_[s.to]) endpoints_.at(s.to)->push_locked(m.from, std::move(m.data));
      }
      continue;
    }
    deliver_locked(s.from, s.to, std::move(s.data));
  }
}

Status MemoryHub::send(PartyId from, PartyId to, Bytes data) {
  if (!endpoints_.count(to) || to == from) {
    return make_error(ErrorKind::InvalidInput, "memory transport: no party " + std::to_string(to));
  }
  std::lock_guard lock(mutex_);
  if (stopping_ || crashed_[from]) return {};
  if (recording_) recorded_.push_back({from, to, data});

  std::optional<Envelope> envelope;
  if (auto decoded = decode_envelope(data, std::numeric_limits<std::uint32_t>::max())) envelope = std::move(decoded).value();

  for (std::size_t i = 0; i < faults_.size(); ++i) {
    Fault& f = faults_[i];
    if (hits_[i] >= f.times || !f.filter.matches(from, to, envelope)) continue;
    switch (f.type) {
      case FaultType::Drop:
        ++hits_[i];
        return {};
      case FaultType::Delay:
        ++hits_[i];
        schedule_locked(f.delay, from, to, std::move(data));
        return {};
      case FaultType::Duplicate:
        ++hits_[i];
        if (f.delay.count() == 0) {
          deliver_locked(from, to, data);
        } else {
          schedule_locked(f.delay, from, to, data);
        }
        deliver_locked(from, to, std::move(data));
        return {};
      case FaultType::Reorder:
        ++hits_[i];
        held_[to].push_back({from, to, std::move(data)});
        schedule_locked(f.delay, 0, to, {});
        return {};
      case FaultType::Tamper:
      case FaultType::Equivocate: {
        if (!envelope) continue;
        ++hits_[i];
        Envelope changed = *envelope;
        f.edit(changed);
        deliver_locked(from, to, encode_envelope(changed));
        return {};
      }
      case FaultType::Replay: {
        if (!envelope) continue;
        for (const auto& old : f.recorded) {
          if (old.from != from || old.to != to) continue;
          auto old_envelope = decode_envelope(old.data, std::numeric_limits<std::uint32_t>::max());
          if (!old_envelope || old_envelope->round != envelope->round || old_envelope->kind != envelope->kind ||
              old_envelope->is_broadcast() != envelope->is_broadcast()) {
            continue;
          }
          ++hits_[i];
          if (f.replay_payload_only) {
            Envelope changed = *envelope;
            changed.payload = old_envelope->payload;
            deliver_locked(from, to, encode_envelope(changed));
          } else {
            deliver_locked(from, to, old.data);
          }
          return {};
        }
        continue;
      }
      case FaultType::Crash:
        ++hits_[i];
        crashed_[from] = true;
        endpoints_.at(from)->wake();
        return {};
    }
  }
  deliver_locked(from, to, std::move(data));
  return {};
}

std::vector<Status> run_in_threads(MemoryHub& hub, const std::vector<RoundProtocol*>& parties,
                                   const SessionId& session, const EngineOptions& options) {
  return run_in_threads(hub, parties, session, std::vector<EngineOptions>(parties.size(), options));
}

std::vector<Status> run_in_threads(MemoryHub& hub, const std::vector<RoundProtocol*>& parties,
                                   const SessionId& session, const std::vector<EngineOptions>& options) {
  if (options.size() != parties.size()) {
    return std::vector<Status>(parties.size(), make_error(ErrorKind::InvalidInput, "run_in_threads: one EngineOptions per party"));
  }
  std::vector<Status> results(parties.size());
  std::vector<std::thread> threads;
  threads.reserve(parties.size());
  for (std::size_t i = 0; i < parties.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        results[i] = run_session(*parties[i], hub.endpoint(parties[i]->self()), session, options[i]);
      } catch (const std::exception& e) {
        results[i] = make_error(ErrorKind::Internal, std::string("exception: ") + e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace tsign
