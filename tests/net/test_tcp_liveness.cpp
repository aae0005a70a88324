// Links that die under a session: a reset, a peer gone silent, total packet loss. The waiting
// party learns of it within a short redial window instead of the whole round timeout, and a party
// that is merely late is never named.
#include <catch2/catch.hpp>

#include <sched.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tcp_fixture.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }


}  // namespace

TEST_CASE("with the default settings a peer whose connection resets mid-session is named within ten seconds") {
  Cluster cluster({1, 2, 3});
  cluster.start(TcpOptions{});
  CoinTossGroup group({1, 2, 3});
  std::unique_ptr<TcpNode> node3 = std::move(cluster.nodes.at(3));
  auto view3 = node3->open_session(group.session).value();
  Clock::time_point killed{};
  HookedParty p3(group.party(3), 0, [&] {
    // Party 3 dies once its round-0 messages are out (had they died with it, party 2 would wait
    // in round 0, party 1 in round 1 for party 2 as well, and the honest party 2 would be named).
    (void)node3->flush(std::chrono::seconds(5));
    node3.reset();  // its sockets close: the others see the connection end
    killed = Clock::now();
  });
  Status s3;
  std::thread t3([&] { s3 = run_session(p3, *view3, group.session, EngineOptions{}); });
  std::map<PartyId, Status> out;
  std::vector<std::thread> threads;
  for (PartyId p : {1u, 2u}) out.emplace(p, Status{});
  for (PartyId p : {1u, 2u}) {
    threads.emplace_back([&, p] {
      out.at(p) = run_session(group.party(p), *cluster.nodes.at(p), group.session, EngineOptions{});
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = seconds_since(killed);
  t3.join();
  WARN("parties 1 and 2 reported party 3 " << elapsed << " s after its node went away");
  for (PartyId p : {1u, 2u}) {
    INFO(describe(out.at(p)));
    REQUIRE_FALSE(out.at(p));
    CHECK(out.at(p).error().kind == ErrorKind::Timeout);
    CHECK(out.at(p).error().culprits == std::vector<PartyId>{3});
  }
  CHECK(elapsed < 10.0);
}

TEST_CASE("a link gone silent is noticed dead and the next session succeeds") {
  // Every byte between nodes 1 and 2 is dropped while both connections stay open, as with total
  // packet loss or a peer that froze: only keepalives can tell.
  Cluster cluster({1, 2});
  cluster.start();
  TcpProxy link(cluster.nodes.at(2)->listen_port());
  auto keep_open = route_through(cluster, 1, 2, link);
  {
    CoinTossGroup group({1, 2});
    for (auto& [id, s] : run_over_tcp(cluster, group, 10'000)) REQUIRE(describe(s) == "ok");
  }
  link.drop_everything(true);
  const auto silent = Clock::now();
  const bool noticed = wait_for([&] { return !cluster.nodes.at(1)->connected(2) && !cluster.nodes.at(2)->connected(1); },
                                std::chrono::seconds(10));
  WARN("the silent link was noticed dead after " << seconds_since(silent) << " s (node 1: " << cluster.nodes.at(1)->peer_status(2)
       << "; node 2: " << cluster.nodes.at(2)->peer_status(1) << "; through the proxy: " << link.accepted() << ")");
  REQUIRE(noticed);
  link.drop_everything(false);
  CoinTossGroup group({1, 2});
  for (auto& [id, s] : run_over_tcp(cluster, group, 10'000)) CHECK(describe(s) == "ok");
}

namespace {

// In a child process with a network namespace of its own (loopback only): total packet loss on
// loopback for 30 s through tc netem, then a session. Exit 0 passed, 77 not possible here (the
// reason on stderr), anything else failed.
int netem_scenario() {
  if (::unshare(CLONE_NEWNET) != 0 && ::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "SKIPPED: no network namespace (unshare: %s)\n", std::strerror(errno));
    return 77;
  }
  if (std::system("ip link set lo up 2>/dev/null") != 0 ||
      std::system("tc qdisc add dev lo root netem loss 0% 2>/dev/null") != 0) {
    std::fprintf(stderr, "SKIPPED: tc netem is not available (no ip or tc command, or no sch_netem in the kernel)\n");
    return 77;
  }
  Cluster cluster({1, 2});
  cluster.start();
  CoinTossGroup first({1, 2});
  for (auto& [id, s] : run_over_tcp(cluster, first, 10'000)) {
    if (!s) return 2;
  }
  auto keep_open = cluster.nodes.at(1)->open_session(random_session_id()).value();
  if (std::system("tc qdisc change dev lo root netem loss 100%") != 0) return 3;
  const auto lossy = Clock::now();
  const bool noticed = wait_for([&] { return !cluster.nodes.at(1)->connected(2); }, std::chrono::seconds(30));
  std::fprintf(stderr, "dead link noticed after %.1f s\n", seconds_since(lossy));
  std::this_thread::sleep_for(std::chrono::seconds(30) - (Clock::now() - lossy));
  if (std::system("tc qdisc change dev lo root netem loss 0%") != 0) return 4;
  if (!noticed) return 5;
  CoinTossGroup next({1, 2});
  for (auto& [id, s] : run_over_tcp(cluster, next, 15'000)) {
    if (!s) {
      std::fprintf(stderr, "after the loss: %s\n", describe(s).c_str());
      return 6;
    }
  }
  return 0;
}

}  // namespace

TEST_CASE("thirty seconds of total packet loss: the link is noticed dead and the next session succeeds") {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) std::_Exit(netem_scenario());
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) {
    WARN("skipped: this machine gives no network namespace with tc netem (see the child's reason above)");
    return;
  }
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("a party killed in round one is named and a party started late is not") {
  // Party 2 goes away before it sends anything; party 3 starts a while after the others, well
  // within the round timeout. Messages for party 3 wait until it comes up.
  Cluster cluster({1, 2, 3});
  const std::uint16_t port3 = reserve_port();
  cluster.configs.at(3).listen_port = port3;
  cluster.start(fast_tcp_options(), {1, 2});
  cluster.point_at(3, port3);
  CoinTossGroup group({1, 2, 3});
  auto view1 = cluster.nodes.at(1)->open_session(group.session).value();
  REQUIRE(wait_for([&] { return cluster.nodes.at(1)->connected(2); }, std::chrono::seconds(5)));
  cluster.nodes.at(2).reset();
  Status s1;
  std::thread t1([&] { s1 = run_session(group.party(1), *view1, group.session, quick_options(6000)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  cluster.start(fast_tcp_options(), {3});
  Status s3 = run_session(group.party(3), *cluster.nodes.at(3), group.session, quick_options(3000));
  t1.join();
  INFO("party 1: " << describe(s1) << "; party 3: " << describe(s3));
  REQUIRE_FALSE(s1);
  CHECK(s1.error().kind == ErrorKind::Timeout);
  CHECK(s1.error().culprits == std::vector<PartyId>{2});
  REQUIRE_FALSE(s3);
  CHECK(s3.error().culprits == std::vector<PartyId>{2});
}
