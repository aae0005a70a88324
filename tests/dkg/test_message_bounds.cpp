// Every key-management protocol declares its largest message (the engine refuses a larger one
// and names the sender). Over random committees, every message sent fits every party's declared
// bound, and the tightest bound stays within a small factor of the largest message seen.
#include <catch2/catch.hpp>

#include <random>

#include "helpers.hpp"
#include "reshare_helpers.hpp"
#include "support/message_bounds.hpp"
#include "tsign/dkg/refresh.hpp"
#include "tsign/dkg/repair.hpp"

using namespace tsign;
using namespace tsign::test;
using tsign::testing::pointers;
using tsign::testing::run_protocols;

namespace {

template <class C>
void check_key_protocols(std::mt19937& rng) {
  using G = typename C::Group;
  const auto n = std::uniform_int_distribution<std::uint32_t>(2, 7)(rng);
  const auto t = std::uniform_int_distribution<std::uint32_t>(2, n)(rng);
  INFO(C::kName << " t=" << t << " n=" << n);
  const auto ids = ids_1_to(n);

  auto dkg = dkg_parties<C>({session_of(1), ids, t});
  check_message_bounds(dkg, run_protocols(pointers(dkg)), "DKG");
  std::vector<KeyShare<G>> shares;
  for (auto& p : dkg) shares.push_back(p.take_output().value());

  std::vector<RefreshProtocol<G>> refresh;
  for (const auto& s : shares) refresh.push_back(RefreshProtocol<G>::create(s, session_of(2)).value());
  check_message_bounds(refresh, run_protocols(pointers(refresh)), "refresh");

  const auto n2 = std::uniform_int_distribution<std::uint32_t>(2, 7)(rng);
  const auto t2 = std::uniform_int_distribution<std::uint32_t>(2, n2)(rng);
  std::vector<PartyId> new_parties(n2);
  std::iota(new_parties.begin(), new_parties.end(), n / 2 + 1);  // overlapping the old committee
  auto reshare = reshare_parties(shares, {session_of(3), last_ids(shares, t), new_parties, t2});
  check_message_bounds(reshare, run_protocols(pointers(reshare)), "reshare");

  if (n > t) {
    const PartyId recovering = ids.back();
    const std::vector<PartyId> helpers(ids.begin(), ids.end() - 1);
    std::vector<RepairProtocol<G>> repair;
    for (const auto& s : shares) {
      repair.push_back(s.self == recovering ? RepairProtocol<G>::recover(s.self, s.key_id, s.epoch, {session_of(4), helpers, recovering}).value()
                                            : RepairProtocol<G>::help(s, {session_of(4), helpers, recovering}).value());
    }
    check_message_bounds(repair, run_protocols(pointers(repair)), "repair");
  }
}

}  // namespace

TEST_CASE("key-management protocols: every message fits the declared bound over random committees") {
  std::mt19937 rng(Catch::rngSeed());
  for (int trial = 0; trial < 4; ++trial) {
    check_key_protocols<FrostSecp256k1>(rng);
    check_key_protocols<FrostEd25519>(rng);
  }
}
