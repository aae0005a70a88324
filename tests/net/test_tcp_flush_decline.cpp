// A party that declines a session (its policy refused) and a node that waits for its last
// messages to be acknowledged before it goes away.
#include <catch2/catch.hpp>

#include "net_fixture.hpp"
#include "tcp_fixture.hpp"

using namespace tsign;
using namespace tsign::test;

TEST_CASE("decline_protocol: the others stop with its reason, naming the party that declined") {
  Cluster cluster({1, 2, 3});
  cluster.start();
  CoinTossGroup group({1, 2, 3});
  std::map<PartyId, Status> out;
  std::thread declining([&] {
    auto view = cluster.nodes.at(3)->open_session(group.session);
    REQUIRE(view.ok());
    decline_protocol(group.party(3), **view, group.session, make_error(ErrorKind::PolicyDenied, "not on a Sunday"));
  });
  out = run_over_tcp(cluster, group, 20'000, {1, 2});
  declining.join();
  for (PartyId p : {1u, 2u}) {
    INFO(describe(out.at(p)));
    REQUIRE_FALSE(out.at(p).ok());
    CHECK(out.at(p).error().kind == ErrorKind::ProtocolAborted);
    CHECK(out.at(p).error().culprits == std::vector<PartyId>{3});
    CHECK(out.at(p).error().message.find("not on a Sunday") != std::string::npos);
  }
}

TEST_CASE("TcpNode::flush: done once the peers acknowledged everything; a missing peer is named") {
  Cluster cluster({1, 2});
  cluster.start();
  CoinTossGroup group({1, 2});
  for (auto& [id, s] : run_over_tcp(cluster, group, 10'000)) CHECK(describe(s) == "ok");
  CHECK(cluster.nodes.at(1)->flush(std::chrono::seconds(10)).ok());
  CHECK(cluster.nodes.at(2)->flush(std::chrono::seconds(10)).ok());

  // Party 2 is gone: what party 1 sends now stays unacknowledged.
  cluster.nodes.at(2).reset();
  auto view = cluster.nodes.at(1)->open_session(random_session_id());
  REQUIRE(view.ok());
  REQUIRE((*view)->send(2, Bytes{1, 2, 3}).ok());
  const Status stuck = cluster.nodes.at(1)->flush(std::chrono::milliseconds(300));
  REQUIRE_FALSE(stuck.ok());
  CHECK(stuck.error().kind == ErrorKind::Timeout);
  CHECK(stuck.error().culprits == std::vector<PartyId>{2});
}
