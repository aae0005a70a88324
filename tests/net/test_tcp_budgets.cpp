// A corrupt but authenticated peer that floods a node over TCP: what it sends is held within its
// own budget, and what an honest party sends still arrives.
#include <catch2/catch.hpp>

#include "tcp_fixture.hpp"

using namespace tsign;
using namespace tsign::test;

TEST_CASE("a flood for a session not yet opened does not displace an honest party's message") {
  // Party 1 is corrupt: it knows the session id of parties 2 and 3 and floods node 3 before node
  // 3 opens the session, first filling what node 3 holds for that session, then opening many
  // other sessions (which used to evict the oldest, the honest party's).
  Cluster cluster({1, 2, 3});
  TcpOptions o = fast_tcp_options();
  o.max_pending_bytes = 256u << 10;
  o.max_pending_sessions = 16;
  cluster.start(o, {2, 3});
  CoinTossGroup group({2, 3});
  AuthenticatedSender flooder(cluster.configs.at(1), cluster.configs.at(3), cluster.nodes.at(3)->listen_port());
  flooder.socket().set_send_timeout(std::chrono::milliseconds(500));
  Bytes fill;
  for (int i = 0; i < 4096; ++i) flooder.append_data(fill, group.session, Bytes(100, 7));
  (void)flooder.socket().send(fill);  // node 3 may stop reading part-way: that is the point
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  std::map<PartyId, Status> early;
  std::thread honest([&] { early = run_over_tcp(cluster, group, 5000, {2}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // party 2's commitment reaches node 3
  Bytes others;
  for (int i = 0; i < 64; ++i) flooder.append_data(others, random_session_id(), Bytes(1, 7));
  (void)flooder.socket().send(others);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  auto late = run_over_tcp(cluster, group, 5000, {3});
  honest.join();
  CHECK(describe(early.at(2)) == "ok");
  CHECK(describe(late.at(3)) == "ok");
  CHECK(group.all_agree());
}

TEST_CASE("a million minimal messages from one peer stay within its budget of resident memory") {
  // Each message carries one byte for a session never opened; what holds it costs far more than
  // that byte, and the budget must count it. The bound: the peer's budget (8 MiB) plus 16 MiB for
  // everything else a node holds (buffers, allocator slack).
  constexpr std::size_t kBudget = 8u << 20;
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer keeps freed blocks in quarantine (256 MiB by default) and adds shadow memory.
  constexpr std::size_t kBound = kBudget + (16u << 20) + (384u << 20);
#else
  constexpr std::size_t kBound = kBudget + (16u << 20);
#endif
  Cluster cluster({1, 2});
  TcpOptions o = fast_tcp_options();
  o.max_pending_bytes = kBudget;
  cluster.start(o, {2});
  const std::size_t before = resident_bytes();
  AuthenticatedSender flooder(cluster.configs.at(1), cluster.configs.at(2), cluster.nodes.at(2)->listen_port());
  flooder.socket().set_send_timeout(std::chrono::milliseconds(1000));
  const SessionId session = random_session_id();
  std::size_t sent = 0;
  for (bool reading = true; reading && sent < 1'000'000;) {
    Bytes burst;
    for (int i = 0; i < 10'000; ++i) flooder.append_data(burst, session, Bytes(1, 7));
    reading = flooder.socket().send(burst);
    sent += 10'000;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // node 2 reads what the kernel holds
  const std::size_t grown = resident_bytes() - before;
  INFO("messages written: " << sent << ", resident memory grown by " << grown / 1024 << " KiB");
  CHECK(grown < kBound);
}
