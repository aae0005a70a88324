// FROST signing as a RoundProtocol, run peer to peer through the simulation harness (the
// engine's envelopes, echo step and abort notices), including faulty peers.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>

#include "frost_helpers.hpp"
#include "tsign/testing/simulation.hpp"

using namespace tsign;
using namespace tsign::test;
using tsign::testing::InFlight;
using tsign::testing::pointers;
using tsign::testing::SimulationOptions;
using tsign::testing::simulate;

namespace {

// Lets a test rewrite (or drop, by returning nullopt) what `sender` broadcasts in `round`. It is
// applied to every copy alike, so the sender is a consistent cheater: the signing protocol's own
// checks see the fault, not the engine's echo step.
using Rewrite = std::function<std::optional<Bytes>(std::size_t round, PartyId sender, Bytes payload)>;

template <class C>
struct Run {
  std::vector<std::unique_ptr<SigningProtocol<C>>> parties;
  std::map<PartyId, Status> outcome;
  std::map<PartyId, tsign::SessionStats> stats;
};

template <class C>
Run<C> run(const std::vector<KeyShare<GroupOf<C>>>& shares, const std::vector<PartyId>& signers, const Bytes& message,
           TaprootTweak taproot = {}, Rewrite rewrite = {}, SimulationOptions options = {}) {
  Run<C> r;
  for (PartyId id : signers) {
    auto party = SigningProtocol<C>::create(share_of<C>(shares, id).clone(), signers, message, taproot);
    REQUIRE(party.ok());
    r.parties.push_back(std::make_unique<SigningProtocol<C>>(std::move(party).value()));
  }
  if (rewrite) {
    options.tamper = [rewrite](InFlight& m) {
      REQUIRE(m.broadcast);  // FROST only broadcasts
      std::optional<Bytes> payload = rewrite(m.round, m.from, m.payload);
      if (payload) {
        m.payload = std::move(*payload);
      } else {
        m.deliver = false;
      }
    };
  }
  auto result = simulate(pointers(r.parties), options);
  r.outcome = std::move(result.status);
  r.stats = std::move(result.stats);
  return r;
}

// Every party except `except` failed with an error of `kind` naming exactly `culprits`.
template <class C>
void check_all_blame(const Run<C>& r, std::vector<PartyId> culprits, std::vector<PartyId> except = {},
                     ErrorKind kind = ErrorKind::ProtocolAborted) {
  for (const auto& [id, status] : r.outcome) {
    if (std::find(except.begin(), except.end(), id) != except.end()) continue;
    INFO("party " << id);
    REQUIRE_FALSE(status.ok());
    INFO(status.error().describe());
    CHECK(status.error().kind == kind);
    CHECK(status.error().culprits == culprits);
  }
}

}  // namespace

TEMPLATE_TEST_CASE("FROST signing runs peer to peer through the RoundProtocol interface", "[protocol]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  const auto shares = deal<C>(3, range_ids(5));
  const std::vector<PartyId> signers{1, 3, 4, 5};
  const Bytes message = random_message();
  const TaprootTweak taproot = C::kTaproot ? TaprootTweak::with_merkle_root(random_array<32>()) : TaprootTweak::none();
  auto r = run<C>(shares, signers, message, taproot);
  auto& first = *r.parties.front();
  CHECK(first.round_count() == 2);
  CHECK(first.parties() == signers);
  std::string expected_name(C::kName);
  expected_name += "/sign";  // built in two steps: GCC 12 warns wrongly on a + chain here
  CHECK(first.name() == expected_name);
  CHECK_FALSE(first.expects_from(0, first.self()).any());
  CHECK_FALSE(first.expects_from(0, 2).any());  // a holder that is not signing
  CHECK_FALSE(first.expects_from(2, 3).any());
  const auto reference = first.take_output();
  REQUIRE(reference.ok());
  CHECK_FALSE(first.take_output().ok());  // taken once
  for (const auto& p : r.parties) {
    INFO("party " << p->self());
    REQUIRE(r.outcome.at(p->self()).ok());
    if (p.get() == &first) continue;
    auto signature = p->take_output();
    REQUIRE(signature.ok());
    CHECK(*signature == *reference);
    CHECK(reference_verify<C>(message, *signature, shares.front().group_public_key, taproot));
  }
  CHECK(reference_verify<C>(message, *reference, shares.front().group_public_key, taproot));
}

TEMPLATE_TEST_CASE("the signing protocol names faulty peers", "[protocol]", FrostSecp256k1, FrostSecp256k1Tr,
                   FrostEd25519) {
  using C = TestType;
  const auto shares = deal<C>(2, range_ids(4));
  const std::vector<PartyId> signers{1, 2, 3, 4};
  const Bytes message = random_message();

  SECTION("wrong signature shares") {
    auto r = run<C>(shares, signers, message, {}, [](std::size_t round, PartyId sender, Bytes payload) -> std::optional<Bytes> {
      if (round == 1 && (sender == 2 || sender == 4)) {
        auto share = SignatureShare<C>::decode(payload).value();
        share.share += C::Scalar::one();
        return share.encode();
      }
      return payload;
    });
    // 2 and 4 see the others' honest shares and their own, so they blame only the other one.
    for (PartyId honest : {1, 3}) {
      REQUIRE_FALSE(r.outcome.at(honest).ok());
      CHECK(r.outcome.at(honest).error().kind == ErrorKind::ProtocolAborted);
      CHECK(r.outcome.at(honest).error().culprits == std::vector<PartyId>{2, 4});
    }
    CHECK(r.outcome.at(2).error().culprits == std::vector<PartyId>{4});
    CHECK(r.outcome.at(4).error().culprits == std::vector<PartyId>{2});
  }
  SECTION("malformed commitments") {
    auto r = run<C>(shares, signers, message, {}, [](std::size_t round, PartyId sender, Bytes payload) -> std::optional<Bytes> {
      if (round == 0 && sender == 3) payload.pop_back();
      return payload;
    });
    check_all_blame(r, {3}, {3});
  }
  SECTION("commitments under another identifier") {
    auto r = run<C>(shares, signers, message, {}, [&](std::size_t round, PartyId sender, Bytes payload) -> std::optional<Bytes> {
      if (round == 0 && sender == 1) {
        auto c = SigningCommitments<C>::decode(payload).value();
        c.identifier = 2;
        return c.encode();
      }
      return payload;
    });
    check_all_blame(r, {1}, {1});
  }
  SECTION("commitments that do not match the nonces used") {
    // Party 4's broadcast is replaced by other valid commitments: its share fails everywhere else.
    const auto decoy = commit<C>(share_of<C>(shares, 4)).value().commitments().encode();
    auto r = run<C>(shares, signers, message, {}, [&](std::size_t round, PartyId sender, Bytes payload) -> std::optional<Bytes> {
      if (round == 0 && sender == 4) return decoy;
      return payload;
    });
    check_all_blame(r, {4}, {4});
    CHECK(r.outcome.at(4).ok() == false);
  }
  SECTION("malformed signature shares") {
    auto r = run<C>(shares, signers, message, {}, [](std::size_t round, PartyId sender, Bytes payload) -> std::optional<Bytes> {
      if (round == 1 && sender == 3) payload.push_back(0);
      return payload;
    });
    check_all_blame(r, {3}, {3});
    CHECK_THAT(r.outcome.at(1).error().message, Catch::Contains("malformed signature shares from 3"));
  }
  SECTION("signature shares under another identifier") {
    auto r = run<C>(shares, signers, message, {}, [](std::size_t round, PartyId sender, Bytes payload) -> std::optional<Bytes> {
      if (round == 1 && sender == 3) {
        auto share = SignatureShare<C>::decode(payload).value();
        share.identifier = 2;
        return share.encode();
      }
      return payload;
    });
    check_all_blame(r, {3}, {3});
    for (PartyId p : {1, 2, 4}) {
      CHECK_THAT(r.outcome.at(p).error().message, Catch::Contains("malformed signature shares from 3"));
    }
  }
  SECTION("a missing message") {
    auto r = run<C>(shares, signers, message, {}, [](std::size_t round, PartyId sender, Bytes payload) -> std::optional<Bytes> {
      if (round == 1 && sender == 2) return std::nullopt;
      return payload;
    });
    // Nothing left in flight: the others time out naming exactly the silent party.
    check_all_blame(r, {2}, {2}, ErrorKind::Timeout);
  }
}

TEMPLATE_TEST_CASE("a signer that sends different signature shares to different parties is named by those it cheated and the others sign",
                   "[protocol]", FrostSecp256k1, FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  const auto shares = deal<C>(3, range_ids(5));
  const std::vector<PartyId> signers{1, 2, 4, 5};
  const Bytes message = random_message();
  // The commitments need agreement; each share is checked on its own against them, so the last
  // round has no echo step (and no broadcast signature).
  auto probe = SigningProtocol<C>::create(share_of<C>(shares, 1).clone(), signers, message, {});
  REQUIRE(probe.ok());
  CHECK(probe->needs_agreement(0));
  CHECK_FALSE(probe->needs_agreement(1));

  SimulationOptions options;
  options.tamper = [](InFlight& m) {
    if (m.round == 1 && m.from == 4 && m.to == 2) {
      auto share = SignatureShare<C>::decode(m.payload).value();
      share.share += C::Scalar::one();
      m.payload = share.encode();
    }
  };
  auto r = run<C>(shares, signers, message, {}, {}, options);
  // Each signer: its commitments and its echo of them to 3 others, then its share to 3 others.
  CHECK(r.stats.at(1).messages_sent == 9);
  REQUIRE_FALSE(r.outcome.at(2).ok());
  CHECK(r.outcome.at(2).error().culprits == std::vector<PartyId>{4});
  for (auto& p : r.parties) {
    if (p->self() == 2) continue;
    INFO("party " << p->self());
    INFO((r.outcome.at(p->self()).ok() ? std::string() : r.outcome.at(p->self()).error().describe()));
    REQUIRE(r.outcome.at(p->self()).ok());
    auto signature = p->take_output();
    REQUIRE(signature.ok());
    CHECK(reference_verify<C>(message, *signature, shares.front().group_public_key, TaprootTweak::none()));
  }
}

TEST_CASE("the signing protocol refuses bad set-ups and misuse", "[protocol]") {
  using C = FrostSecp256k1;
  const auto shares = deal<C>(3, range_ids(5));
  auto create_with = [&](std::vector<PartyId> signers, TaprootTweak taproot = {}) -> Status {
    TSIGN_TRY(auto p, SigningProtocol<C>::create(shares[0].clone(), std::move(signers), Bytes{1}, taproot));
    return p.start().ok() ? Status{} : Status(make_error(ErrorKind::Internal, "start() failed"));
  };
  CHECK(create_with({1, 2}).error().kind == ErrorKind::InvalidInput);         // fewer than t
  CHECK(create_with({2, 3, 4}).error().kind == ErrorKind::InvalidInput);      // self not signing
  CHECK(create_with({1, 2, 9}).error().culprits == std::vector<PartyId>{9});  // not a holder
  CHECK(create_with({1, 2, 2, 3}).error().culprits == std::vector<PartyId>{2});
  CHECK_FALSE(create_with({1, 2, 3}, TaprootTweak::no_scripts()).ok());       // no tweak outside TR

  auto p = SigningProtocol<C>::create(shares[0].clone(), {1, 2, 3}, Bytes{1}).value();
  CHECK_FALSE(p.advance(0, {}).ok());  // before start()
  REQUIRE(p.start().ok());
  CHECK_FALSE(p.start().ok());
  CHECK_FALSE(p.advance(1, {}).ok());  // out of order
  RoundMessages unexpected;  // the expected senders, and one more
  unexpected.broadcast[2] = Bytes{0};
  unexpected.broadcast[3] = Bytes{0};
  unexpected.broadcast[4] = Bytes{0};
  auto e = p.advance(0, unexpected);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().culprits == std::vector<PartyId>{4});
  CHECK_FALSE(p.take_output().ok());
}

TEMPLATE_TEST_CASE("a FROST signer whose message exceeds the declared bound is named before its bytes are read",
                   "[protocol]", FrostSecp256k1, FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  const auto shares = deal<C>(2, range_ids(3));
  const std::vector<PartyId> signers{1, 2, 3};
  // Honest messages fit the bound; party 2 pads its round-0 broadcast one byte past it.
  std::size_t largest = 0;
  auto r = run<C>(shares, signers, random_message(), {}, [&](std::size_t round, PartyId sender, Bytes payload) {
    largest = std::max(largest, payload.size());
    if (round == 0 && sender == 2) payload.resize(SigningProtocol<C>::kMaxMessageSize + 1);
    return std::optional<Bytes>(std::move(payload));
  });
  CHECK(largest <= SigningProtocol<C>::kMaxMessageSize);
  CHECK(r.parties.front()->max_message_size() == SigningProtocol<C>::kMaxMessageSize);
  check_all_blame(r, {2}, {2});
  CHECK(r.outcome.at(1).error().message.find("sends at most 1024 bytes") != std::string::npos);
}
