// A Transport written by a user: every party has a mailbox in a shared post office, the way a
// message queue or a relay server would be wired in. The engine does the rest (sessions, rounds,
// duplicates, echo broadcast, deadlines, blame), so the transport is only this class.
//
// Run: ./custom_transport      (three parties agree on a random value with the coin toss)
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tsign/protocol/coin_toss.hpp"
#include "tsign/net/engine.hpp"
#include "tsign/net/transport.hpp"

namespace {

// The shared medium. A real deployment would put a broker or a relay here; what matters is that
// whoever hands a message to a party can vouch for its sender (an authenticated connection, a
// signed envelope, a broker that authenticates its clients), because the engine trusts `from`.
class PostOffice {
 public:
  explicit PostOffice(std::vector<tsign::PartyId> parties) {
    for (auto p : parties) boxes_[p];
  }

  bool has(tsign::PartyId p) const { return boxes_.count(p) != 0; }

  void post(tsign::PartyId from, tsign::PartyId to, tsign::Bytes data) {
    std::lock_guard lock(mutex_);
    boxes_.at(to).push_back({from, std::move(data)});
    arrived_.notify_all();
  }

  std::optional<tsign::IncomingMessage> collect(tsign::PartyId who, std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    auto& box = boxes_.at(who);
    if (!arrived_.wait_until(lock, deadline, [&] { return !box.empty(); })) return std::nullopt;
    tsign::IncomingMessage m = std::move(box.front());
    box.pop_front();
    return m;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::map<tsign::PartyId, std::deque<tsign::IncomingMessage>> boxes_;
};

// The whole transport: who am I, send to one party, wait for the next message.
class MailboxTransport final : public tsign::Transport {
 public:
  MailboxTransport(PostOffice& office, tsign::PartyId self) : office_(office), self_(self) {}

  tsign::PartyId self() const override { return self_; }

  tsign::Status send(tsign::PartyId to, tsign::Bytes data) override {
    if (!office_.has(to) || to == self_) {
      return tsign::make_error(tsign::ErrorKind::InvalidInput, "no mailbox for party " + std::to_string(to));
    }
    office_.post(self_, to, std::move(data));
    return {};
  }

  tsign::Result<std::optional<tsign::IncomingMessage>> receive(Clock::time_point deadline) override {
    return office_.collect(self_, deadline);
  }

 private:
  PostOffice& office_;
  tsign::PartyId self_;
};

}  // namespace

int main() {
  const std::vector<tsign::PartyId> parties = {1, 2, 3};
  const tsign::SessionId session = tsign::random_session_id();
  PostOffice office(parties);

  std::vector<std::unique_ptr<tsign::CoinTossProtocol>> protocols;
  std::vector<std::optional<tsign::Result<tsign::Digest32>>> results(parties.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < parties.size(); ++i) {
    auto protocol = tsign::CoinTossProtocol::create(session, parties[i], parties);
    if (!protocol) {
      std::fprintf(stderr, "party %u: %s\n", parties[i], protocol.error().describe().c_str());
      return 1;
    }
    protocols.push_back(std::make_unique<tsign::CoinTossProtocol>(std::move(protocol).value()));
  }
  for (std::size_t i = 0; i < parties.size(); ++i) {
    threads.emplace_back([&, i] {
      MailboxTransport transport(office, parties[i]);
      tsign::EngineOptions options;
      options.round_timeout = std::chrono::seconds(5);
      results[i] = tsign::run_protocol(*protocols[i], transport, session, options);  // the single call
    });
  }
  for (auto& t : threads) t.join();

  for (std::size_t i = 0; i < parties.size(); ++i) {
    const auto& value = *results[i];
    if (!value) {
      std::fprintf(stderr, "party %u: %s\n", parties[i], value.error().describe().c_str());
      return 1;
    }
    std::printf("party %u agreed on %s\n", parties[i], tsign::to_hex(*value).c_str());
  }
  return 0;
}
