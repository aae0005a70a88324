// The engine's core without threads or clocks: messages are delivered by hand, in any order.
#include <catch2/catch.hpp>

#include <random>

#include "net_fixture.hpp"
#include "session_network.hpp"
#include "tsign/net/protocol_session.hpp"

using namespace tsign;
using namespace tsign::test;


TEST_CASE("any delivery order reaches the same value") {
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    std::vector<PartyId> ids = seed % 2 ? std::vector<PartyId>{1, 2, 3} : std::vector<PartyId>{2, 5, 7, 11};
    Network net(ids);
    std::mt19937 rng(seed);
    net.start();
    net.run(rng);
    INFO("seed " << seed);
    CHECK(net.outcome.empty());
    for (auto& [id, s] : net.sessions) CHECK(s->finished());
    CHECK(net.group.all_agree());
  }
}

TEST_CASE("a two-party session works and counts its traffic") {
  Network net({4, 9});
  std::mt19937 rng(7);
  net.start();
  net.run(rng);
  CHECK(net.group.all_agree());
  const auto& stats = net.sessions.at(4)->stats();
  // Three rounds, and no echo step between two parties: three messages each way.
  CHECK(stats.messages_sent == 3);
  CHECK(stats.messages_received == 3);
  CHECK(stats.bytes_sent > 0);
}

TEST_CASE("messages from later steps wait until their step") {
  Network net({1, 2, 3});
  net.start();
  // Hold back everything party 1 sent to party 3 and let the rest run.
  std::vector<InFlight> held;
  for (auto it = net.wire.begin(); it != net.wire.end();) {
    if (it->from == 1 && it->to == 3) {
      held.push_back(std::move(*it));
      it = net.wire.erase(it);
    } else {
      ++it;
    }
  }
  while (!net.wire.empty()) {
    InFlight m = std::move(net.wire.front());
    net.wire.erase(net.wire.begin());
    if (m.from == 1 && m.to == 3) {
      held.push_back(std::move(m));
      continue;
    }
    net.deliver(std::move(m));
  }
  // Party 3 holds the echoes and later rounds of party 2 but is still in round 0.
  CHECK(net.sessions.at(3)->step_name() == "round 0");
  CHECK(net.sessions.at(3)->missing() == std::vector<PartyId>{1});
  std::mt19937 rng(3);
  for (auto& m : held) net.wire.push_back(std::move(m));
  net.run(rng);
  CHECK(net.outcome.empty());
  CHECK(net.group.all_agree());
}

TEST_CASE("missing() and timeout_error() name exactly who is late") {
  Network net({1, 2, 3});
  net.start();
  // Deliver only party 2's round-0 broadcast to party 1.
  net.deliver(net.take([](const InFlight& m) { return m.from == 2 && m.to == 1; }));
  auto& s1 = *net.sessions.at(1);
  CHECK(s1.missing() == std::vector<PartyId>{3});
  Error e = s1.timeout_error("note");
  CHECK(e.kind == ErrorKind::Timeout);
  CHECK(e.culprits == std::vector<PartyId>{3});
  CHECK(e.message.find("round 0") != std::string::npos);
  CHECK(e.message.find("note") != std::string::npos);
}

TEST_CASE("duplicates are ignored, conflicting copies blamed") {
  Network net({1, 2, 3});
  net.start();
  InFlight m = net.take([](const InFlight& x) { return x.from == 2 && x.to == 1; });
  net.deliver(m);
  net.deliver(m);
  CHECK(net.outcome.empty());
  CHECK(net.sessions.at(1)->stats().duplicates_ignored == 1);
  Envelope e = open(m);
  e.payload.back() ^= 1;
  net.deliver({2, 1, encode_envelope(e)});
  REQUIRE(net.outcome.count(1));
  CHECK(net.outcome.at(1).error().culprits == std::vector<PartyId>{2});
}

TEST_CASE("engine rules blame the authenticated sender") {
  using Edit = std::function<void(Envelope&)>;
  struct Case {
    const char* name;
    Edit edit;
    const char* expect;
  };
  std::vector<Case> cases = {
      {"wrong session", [](Envelope& e) { e.session[0] ^= 1; }, "another session"},
      {"wrong protocol", [](Envelope& e) { e.protocol = "other"; }, "protocol 'other'"},
      {"impersonation", [](Envelope& e) { e.sender = 3; }, "claiming to come from party 3"},
      {"misaddressed", [](Envelope& e) { e.recipient = 3; }, "addressed to party 3"},
      {"round out of range", [](Envelope& e) { e.round = 9; }, "round 9 of a 3-round"},
      {"direct where a broadcast is due", [](Envelope& e) { e.recipient = 1; }, "where a broadcast is due"},
      {"echo sent to one party", [](Envelope& e) { e.kind = MessageKind::Echo; e.round = 1; e.recipient = 1; }, "echo to one party"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      Network net({1, 2, 3});
      net.start();
      InFlight m = net.take([](const InFlight& x) { return x.from == 2 && x.to == 1; });
      Envelope e = open(m);
      c.edit(e);
      net.deliver({2, 1, encode_envelope(e)});
      REQUIRE(net.outcome.count(1));
      const Error& err = net.outcome.at(1).error();
      INFO(err.describe());
      CHECK(err.kind == ErrorKind::ProtocolAborted);
      CHECK(err.culprits == std::vector<PartyId>{2});
      CHECK(err.message.find(c.expect) != std::string::npos);
      CHECK(net.sessions.at(1)->failed());
      CHECK_FALSE(net.sessions.at(1)->stopped_by_peer());
    }
  }
  SECTION("undecodable bytes") {
    Network net({1, 2, 3});
    net.start();
    net.deliver({2, 1, Bytes{1, 2, 3}});
    CHECK(net.outcome.at(1).error().culprits == std::vector<PartyId>{2});
  }
  SECTION("unknown senders are ignored") {
    Network net({1, 2, 3});
    net.start();
    InFlight m = net.take([](const InFlight& x) { return x.from == 2 && x.to == 1; });
    net.deliver({8, 1, m.data});
    net.deliver({1, 1, m.data});
    CHECK(net.outcome.empty());
    CHECK(net.sessions.at(1)->stats().unknown_ignored == 2);
  }
}

TEST_CASE("a direct message sent as a broadcast is a mix-up") {
  Network net({1, 2, 3});
  std::mt19937 rng(5);
  net.start();
  // Run round 0 and its echo everywhere, then turn 2's round-1 opening to 1 into a broadcast.
  while (true) {
    auto it = std::find_if(net.wire.begin(), net.wire.end(), [](const InFlight& m) { return open(m).round == 0; });
    if (it == net.wire.end()) break;
    InFlight m = std::move(*it);
    net.wire.erase(it);
    net.deliver(std::move(m));
  }
  InFlight m = net.take([](const InFlight& x) { return x.from == 2 && x.to == 1 && open(x).round == 1; });
  Envelope e = open(m);
  e.recipient = kBroadcastRecipient;
  net.deliver({2, 1, encode_envelope(e)});
  REQUIRE(net.outcome.count(1));
  CHECK(net.outcome.at(1).error().culprits == std::vector<PartyId>{2});
  CHECK(net.outcome.at(1).error().message.find("where a direct message is due") != std::string::npos);
}

TEST_CASE("echo step: misreports and equivocation") {
  Network net({1, 2, 3});
  net.start();
  // Deliver every round-0 broadcast.
  for (PartyId to : {1u, 2u, 3u}) {
    for (PartyId from : {1u, 2u, 3u}) {
      if (from == to) continue;
      net.deliver(net.take([&](const InFlight& x) { return x.from == from && x.to == to; }));
    }
  }
  SECTION("an echo that misreports this party's own broadcast blames the echoer") {
    InFlight echo = net.take([](const InFlight& x) { return x.from == 3 && x.to == 1 && open(x).kind == MessageKind::Echo; });
    Envelope e = open(echo);
    e.payload[4 + 4] ^= 1;  // first entry is party 1's hash: count u32, sender u32, hash, signature
    net.deliver(net.take([](const InFlight& x) { return x.from == 2 && x.to == 1; }));
    net.deliver({3, 1, encode_envelope(e)});
    CHECK(blames(net.outcome.at(1), {3}));
  }
  SECTION("a broadcaster whose echo contradicts its broadcast is an equivocator") {
    InFlight echo = net.take([](const InFlight& x) { return x.from == 2 && x.to == 1 && open(x).kind == MessageKind::Echo; });
    Envelope e = open(echo);
    e.payload[4 + 100 + 4] ^= 1;  // second entry: party 2's own hash
    net.deliver(net.take([](const InFlight& x) { return x.from == 3 && x.to == 1; }));
    net.deliver({2, 1, encode_envelope(e)});
    CHECK(blames(net.outcome.at(1), {2}));
    CHECK(net.outcome.at(1).error().message.find("equivocation") != std::string::npos);
  }
  SECTION("unsigned: a third party's different copy ends the session naming nobody") {
    InFlight echo = net.take([](const InFlight& x) { return x.from == 3 && x.to == 1 && open(x).kind == MessageKind::Echo; });
    Envelope e = open(echo);
    e.payload[4 + 100 + 4] ^= 1;  // party 3 reports a different copy of party 2's broadcast
    net.deliver(net.take([](const InFlight& x) { return x.from == 2 && x.to == 1; }));
    net.deliver({3, 1, encode_envelope(e)});
    REQUIRE(net.outcome.count(1));
    CHECK(net.outcome.at(1).error().kind == ErrorKind::ProtocolAborted);
    CHECK(net.outcome.at(1).error().culprits.empty());
    CHECK(net.outcome.at(1).error().message.find("nobody is named") != std::string::npos);
  }
  SECTION("an echo listing the wrong broadcasters is malformed") {
    InFlight echo = net.take([](const InFlight& x) { return x.from == 3 && x.to == 1 && open(x).kind == MessageKind::Echo; });
    Envelope e = open(echo);
    e.payload.resize(4 + 100 * 2);
    e.payload[3] = 2;
    net.deliver(net.take([](const InFlight& x) { return x.from == 2 && x.to == 1; }));
    net.deliver({3, 1, encode_envelope(e)});
    CHECK(blames(net.outcome.at(1), {3}));
  }
}

TEST_CASE("an abort notice over another party's fault stops the session and names nobody") {
  // Party 2 may be an honest party that found party 3's bad share, or a liar framing 3: party 1
  // cannot tell, so it names neither.
  Network net({1, 2, 3});
  net.start();
  auto notices = net.sessions.at(2)->abort_packets(make_error(ErrorKind::ProtocolAborted, "bad share", {3}));
  REQUIRE(notices.size() == 2);
  for (auto& p : notices) {
    if (p.to == 1) net.deliver({2, 1, p.data});
  }
  const Error& e = net.outcome.at(1).error();
  CHECK(e.kind == ErrorKind::ProtocolAborted);
  CHECK(e.culprits.empty());
  CHECK(e.message.find("party 2 aborted the session") != std::string::npos);
  CHECK(e.message.find("bad share") != std::string::npos);
  CHECK(e.message.find("blames parties 3") != std::string::npos);
  CHECK(net.sessions.at(1)->stopped_by_peer());
}

TEST_CASE("an abort notice on its sender's own account names the sender") {
  Network net({1, 2, 3});
  net.start();
  const Error reason = GENERATE(make_error(ErrorKind::Storage, "disk full"), make_error(ErrorKind::PolicyDenied, "over the daily limit"),
                                make_error(ErrorKind::ProtocolAborted, "aborted locally: operator"));
  for (auto& p : net.sessions.at(2)->abort_packets(reason, reason.kind == ErrorKind::ProtocolAborted)) {
    if (p.to == 1) net.deliver({2, 1, p.data});
  }
  const Error& e = net.outcome.at(1).error();
  CHECK(e.kind == ErrorKind::ProtocolAborted);
  CHECK(e.culprits == std::vector<PartyId>{2});
}

TEST_CASE("a protocol that emits malformed rounds is an internal error") {
  struct TwoBroadcasts final : RoundProtocol {
    std::vector<PartyId> ids{1, 2};
    std::string_view name() const override { return "bad"; }
    PartyId self() const override { return 1; }
    const std::vector<PartyId>& parties() const override { return ids; }
    std::size_t round_count() const override { return 1; }
    RoundSpec expects_from(std::size_t, PartyId) const override { return {true, false}; }
    Result<std::vector<OutgoingMessage>> start() override {
      return std::vector<OutgoingMessage>{{std::nullopt, {1}}, {std::nullopt, {2}}};
    }
    Result<std::vector<OutgoingMessage>> advance(std::size_t, const RoundMessages&) override {
      return std::vector<OutgoingMessage>{};
    }
  } bad;
  ProtocolSession s(bad, random_session_id());
  auto out = s.start();
  REQUIRE_FALSE(out);
  CHECK(out.error().kind == ErrorKind::Internal);
}

TEST_CASE("echo step: unsigned - a broadcast disputed by two echoers names nobody") {
  Network net({1, 2, 3, 4});
  net.start();
  for (PartyId to : {1u, 2u, 3u, 4u}) {
    for (PartyId from : {1u, 2u, 3u, 4u}) {
      if (from != to) net.deliver(net.take([&](const InFlight& x) { return x.from == from && x.to == to; }));
    }
  }
  // Echoes of 3 and 4 both report another copy of party 2's broadcast (entry 2: index 1).
  for (PartyId echoer : {3u, 4u}) {
    InFlight echo = net.take([&](const InFlight& x) {
      return x.from == echoer && x.to == 1 && open(x).kind == MessageKind::Echo;
    });
    Envelope e = open(echo);
    e.payload[4 + 100 + 4] ^= 1;
    net.deliver({echoer, 1, encode_envelope(e)});
  }
  net.deliver(net.take([](const InFlight& x) { return x.from == 2 && x.to == 1 && open(x).kind == MessageKind::Echo; }));
  // Two colluders could frame an honest broadcaster this way: without signatures nobody is named.
  INFO(describe(net.outcome.at(1)));
  REQUIRE(net.outcome.count(1));
  CHECK(net.outcome.at(1).error().culprits.empty());
}

namespace {

// A one-round protocol between two parties whose every step the test decides.
class Scripted final : public RoundProtocol {
 public:
  Scripted(PartyId self, std::vector<PartyId> ids, RoundSpec spec) : self_(self), ids_(std::move(ids)), spec_(spec) {}
  std::string_view name() const override { return "test/scripted"; }
  PartyId self() const override { return self_; }
  const std::vector<PartyId>& parties() const override { return ids_; }
  std::size_t round_count() const override { return 1; }
  RoundSpec expects_from(std::size_t, PartyId) const override { return spec_; }
  Result<std::vector<OutgoingMessage>> start() override {
    if (start_error) return *start_error;
    std::vector<OutgoingMessage> out;
    if (spec_.direct) {
      for (PartyId p : ids_) {
        if (p != self_) out.push_back({p, Bytes{7}});
      }
    }
    return out;
  }
  Result<std::vector<OutgoingMessage>> advance(std::size_t, const RoundMessages&) override {
    ++advances;
    if (advance_error) return *advance_error;
    return std::vector<OutgoingMessage>{};
  }

  std::optional<Error> start_error;
  std::optional<Error> advance_error;
  int advances = 0;

 private:
  PartyId self_;
  std::vector<PartyId> ids_;
  RoundSpec spec_;
};

}  // namespace

TEST_CASE("a session refuses a protocol of the wrong shape before starting it") {
  Scripted not_a_party(5, {1, 2}, {false, true});
  ProtocolSession s(not_a_party, random_session_id());
  auto out = s.start();
  REQUIRE_FALSE(out);
  CHECK(out.error().kind == ErrorKind::InvalidInput);
  CHECK(out.error().message == "protocol setup: self is not a party");
  CHECK(s.failed());
}

TEST_CASE("a protocol that fails to start fails the session") {
  Scripted p(1, {1, 2}, {false, true});
  p.start_error = make_error(ErrorKind::InvalidInput, "scripted start refusal");
  ProtocolSession s(p, random_session_id());
  auto out = s.start();
  REQUIRE_FALSE(out);
  CHECK(out.error().message == "scripted start refusal");
  CHECK(s.failed());
  CHECK(p.advances == 0);
}

TEST_CASE("a first round that needs no messages and fails fails the session at start") {
  Scripted p(1, {1, 2}, {false, false});
  p.advance_error = make_error(ErrorKind::ProtocolAborted, "scripted round refusal", {2});
  ProtocolSession s(p, random_session_id());
  auto out = s.start();
  REQUIRE_FALSE(out);
  CHECK(out.error().message == "scripted round refusal");
  CHECK(out.error().culprits == std::vector<PartyId>{2});
  CHECK(s.failed());
  CHECK(p.advances == 1);
}

TEST_CASE("a round that fails on a received message fails the session") {
  const SessionId sid = random_session_id();
  Scripted p1(1, {1, 2}, {false, true}), p2(2, {1, 2}, {false, true});
  p1.advance_error = make_error(ErrorKind::ProtocolAborted, "scripted blame of party 2", {2});
  ProtocolSession s1(p1, sid), s2(p2, sid);
  REQUIRE(s1.start());
  auto from2 = s2.start();
  REQUIRE(from2);
  REQUIRE(from2->size() == 1);
  auto out = s1.receive(2, from2->front().data);
  REQUIRE_FALSE(out);
  CHECK(out.error().message == "scripted blame of party 2");
  CHECK(out.error().culprits == std::vector<PartyId>{2});
  CHECK(s1.failed());
  // A failed session takes nothing more.
  CHECK(s1.receive(2, from2->front().data).value().empty());
  CHECK(p1.advances == 1);
}

TEST_CASE("an early echo for a round without broadcasts blames only the echoer") {
  Network net({1, 2, 3});
  net.start();
  // Hold back the round-0 echoes addressed to party 1 and let the rest run: parties 2 and 3 move
  // on and send party 1 their round-1 direct messages, which it stores for later.
  std::vector<InFlight> held;
  while (!net.wire.empty()) {
    InFlight m = std::move(net.wire.front());
    net.wire.erase(net.wire.begin());
    if (m.to == 1 && open(m).kind == MessageKind::Echo) {
      held.push_back(std::move(m));
      continue;
    }
    net.deliver(std::move(m));
  }
  REQUIRE(net.outcome.empty());
  REQUIRE(held.size() == 2);
  CHECK(net.sessions.at(1)->step_name() == "echo of round 0");
  // Party 3 also sends an echo for round 1, which has no broadcast.
  auto from3 = std::find_if(held.begin(), held.end(), [](const InFlight& m) { return m.from == 3; });
  REQUIRE(from3 != held.end());
  Envelope e = open(*from3);
  e.round = 1;
  net.deliver({3, 1, encode_envelope(e)});
  REQUIRE(net.outcome.empty());
  for (auto& m : held) net.deliver(std::move(m));
  REQUIRE(net.outcome.count(1));
  const Error& err = net.outcome.at(1).error();
  INFO(err.describe());
  CHECK(err.kind == ErrorKind::ProtocolAborted);
  CHECK(err.culprits == std::vector<PartyId>{3});
  CHECK(err.message == "echo received for round 1, which carries no broadcast");
}
