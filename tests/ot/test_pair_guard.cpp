// One abort state per OT pair for every copy of it: clones, decodes of an older encoding and
// states on other threads all see a failed check at once (include/tsign/ot/pair_guard.hpp).
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "ot/extension.hpp"
#include "ot/extension_core.hpp"
#include "ot/multiply.hpp"
#include "ot/multiply_core.hpp"
#include "ot/session_digest.hpp"
#include "ot_test_support.hpp"

using namespace tsign;
using namespace tsign::ot;
namespace otd = tsign::ot::detail;

namespace {

constexpr PartyId kS = 4, kR = 9;

// A receiver that flips its choice in one row of an extension: the probe that, answered once per
// copy of the sender's state, would reveal Δ a bit at a time.
Result<ExtensionSenderOutput> probe_sender(OtSenderSetup& sender, const OtReceiverSetup& receiver, std::size_t row) {
  const Bytes sid = random_bytes(16);
  const PairSession session{sid, kS, kR};
  const Digest32 digest = otd::session_digest("OT extension", session);
  auto deviating = otd::extend_receiver_deviating(receiver, digest, 416, otd::ReceiverDeviation{row});
  REQUIRE(deviating.ok());
  return extend_sender(sender, session, ExtensionMsg{otd::session_tag(digest), 416, deviating->second});
}

void expect_disabled(const Status& refused, PartyId peer) {
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::ProtocolAborted);
  CHECK(refused.error().culprits == std::vector<PartyId>{peer});
  CHECK(refused.error().message.find("disabled by an earlier failed check") != std::string::npos);
}

Status status_of(const auto& result) { return result.ok() ? Status{} : Status{result.error()}; }

}  // namespace

TEST_CASE("OT pair guard: a failed extension check on one clone disables every copy of the sender state") {
  auto pair = test::run_setup(kS, kR);
  const SecretBytes encoded_before = pair.sender.encode();
  std::vector<OtSenderSetup> clones;
  for (int i = 0; i < 8; ++i) clones.push_back(pair.sender.clone());

  // The first probe is caught (the leak DKLs23 budgets for: one check, at most one bit or two).
  auto caught = probe_sender(clones[0], pair.receiver, 17);
  REQUIRE_FALSE(caught.ok());
  CHECK(caught.error().message.find("consistency check failed") != std::string::npos);

  // Every other copy refuses the next probe before Δ meets it: no second bit.
  for (std::size_t i = 1; i < clones.size(); ++i) {
    INFO(i);
    expect_disabled(status_of(probe_sender(clones[i], pair.receiver, 17 + i)), kR);
  }
  // So do the original, an honest message, and a decode of the encoding taken before the failure.
  CHECK(pair.sender.poisoned());
  const Bytes sid = random_bytes(16);
  auto honest = extend_receiver(pair.receiver, PairSession{sid, kS, kR}, 416);
  REQUIRE(honest.ok());
  expect_disabled(status_of(extend_sender(pair.sender, PairSession{sid, kS, kR}, honest->second)), kR);
  auto restored = OtSenderSetup::decode(encoded_before.expose());
  REQUIRE(restored.ok());
  CHECK(restored->poisoned());
  expect_disabled(status_of(probe_sender(*restored, pair.receiver, 40)), kR);
}

TEST_CASE("OT pair guard: copies on other threads stop after the first failure") {
  auto pair = test::run_setup(kS, kR);
  std::vector<OtSenderSetup> clones;
  for (int i = 0; i < 6; ++i) clones.push_back(pair.sender.clone());
  std::vector<int> consistency_failures(clones.size(), 0);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < clones.size(); ++i) {
    threads.emplace_back([&, i] {
      const Bytes sid = random_bytes(16);
      const PairSession session{sid, kS, kR};
      const Digest32 digest = otd::session_digest("OT extension", session);
      auto deviating = otd::extend_receiver_deviating(pair.receiver, digest, 416, otd::ReceiverDeviation{3 + i});
      if (!deviating.ok()) return;
      auto r = extend_sender(clones[i], session, ExtensionMsg{otd::session_tag(digest), 416, deviating->second});
      if (!r.ok() && r.error().message.find("consistency check failed") != std::string::npos) consistency_failures[i] = 1;
    });
  }
  for (auto& t : threads) t.join();
  // Checks that ran concurrently with the first may each fail, but none starts after it.
  int failed = 0;
  for (int f : consistency_failures) failed += f;
  CHECK(failed >= 1);
  CHECK(pair.sender.poisoned());
  expect_disabled(status_of(probe_sender(clones.back(), pair.receiver, 100)), kR);
}

TEST_CASE("OT pair guard: a failed multiplication check on one clone disables every copy of the receiver state") {
  auto pair = test::run_setup(kS, kR);
  const SecretBytes encoded_before = pair.receiver.encode();
  OtReceiverSetup twin = pair.receiver.clone();
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, kS, kR};
  auto started = MulReceiver::start(pair.receiver, session, 1);
  REQUIRE(started.ok());
  otd::SenderDeviation dev;
  for (std::size_t j = 0; j < kMulOts; ++j) dev.shifted_rows.push_back(j);
  auto sent = otd::mul_sender_respond_deviating(pair.sender, session, std::vector{Secp256k1Scalar::random()},
                                                started->second, dev);
  REQUIRE(sent.ok());
  auto finished = std::move(started->first).finish(pair.receiver, sent->response);
  REQUIRE_FALSE(finished.ok());
  CHECK(finished.error().message.find("multiplication check (mu) failed") != std::string::npos);

  const Bytes sid2 = random_bytes(32);
  expect_disabled(status_of(MulReceiver::start(twin, PairSession{sid2, kS, kR}, 1)), kS);
  auto restored = OtReceiverSetup::decode(encoded_before.expose());
  REQUIRE(restored.ok());
  expect_disabled(status_of(MulReceiver::start(*restored, PairSession{sid2, kS, kR}, 1)), kS);
}

TEST_CASE("OT pair guard: states of other pairs and honest runs are not affected") {
  auto victim = test::run_setup(kS, kR);
  auto other = test::run_setup(kS, kR);  // same parties, fresh seeds: another pair state
  REQUIRE_FALSE(probe_sender(victim.sender, victim.receiver, 5).ok());
  CHECK(victim.sender.poisoned());
  CHECK_FALSE(other.sender.poisoned());
  CHECK_FALSE(victim.receiver.poisoned());  // the receiver's side of the victim pair is its own
  const Bytes sid = random_bytes(16);
  auto honest = extend_receiver(other.receiver, PairSession{sid, kS, kR}, 416);
  REQUIRE(honest.ok());
  CHECK(extend_sender(other.sender, PairSession{sid, kS, kR}, honest->second).ok());
}
