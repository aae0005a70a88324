// Noise_KK message 1 can be recorded and replayed by anyone on the path; the responder answers
// it, but only the holder of the initiator's keys can go on. A replay must not take the place of
// the live connection, nor leave anything in the notes that errors quote.
#include <catch2/catch.hpp>

#include "tcp_fixture.hpp"

using namespace tsign;
using namespace tsign::test;

TEST_CASE("a replayed handshake does not disturb the live connection") {
  Cluster cluster({1, 2});
  cluster.start();
  TcpProxy recorder(cluster.nodes.at(2)->listen_port());
  auto keep_open = route_through(cluster, 1, 2, recorder);
  {
    CoinTossGroup group({1, 2});
    for (auto& [id, s] : run_over_tcp(cluster, group, 10'000)) REQUIRE(describe(s) == "ok");
  }
  REQUIRE(recorder.accepted() == 1);
  const Bytes recorded = recorder.first_client_bytes();
  const std::size_t handshake_size = wire::kPreambleSize + wire::kFrameHeaderSize + wire::kHandshakeFrame;
  REQUIRE(recorded.size() >= handshake_size);
  const Bytes message1(recorded.begin(), recorded.begin() + static_cast<std::ptrdiff_t>(handshake_size));
  for (int i = 0; i < 5; ++i) {
    RawSocket replay(cluster.nodes.at(2)->listen_port());
    replay.send(message1);
    Bytes answer;
    (void)replay.read_exact(answer, wire::kFrameHeaderSize + wire::kHandshakeFrame);  // node 2 answers; useless without the keys
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(recorder.accepted() == 1);  // node 1 never had to reconnect
  CHECK(cluster.nodes.at(2)->peer_status(1) == "connected");
  CHECK(cluster.nodes.at(1)->peer_status(2) == "connected");
  CoinTossGroup after({1, 2});
  for (auto& [id, s] : run_over_tcp(cluster, after, 10'000)) CHECK(describe(s) == "ok");
  CHECK(recorder.accepted() == 1);
}

TEST_CASE("a replayed handshake left to time out writes no note on the party it replays") {
  // Node 1 is gone; a recording of its handshake is replayed to node 2 and then stalls. What node
  // 2 says about party 1 must stay its own observation of the lost link.
  Cluster cluster({1, 2});
  TcpOptions o = fast_tcp_options();
  o.handshake_timeout = std::chrono::milliseconds(300);
  cluster.start(o);
  TcpProxy recorder(cluster.nodes.at(2)->listen_port());
  REQUIRE(cluster.nodes.at(1)->set_peer_address(2, "127.0.0.1", recorder.port()));
  REQUIRE(cluster.nodes.at(2)->set_peer_address(1, "127.0.0.1", 1));  // node 2 cannot go around it
  {
    CoinTossGroup group({1, 2});
    for (auto& [id, s] : run_over_tcp(cluster, group, 10'000)) REQUIRE(describe(s) == "ok");
  }
  cluster.nodes.at(1).reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::string before = cluster.nodes.at(2)->peer_status(1);
  const Bytes recorded = recorder.first_client_bytes();
  {
    RawSocket replay(cluster.nodes.at(2)->listen_port());
    replay.send(ByteSpan(recorded).first(wire::kPreambleSize + wire::kFrameHeaderSize + wire::kHandshakeFrame));
    CHECK(replay.closed_by_peer());  // the handshake deadline
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const std::string after = cluster.nodes.at(2)->peer_status(1);
  INFO("before: " << before << "; after: " << after);
  CHECK(after == before);
  CHECK_FALSE(cluster.nodes.at(2)->connected(1));
}
