// A party that floods: the deadline still comes on time, the flooder is named beside the silent
// party, never in its place, and memory stays bounded.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>

#include "net_fixture.hpp"
#include "tsign/net/memory_transport.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kRssGrowthBoundKib = (64 + 256) * 1024;
#else
constexpr std::size_t kRssGrowthBoundKib = 64 * 1024;
#endif

// Resident memory of this process in KiB (Linux).
std::size_t resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    std::size_t value = 0;
    if (key == "VmRSS:" && status >> value) return value;
    std::string rest;
    std::getline(status, rest);
  }
  return 0;
}

}  // namespace

TEST_CASE("flood: party 2 silent and party 3 flooding copies from several threads; a 200 ms timeout names both within 400 ms") {
  CoinTossGroup group({1, 2, 3, 4});
  MemoryHub hub(group.ids);
  hub.set_recording(true);
  const std::size_t rss_before = resident_kib();

  // Parties 3 and 4 run honestly (each times out waiting for 2); party 2 never starts.
  std::thread honest3([&] { (void)run_session(group.party(3), hub.endpoint(3), group.session, quick_options(1000)); });
  std::thread honest4([&] { (void)run_session(group.party(4), hub.endpoint(4), group.session, quick_options(1000)); });
  // Party 3 also sends party 1 copies of its first message, as fast as four threads can.
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> sent{0};
  std::vector<std::thread> flooders;
  for (int t = 0; t < 4; ++t) {
    flooders.emplace_back([&] {
      Bytes copy;
      while (copy.empty() && !stop) {
        for (const auto& m : hub.recorded()) {
          if (m.from == 3 && m.to == 1) copy = m.data;
        }
      }
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(3);
      while (!stop && std::chrono::steady_clock::now() < give_up) {
        (void)hub.endpoint(3).send(1, copy);
        ++sent;
      }
    });
  }

  const auto start = std::chrono::steady_clock::now();
  Status victim = run_session(group.party(1), hub.endpoint(1), group.session, quick_options(200));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  stop = true;
  for (auto& f : flooders) f.join();
  honest3.join();
  honest4.join();

  INFO(describe(victim) << "; " << sent << " copies sent");
  REQUIRE_FALSE(victim.ok());
  CHECK(victim.error().kind == ErrorKind::Timeout);
  CHECK(victim.error().culprits == std::vector<PartyId>{2, 3});
  CHECK_THAT(victim.error().message, Catch::Contains("a flood"));
  // 400 ms is the aim; seven threads share two cores here (and a sanitizer build is slower), so
  // this run allows a second. The single-threaded test below holds the 400 ms exactly.
  CHECK(elapsed < std::chrono::milliseconds(1000));
  CHECK(sent > kRepeatAllowance);
  // The inbox holds at most kMaxQueuedMessages of party 3's; the rest were dropped at the hub.
  // Bound: 64 MiB of growth (AddressSanitizer's quarantine keeps up to 256 MiB of freed blocks).
  const std::size_t rss_after = resident_kib();
  INFO("resident " << rss_before << " KiB -> " << rss_after << " KiB");
  CHECK(rss_after < rss_before + kRssGrowthBoundKib);
}

TEST_CASE("flood: a party that repeats its message within the allowance is not named") {
  // A few retransmissions (a reconnect resends what was not acknowledged) are normal.
  CoinTossGroup group({1, 2, 3});
  MemoryHub hub(group.ids);
  MessageFilter from3;
  from3.from = 3;
  for (int i = 0; i < 4; ++i) hub.add_fault(Fault::duplicate(from3));
  auto statuses = run_in_threads(hub, group.pointers(), group.session, quick_options(5000));
  for (const auto& s : statuses) CHECK(s.ok());
  CHECK(group.all_agree());
}

namespace {

// A transport whose peer 3 never lets the inbox run dry: whenever nothing real is waiting, a copy
// of 3's first message is (for at most three seconds).
class NeverDry final : public Transport {
 public:
  NeverDry(Transport& inner, MemoryHub& hub) : inner_(inner), hub_(hub) {}
  PartyId self() const override { return inner_.self(); }
  Status send(PartyId to, Bytes data) override { return inner_.send(to, std::move(data)); }
  Result<std::optional<IncomingMessage>> receive(Clock::time_point deadline) override {
    if (copy_.empty()) {
      for (const auto& m : hub_.recorded()) {
        if (m.from == 3 && m.to == inner_.self()) copy_ = m.data;
      }
    }
    if (copy_.empty() || Clock::now() > give_up_) return inner_.receive(deadline);
    auto real = inner_.receive(Clock::now());
    if (!real || real->has_value()) return real;
    return std::optional<IncomingMessage>(IncomingMessage{3, copy_});
  }

 private:
  Transport& inner_;
  MemoryHub& hub_;
  Bytes copy_;
  Clock::time_point give_up_ = Clock::now() + std::chrono::seconds(3);
};

}  // namespace

TEST_CASE("flood: an inbox that never runs dry does not hold the deadline off") {
  CoinTossGroup group({1, 2, 3});
  MemoryHub hub(group.ids);
  hub.set_recording(true);
  std::thread honest3([&] { (void)run_session(group.party(3), hub.endpoint(3), group.session, quick_options(1000)); });
  NeverDry flooded(hub.endpoint(1), hub);
  const auto start = std::chrono::steady_clock::now();
  Status victim = run_session(group.party(1), flooded, group.session, quick_options(200));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  honest3.join();
  INFO(describe(victim));
  REQUIRE_FALSE(victim.ok());
  CHECK(victim.error().kind == ErrorKind::Timeout);
  CHECK(victim.error().culprits == std::vector<PartyId>{2, 3});
  CHECK(elapsed < std::chrono::milliseconds(400));
}

TEST_CASE("engine: while a step waits, the parties it waits for are reported at each interval") {
  CoinTossGroup group({1, 2, 3});
  MemoryHub hub(group.ids);
  std::thread honest3([&] { (void)run_session(group.party(3), hub.endpoint(3), group.session, quick_options(1000)); });
  EngineOptions options = quick_options(700);
  options.waiting_interval = std::chrono::milliseconds(200);
  std::vector<std::vector<PartyId>> reports;
  options.on_waiting = [&](const std::vector<PartyId>& missing) { reports.push_back(missing); };
  Status victim = run_session(group.party(1), hub.endpoint(1), group.session, options);
  honest3.join();
  REQUIRE_FALSE(victim.ok());
  CHECK(victim.error().culprits == std::vector<PartyId>{2});
  REQUIRE(reports.size() >= 2);  // at about 200, 400 and 600 ms
  CHECK(reports.size() <= 4);
  for (const auto& r : reports) CHECK(r == std::vector<PartyId>{2});
}

// Found by the soak (test_soak.cpp): a party that withholds its round-0 message from one honest
// party makes that party time out. The others got the message and wait for the stopped party's
// echo; they must not name it. The stopped party's timed-out notice tells them whom it waited for:
// it names the withholder itself, and a third party, which cannot tell who lies, names neither.
TEST_CASE("timeout blame: a party starved of a message by another is never named by a third party") {
  CoinTossGroup group({1, 2, 3});
  MemoryHub hub(group.ids);
  MessageFilter withheld;
  withheld.from = 3;
  withheld.to = 2;
  hub.add_fault(Fault::drop(withheld));
  auto statuses = run_in_threads(hub, group.pointers(), group.session, quick_options(300));
  INFO("party 1: " << describe(statuses[0]) << "; party 2: " << describe(statuses[1]));
  CHECK(blames(statuses[1], {3}));  // party 2 names the party that withheld
  REQUIRE_FALSE(statuses[0].ok());
  const auto& named = statuses[0].error().culprits;
  CHECK(std::find(named.begin(), named.end(), 2) == named.end());
  CHECK(statuses[0].error().message.find("party 2 stopped waiting itself (it had no message from parties 3)") !=
        std::string::npos);
}
