#pragma once
// Helpers shared by the OT tests: a complete setup between two parties, through the wire format.
#include <catch2/catch.hpp>

#include <functional>

#include "tsign/core/random.hpp"
#include "ot/setup.hpp"

namespace tsign::ot::test {

struct SetupPair {
  OtSenderSetup sender;
  OtReceiverSetup receiver;
};

inline SetupPair run_setup(PartyId sender, PartyId receiver) {
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, sender, receiver};
  auto r1 = SetupReceiver::start(session);
  REQUIRE(r1.ok());
  auto m1 = SetupMsg1::decode(r1->second.encode(), receiver);
  REQUIRE(m1.ok());
  auto s2 = SetupSender::respond(session, *m1);
  REQUIRE(s2.ok());
  auto m2 = SetupMsg2::decode(s2->second.encode(), sender);
  REQUIRE(m2.ok());
  auto r3 = std::move(r1->first).finish(*m2);
  REQUIRE(r3.ok());
  auto m3 = SetupMsg3::decode(r3->second.encode(), receiver);
  REQUIRE(m3.ok());
  auto s3 = std::move(s2->first).finish(*m3);
  REQUIRE(s3.ok());
  return {std::move(*s3), std::move(r3->first)};
}

// The reverse direction of a set-up pair (forward.receiver's party becomes the sender), built
// from the forward pair through the wire format.
inline SetupPair run_reverse_setup(SetupPair& forward) {
  const PartyId sender = forward.receiver.self(), receiver = forward.receiver.peer();
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, sender, receiver};
  auto started = SetupSender::reverse(forward.receiver, session);
  REQUIRE(started.ok());
  auto ext = ExtensionMsg::decode(started->second.encode(), kBaseOts, sender);
  REQUIRE(ext.ok());
  auto grown = SetupReceiver::reverse(forward.sender, session, *ext);
  REQUIRE(grown.ok());
  auto m3 = SetupMsg3::decode(grown->second.encode(), receiver);
  REQUIRE(m3.ok());
  auto finished = std::move(started->first).finish(*m3);
  REQUIRE(finished.ok());
  return {std::move(*finished), std::move(grown->first)};
}

// A forward setup whose message 3 `corrupt` changes before the sender finishes with it.
struct CorruptedSetup {
  Result<OtSenderSetup> sender;
  Result<std::pair<OtReceiverSetup, SetupMsg3>> receiver;
};

inline CorruptedSetup setup_with_message3(PartyId sender, PartyId receiver,
                                          const std::function<void(SetupMsg3&)>& corrupt) {
  const PairSession session{random_bytes(32), sender, receiver};
  auto r1 = SetupReceiver::start(session);
  REQUIRE(r1.ok());
  auto s2 = SetupSender::respond(session, r1->second);
  REQUIRE(s2.ok());
  auto r3 = std::move(r1->first).finish(s2->second);
  REQUIRE(r3.ok());
  SetupMsg3 msg = r3->second;
  corrupt(msg);
  auto finished = std::move(s2->first).finish(msg);
  return {std::move(finished), std::move(r3)};
}

}  // namespace tsign::ot::test
