// Composition of protocols (src/protocol/compose.hpp) on small toy protocols: sequence, parallel
// parts of different lengths, strict packing that names the sender of a bad payload, merged
// blame of both parallel parts, and the confirmation round.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "protocol/compose.hpp"
#include "tsign/core/random.hpp"
#include "tsign/testing/simulation.hpp"

using namespace tsign;
using tsign::testing::InFlight;
using tsign::testing::pointers;
using tsign::testing::run_protocols;
using tsign::testing::Tamper;

namespace {

// A toy protocol of `rounds` rounds: in each round every party broadcasts "<tag>:<self>:<round>"
// and, when `direct` is set, sends each other party "<tag>:<self>><to>:<round>". Every message
// must be exactly that (else its sender is blamed). The output is `base` plus the number of
// messages received.
class ToyState final : public ProtocolState<int> {
 public:
  ToyState(std::string tag, PartyId self, std::vector<PartyId> parties, std::size_t rounds, bool direct, int base)
      : tag_(std::move(tag)), self_(self), parties_(std::move(parties)), rounds_(rounds), direct_(direct), count_(base) {}

  Result<Outgoing> start() override { return messages(0); }
  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override {
    TSIGN_CHECK(check(round, in));
    return messages(round + 1);
  }
  Result<int> finish(const RoundMessages& in) override {
    TSIGN_CHECK(check(rounds_ - 1, in));
    return count_;
  }

  static Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }
  std::string broadcast_text(PartyId from, std::size_t round) const {
    return tag_ + ":" + std::to_string(from) + ":" + std::to_string(round);
  }
  std::string direct_text(PartyId from, PartyId to, std::size_t round) const {
    return tag_ + ":" + std::to_string(from) + ">" + std::to_string(to) + ":" + std::to_string(round);
  }

 private:
  Outgoing messages(std::size_t round) const {
    Outgoing out;
    out.push_back(broadcast(text(broadcast_text(self_, round))));
    if (direct_) {
      for (PartyId p : parties_) {
        if (p != self_) out.push_back(direct(p, text(direct_text(self_, p, round))));
      }
    }
    return out;
  }
  Status check(std::size_t round, const RoundMessages& in) {
    Blame blame;
    for (const auto& [sender, payload] : in.broadcast) {
      if (payload != text(broadcast_text(sender, round))) blame.add(sender, tag_ + ": wrong broadcast");
      ++count_;
    }
    for (const auto& [sender, payload] : in.direct) {
      if (payload != text(direct_text(sender, self_, round))) blame.add(sender, tag_ + ": wrong direct message");
      ++count_;
    }
    return blame.status(tag_);
  }

  std::string tag_;
  PartyId self_;
  std::vector<PartyId> parties_;
  std::size_t rounds_;
  bool direct_;
  int count_;
};

std::vector<PartyId> others(const std::vector<PartyId>& parties, PartyId self) {
  std::vector<PartyId> out;
  for (PartyId p : parties) {
    if (p != self) out.push_back(p);
  }
  return out;
}

std::unique_ptr<Protocol<int>> toy(const std::string& tag, PartyId self, const std::vector<PartyId>& parties,
                                   std::size_t rounds, bool direct, int base = 0) {
  RoundShape shape = RoundShape::uniform(rounds, others(parties, self), {true, direct});
  return std::make_unique<StateProtocol<int>>(tag, self, parties, std::move(shape),
                                              std::make_unique<ToyState>(tag, self, parties, rounds, direct, base));
}

using Pair = std::pair<int, int>;

std::unique_ptr<Protocol<Pair>> parallel(PartyId self, const std::vector<PartyId>& parties, std::size_t rounds_a,
                                         std::size_t rounds_b) {
  auto a = toy("a", self, parties, rounds_a, false);
  auto b = toy("b", self, parties, rounds_b, true);
  RoundShape shape = ParallelState<int, int>::shape(*a, *b);
  return std::make_unique<StateProtocol<Pair>>("parallel", self, parties, std::move(shape),
                                               std::make_unique<ParallelState<int, int>>(std::move(a), std::move(b), "parallel"));
}

// sequence(toy "a" of 2 rounds, toy "b" of 3 rounds whose base is a's output).
std::unique_ptr<Protocol<int>> sequence(PartyId self, const std::vector<PartyId>& parties) {
  auto a = toy("a", self, parties, 2, true);
  const RoundShape b_shape = RoundShape::uniform(3, others(parties, self), {true, false});
  RoundShape shape = SequenceState<int, int>::shape(*a, b_shape);
  SequenceState<int, int>::Next next = [self, parties](int&& out) -> Result<std::unique_ptr<Protocol<int>>> {
    return toy("b", self, parties, 3, false, out);
  };
  return std::make_unique<StateProtocol<int>>(
      "sequence", self, parties, std::move(shape),
      std::make_unique<SequenceState<int, int>>(std::move(a), b_shape, std::move(next)));
}

std::unique_ptr<Protocol<int>> confirmed(PartyId self, const std::vector<PartyId>& parties, const SessionId& session,
                                         int value) {
  RoundShape shape = ConfirmState<int>::shape(others(parties, self));
  return std::make_unique<StateProtocol<int>>("confirm", self, parties, std::move(shape),
                                              std::make_unique<ConfirmState<int>>(value, session, self, "confirm"));
}

// Runs the parties through the simulation harness; returns each party's status. A broadcast is
// altered in every copy alike wherever a test is about a composite's own checks (one altered copy
// would be the engine's echo step catching an equivocation instead).
template <class T>
std::map<PartyId, Status> run(std::vector<std::unique_ptr<Protocol<T>>>& parties, const Tamper& tamper = {}) {
  return run_protocols(pointers(parties), tamper).status;
}

const std::vector<PartyId> kParties{1, 2, 3};

}  // namespace

TEST_CASE("compose: a sequence runs the second protocol in the rounds after the first") {
  std::vector<std::unique_ptr<Protocol<int>>> parties;
  for (PartyId p : kParties) parties.push_back(sequence(p, kParties));
  CHECK(parties[0]->round_count() == 5);
  CHECK(parties[0]->expects_from(1, 2) == RoundSpec{true, true});
  CHECK(parties[0]->expects_from(2, 2) == RoundSpec{true, false});
  for (const auto& [id, s] : run(parties)) REQUIRE(s.ok());
  // a: 2 rounds of a broadcast and a direct message from each of 2 others; b: 3 rounds of broadcasts.
  for (auto& p : parties) CHECK(p->take_output().value() == 2 * 4 + 3 * 2);
}

TEST_CASE("compose: a sequence names the culprit of its second part") {
  std::vector<std::unique_ptr<Protocol<int>>> parties;
  for (PartyId p : kParties) parties.push_back(sequence(p, kParties));
  auto status = run(parties, [](InFlight& m) {
    if (m.round == 3 && m.from == 2) m.payload.back() ^= 1;  // b's broadcast, every copy
  });
  REQUIRE_FALSE(status.at(1).ok());
  CHECK(status.at(1).error().culprits == std::vector<PartyId>{2});
  CHECK_THAT(status.at(1).error().message, Catch::Contains("b: party 2: b: wrong broadcast"));
  CHECK_FALSE(parties[0]->take_output().ok());
  CHECK(parties[0]->failed());
}

TEST_CASE("compose: parallel parts of different lengths share rounds and both give output") {
  std::vector<std::unique_ptr<Protocol<Pair>>> parties;
  for (PartyId p : kParties) parties.push_back(parallel(p, kParties, 2, 4));
  CHECK(parties[0]->round_count() == 4);
  CHECK(parties[0]->expects_from(1, 3) == RoundSpec{true, true});
  CHECK(parties[0]->expects_from(3, 3) == RoundSpec{true, true});
  for (const auto& [id, s] : run(parties)) REQUIRE(s.ok());
  for (auto& p : parties) CHECK(p->take_output().value() == Pair{2 * 2, 4 * 4});
  // The shorter part may be the second one as well.
  std::vector<std::unique_ptr<Protocol<Pair>>> swapped;
  for (PartyId p : kParties) swapped.push_back(parallel(p, kParties, 3, 1));
  for (const auto& [id, s] : run(swapped)) REQUIRE(s.ok());
  for (auto& p : swapped) CHECK(p->take_output().value() == Pair{3 * 2, 1 * 4});
}

TEST_CASE("compose: a tampered packed payload names its sender") {
  // Byte 0 the tag, byte 1 the flags, then the length of the first part.
  for (std::size_t offset : {0u, 1u, 2u, 5u}) {
    for (bool as_broadcast : {true, false}) {
      INFO("offset " << offset << (as_broadcast ? " broadcast" : " direct"));
      std::vector<std::unique_ptr<Protocol<Pair>>> parties;
      for (PartyId p : kParties) parties.push_back(parallel(p, kParties, 2, 3));
      auto status = run(parties, [&](InFlight& m) {
        // A broadcast is altered in every copy, a direct message in the one to party 1.
        if (m.round == 1 && m.from == 3 && m.broadcast == as_broadcast && (as_broadcast || m.to == 1)) {
          m.payload[offset] ^= 1;
        }
      });
      REQUIRE_FALSE(status.at(1).ok());
      CHECK(status.at(1).error().kind == ErrorKind::ProtocolAborted);
      CHECK(status.at(1).error().culprits == std::vector<PartyId>{3});
      CHECK_FALSE(parties[0]->take_output().ok());
    }
  }
  // A trailing byte and a part the round does not have are refused too.
  for (int variant = 0; variant < 2; ++variant) {
    std::vector<std::unique_ptr<Protocol<Pair>>> parties;
    for (PartyId p : kParties) parties.push_back(parallel(p, kParties, 1, 3));
    auto status = run(parties, [&](InFlight& m) {
      if (m.round != 2 || m.from != 2 || !m.broadcast) return;  // every copy
      if (variant == 0) m.payload.push_back(0);
      if (variant == 1) {
        const Bytes extra = ToyState::text("a:2:2");
        m.payload = compose_detail::pack_parts(&extra, nullptr);  // a's part in a round a does not have
      }
    });
    REQUIRE_FALSE(status.at(3).ok());
    CHECK(status.at(3).error().culprits == std::vector<PartyId>{2});
  }
}

TEST_CASE("compose: faults in both parallel parts of a round name both culprits") {
  std::vector<std::unique_ptr<Protocol<Pair>>> parties;
  for (PartyId p : kParties) parties.push_back(parallel(p, kParties, 2, 2));
  auto status = run(parties, [](InFlight& m) {
    if (m.round != 0 || !m.broadcast) return;  // every copy
    // The packed broadcast: tag, flags, u32 length of a's part, a's part, u32 length, b's part.
    if (m.from == 2) m.payload[6] ^= 1;          // the first byte of a's part
    if (m.from == 3) m.payload.back() ^= 1;      // the last byte of b's part
  });
  REQUIRE_FALSE(status.at(1).ok());
  CHECK(status.at(1).error().culprits == std::vector<PartyId>{2, 3});
  CHECK_THAT(status.at(1).error().message, Catch::Contains("a: wrong broadcast"));
  CHECK_THAT(status.at(1).error().message, Catch::Contains("b: wrong broadcast"));
}

TEST_CASE("compose: the confirmation round") {
  const SessionId session = random_array<32>();
  SECTION("every party confirms: the held value is released") {
    std::vector<std::unique_ptr<Protocol<int>>> parties;
    for (PartyId p : kParties) parties.push_back(confirmed(p, kParties, session, 7));
    for (const auto& [id, s] : run(parties)) REQUIRE(s.ok());
    for (auto& p : parties) CHECK(p->take_output().value() == 7);
  }
  SECTION("a missing confirmation names its sender and nothing is released") {
    std::vector<std::unique_ptr<Protocol<int>>> parties;
    for (PartyId p : kParties) parties.push_back(confirmed(p, kParties, session, 7));
    auto status = run(parties, [](InFlight& m) {
      if (m.from == 2) m.deliver = false;
    });
    for (PartyId p : {1u, 3u}) {
      REQUIRE_FALSE(status.at(p).ok());
      CHECK(status.at(p).error().culprits == std::vector<PartyId>{2});
    }
    CHECK_FALSE(parties[0]->take_output().ok());
    CHECK_FALSE(parties[2]->take_output().ok());
  }
  SECTION("a confirmation of another session or sender names its sender") {
    for (int variant = 0; variant < 2; ++variant) {
      std::vector<std::unique_ptr<Protocol<int>>> parties;
      for (PartyId p : kParties) parties.push_back(confirmed(p, kParties, session, 7));
      // The same forged confirmation in every copy.
      const Bytes forged = variant == 0 ? compose_detail::confirmation(random_array<32>(), 3)
                                        : compose_detail::confirmation(session, 1);
      auto status = run(parties, [&](InFlight& m) {
        if (m.from == 3) m.payload = forged;
      });
      for (PartyId p : {1u, 2u}) {
        REQUIRE_FALSE(status.at(p).ok());
        CHECK(status.at(p).error().culprits == std::vector<PartyId>{3});
      }
    }
  }
}

TEST_CASE("compose: the composite shapes") {
  const auto a = toy("a", 1, kParties, 2, false);
  const auto b = toy("b", 1, kParties, 3, true);
  const RoundShape both = ParallelState<int, int>::shape(*a, *b);
  CHECK(both.round_count() == 3);
  CHECK(both.expects_from(0, 2) == RoundSpec{true, true});
  CHECK(both.expects_from(2, 3) == RoundSpec{true, true});
  const RoundShape seq = SequenceState<int, int>::shape(*a, b->shape());
  CHECK(seq.round_count() == 5);
  CHECK(seq.expects_from(1, 2) == RoundSpec{true, false});
  CHECK(seq.expects_from(2, 2) == RoundSpec{true, true});
  CHECK(ConfirmState<int>::shape({2, 3}).expects_from(0, 3) == RoundSpec{true, false});
}

TEST_CASE("compose: a round checked individually keeps that through composition") {
  const std::vector<PartyId> others{2, 3};
  RoundShape last_alone = RoundShape::uniform(2, others, {true, false}).checked_individually(1);
  CHECK(last_alone.needs_agreement(0));
  CHECK_FALSE(last_alone.needs_agreement(1));
  CHECK(last_alone.needs_agreement(2));  // past the end: the safe answer

  const RoundShape seq = RoundShape::uniform(1, others, {true, false}).then(last_alone);
  CHECK(seq.needs_agreement(0));
  CHECK(seq.needs_agreement(1));
  CHECK_FALSE(seq.needs_agreement(2));

  // Beside a part whose broadcasts of that round need agreement, the round needs it.
  CHECK(last_alone.alongside(RoundShape::uniform(2, others, {true, false})).needs_agreement(1));
  // Beside a part that sends only direct messages then, or has ended, it still does not.
  CHECK_FALSE(last_alone.alongside(RoundShape::uniform(2, others, {false, true})).needs_agreement(1));
  CHECK_FALSE(last_alone.alongside(RoundShape::uniform(1, others, {true, false})).needs_agreement(1));
}
