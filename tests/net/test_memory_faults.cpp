// Whole sessions over the in-process hub, one thread per party, with one injected fault each.
#include <catch2/catch.hpp>

#include "net_fixture.hpp"
#include "tsign/net/memory_transport.hpp"

using namespace tsign;
using namespace tsign::test;
using std::chrono::milliseconds;

namespace {

struct Run {
  CoinTossGroup group;
  MemoryHub hub;
  explicit Run(std::vector<PartyId> ids = {1, 2, 3}) : group(ids), hub(ids) {}
  std::map<PartyId, Status> go(int timeout_ms = 5000, const EngineOptions* custom = nullptr) {
    EngineOptions options = custom ? *custom : quick_options(timeout_ms);
    auto statuses = run_in_threads(hub, group.pointers(), group.session, options);
    std::map<PartyId, Status> out;
    for (std::size_t i = 0; i < statuses.size(); ++i) out.emplace(group.ids[i], statuses[i]);
    return out;
  }
};

MessageFilter from_to(PartyId from, PartyId to, std::optional<std::uint32_t> round = std::nullopt) {
  MessageFilter f;
  f.from = from;
  f.to = to;
  f.round = round;
  return f;
}

MessageFilter everything() { return {}; }

}  // namespace

TEST_CASE("in-process runs succeed for several group sizes") {
  for (auto ids : {std::vector<PartyId>{1, 2}, std::vector<PartyId>{1, 2, 3}, std::vector<PartyId>{3, 8, 10, 21, 40}}) {
    Run run(ids);
    auto out = run.go();
    for (auto& [id, s] : out) CHECK(describe(s) == "ok");
    CHECK(run.group.all_agree());
  }
}

TEST_CASE("success despite reordering") {
  Run run;
  run.hub.add_fault(Fault::reorder(everything()));
  auto out = run.go();
  for (auto& [id, s] : out) CHECK(describe(s) == "ok");
  CHECK(run.group.all_agree());
  CHECK(run.hub.fault_hits()[0] > 0);
}

TEST_CASE("success despite duplicates, immediate and late") {
  Run run;
  MessageFilter odd;
  odd.from = 1;
  run.hub.add_fault(Fault::duplicate(odd));
  run.hub.add_fault(Fault::duplicate(everything(), milliseconds(20)));
  auto out = run.go();
  for (auto& [id, s] : out) CHECK(describe(s) == "ok");
  CHECK(run.group.all_agree());
}

TEST_CASE("success despite delays") {
  Run run;
  run.hub.add_fault(Fault::delay_by(from_to(1, 2, 0), milliseconds(60)));
  run.hub.add_fault(Fault::delay_by(from_to(3, 1), milliseconds(15)));
  auto out = run.go();
  for (auto& [id, s] : out) CHECK(describe(s) == "ok");
  CHECK(run.group.all_agree());
}

TEST_CASE("a tampered direct message is blamed on its sender") {
  Run run;
  run.hub.add_fault(Fault::tamper(from_to(1, 2, 1)));
  auto out = run.go();
  INFO(describe(out.at(2)));
  CHECK(blames(out.at(2), {1}));
  CHECK(out.at(2).error().message.find("does not match the commitment") != std::string::npos);
  CHECK(aborted_over(out.at(3), 1));  // stopped by party 2's notice, which blames 1
  CHECK_FALSE(out.at(1));
  CHECK_FALSE(run.group.party(3).take_output().ok());
}

TEST_CASE("a tampered envelope is blamed on its sender") {
  Run run;
  run.hub.add_fault(Fault::tamper(from_to(3, 1, 2), [](Envelope& e) { e.round = 1; }));
  auto out = run.go();
  INFO(describe(out.at(1)));
  CHECK(blames(out.at(1), {3}));
}

TEST_CASE("an equivocating broadcaster is named") {
  SECTION("three parties, unsigned") {
    Run run;
    run.hub.add_fault(Fault::equivocate(from_to(1, 3, 0)));
    auto out = run.go();
    INFO(describe(out.at(2)) << " / " << describe(out.at(3)));
    // Party 3 holds the proof (1's own echo contradicts its broadcast); party 2 alone can only
    // tell that 1 and 3 disagree and names nobody for that. Whichever finishes its check first
    // stops the other with its notice.
    REQUIRE_FALSE(out.at(2).ok());
    REQUIRE_FALSE(out.at(3).ok());
    const bool three_proves = blames(out.at(3), {1});
    const bool two_disputes = blames(out.at(2), {});
    CHECK((three_proves || two_disputes));
    CHECK((three_proves || out.at(3).error().message.find("aborted the session") != std::string::npos));
    CHECK((two_disputes || aborted_over(out.at(2), 1)));
  }
  SECTION("five parties, final round, signed") {
    Run run({1, 2, 3, 4, 5});
    run.hub.add_fault(Fault::equivocate(from_to(4, 2, 2)));
    run.hub.add_fault(Fault::equivocate(from_to(4, 5, 2)));
    SigningParties signing(run.group.ids);
    auto statuses = run_in_threads(run.hub, run.group.pointers(), run.group.session,
                                   signing.options(run.group.ids, quick_options(5000)));
    std::map<PartyId, Status> out;
    for (std::size_t i = 0; i < statuses.size(); ++i) out.emplace(run.group.ids[i], statuses[i]);
    // 2 and 5 receive a copy 4 did not sign and name it at once; their notices stop 1 and 3.
    for (PartyId p : {1u, 2u, 3u, 5u}) {
      INFO(describe(out.at(p)));
      CHECK(aborted_naming(out.at(p), {4}));
    }
    for (PartyId p : {1u, 2u, 3u, 5u}) CHECK_FALSE(run.group.party(p).take_output().ok());
  }
}

TEST_CASE("a message replayed from another session is blamed on its sender") {
  std::vector<RecordedMessage> earlier;
  {
    Run first;
    first.hub.set_recording(true);
    auto out = first.go();
    for (auto& [id, s] : out) REQUIRE(s);
    earlier = first.hub.recorded();
  }
  SECTION("the whole message: the engine sees the old session id") {
    Run run;
    run.hub.add_fault(Fault::replay(from_to(2, 3, 1), earlier));
    auto out = run.go();
    INFO(describe(out.at(3)));
    CHECK(blames(out.at(3), {2}));
    CHECK(out.at(3).error().message.find("another session") != std::string::npos);
    CHECK(run.hub.fault_hits()[0] == 1);
  }
  SECTION("only the payload: the protocol's session binding catches it") {
    Run run;
    run.hub.add_fault(Fault::replay(from_to(2, 3, 1), earlier, true));
    auto out = run.go();
    INFO(describe(out.at(3)));
    CHECK(blames(out.at(3), {2}));
    CHECK(out.at(3).error().message.find("commitment") != std::string::npos);
  }
}

TEST_CASE("dropped messages: a timeout names at most the party whose messages were lost") {
  Run run;
  MessageFilter f;
  f.from = 1;
  f.round = 1;
  run.hub.add_fault(Fault::drop(f));
  auto out = run.go(1000);
  // Party 1's round-1 broadcast is lost, so 2 and 3 never echo it and party 1 waits for their
  // echoes in turn: each side holds a true complaint about the other. Whoever times out first says
  // whom it waited for, and a party that said so is not named: 2 and 3 name party 1 or nobody,
  // never each other.
  for (PartyId p : {1u, 2u, 3u}) {
    INFO(describe(out.at(p)));
    REQUIRE_FALSE(out.at(p));
    CHECK(out.at(p).error().kind == ErrorKind::Timeout);
    if (p != 1) CHECK((out.at(p).error().culprits.empty() || out.at(p).error().culprits == std::vector<PartyId>{1}));
  }
}

TEST_CASE("messages lost to one party: that party names the sender") {
  Run run;
  run.hub.add_fault(Fault::drop(from_to(2, 1)));
  run.hub.add_fault(Fault::drop(from_to(3, 1)));
  auto out = run.go(1000);
  REQUIRE_FALSE(out.at(1));
  CHECK(out.at(1).error().kind == ErrorKind::Timeout);
  CHECK(out.at(1).error().culprits == std::vector<PartyId>{2, 3});
}

TEST_CASE("a crashed party: a timeout naming it") {
  Run run;
  run.hub.add_fault(Fault::crash(2, 1));
  auto out = run.go(1000);
  for (PartyId p : {1u, 3u}) {
    INFO(describe(out.at(p)));
    REQUIRE_FALSE(out.at(p));
    CHECK(out.at(p).error().kind == ErrorKind::Timeout);
    CHECK(out.at(p).error().culprits == std::vector<PartyId>{2});
  }
  CHECK(out.at(2).error().kind == ErrorKind::Transport);
}

TEST_CASE("a party aborts the session") {
  Run run;
  MessageFilter silent;
  silent.from = 3;
  run.hub.add_fault(Fault::drop(silent));  // keeps the session from finishing on its own
  AbortSignal stop;
  stop.request("operator cancelled the request");
  // Only party 1 gets the signal.
  std::vector<Status> out(3);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      EngineOptions o = quick_options(5000);
      if (i == 0) o.abort = &stop;
      auto* p = run.group.pointers()[i];
      out[i] = run_session(*p, run.hub.endpoint(p->self()), run.group.session, o);
    });
  }
  for (auto& t : threads) t.join();
  REQUIRE_FALSE(out[0]);
  CHECK(out[0].error().kind == ErrorKind::ProtocolAborted);
  CHECK(out[0].error().culprits.empty());
  for (std::size_t i : {1u, 2u}) {
    INFO(describe(out[i]));
    CHECK(blames(out[i], {1}));
    CHECK(out[i].error().message.find("operator cancelled") != std::string::npos);
  }
}

TEST_CASE("traffic from outside the session is ignored") {
  CoinTossGroup group({1, 2, 3});
  MemoryHub hub({1, 2, 3, 9});
  REQUIRE(hub.endpoint(9).send(2, Bytes{1, 2, 3}));
  REQUIRE(hub.endpoint(9).send(1, Bytes(100, 0)));
  EngineOptions o = quick_options(5000);
  auto out = run_in_threads(hub, group.pointers(), group.session, o);
  for (auto& s : out) CHECK(describe(s) == "ok");
  CHECK(group.all_agree());
}

TEST_CASE("the engine refuses a transport of another party") {
  CoinTossGroup group({1, 2});
  MemoryHub hub({1, 2});
  auto s = run_session(group.party(1), hub.endpoint(2), group.session);
  REQUIRE_FALSE(s);
  CHECK(s.error().kind == ErrorKind::InvalidInput);
}

TEST_CASE("the engine reports each party's traffic") {
  CoinTossGroup group({1, 2, 3});
  MemoryHub hub({1, 2, 3});
  MessageFilter from2;
  from2.from = 2;
  from2.round = 0;  // the copies land in the inbox before anything of later rounds
  hub.add_fault(Fault::duplicate(from2));
  std::map<PartyId, SessionStats> stats;
  for (PartyId p : group.ids) stats[p] = {};
  std::vector<std::thread> threads;
  std::map<PartyId, Status> out;
  for (PartyId p : group.ids) out.emplace(p, Status{});
  for (PartyId p : group.ids) {
    threads.emplace_back([&, p] {
      EngineOptions o = quick_options(5000);
      o.stats = &stats.at(p);
      out.at(p) = run_session(group.party(p), hub.endpoint(p), group.session, o);
    });
  }
  for (auto& t : threads) t.join();
  for (auto& [p, s] : out) REQUIRE(s);
  // Per peer: round 0, its echo, round 1, round 2 and its echo.
  CHECK(stats.at(1).messages_sent == 2 * 5);
  CHECK(stats.at(1).messages_received == 2 * 5 + 2);  // party 2's round-0 messages arrive twice
  CHECK(stats.at(1).duplicates_ignored + stats.at(1).stale_ignored == 2);
  CHECK(stats.at(3).bytes_received > stats.at(3).bytes_sent);
}

TEST_CASE("the hub refuses a recipient that is not another party") {
  MemoryHub hub({1, 2});
  for (PartyId to : {9u, 0u, 1u}) {
    auto s = hub.endpoint(1).send(to, Bytes{1, 2, 3});
    INFO(to);
    REQUIRE_FALSE(s);
    CHECK(s.error().kind == ErrorKind::InvalidInput);
    CHECK(s.error().message == "memory transport: no party " + std::to_string(to));
  }
  // Nothing arrived anywhere, least of all at the sender itself.
  auto soon = std::chrono::steady_clock::now() + milliseconds(20);
  CHECK_FALSE(hub.endpoint(1).receive(soon).value().has_value());
  CHECK(hub.endpoint(1).send(2, Bytes{4}));
  auto got = hub.endpoint(2).receive(std::chrono::steady_clock::now() + milliseconds(1000)).value();
  REQUIRE(got.has_value());
  CHECK(got->from == 1);
}
