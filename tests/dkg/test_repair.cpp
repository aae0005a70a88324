// Repair of a lost share (ZcashFoundation's repairable threshold scheme): the step vectors
// reproduce, and the protocol gives the lost share back, verified, in every group.
#include "support/test_support.hpp"
#include "helpers.hpp"
#include "tsign/dkg/repair.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

template <class G>
typename G::Scalar scalar(const nlohmann::json& j) {
  return G::Scalar::from_bytes(hex(j.get<std::string>())).value();
}

template <class G>
void check_repair_vector(const std::string& file) {
  const auto v = load_vector(file);
  const auto& gen = v["scalar_generation"];
  std::vector<typename G::Scalar> deltas{scalar<G>(gen["random_scalar_1"]), scalar<G>(gen["random_scalar_2"]),
                                         scalar<G>(gen["random_scalar_3"])};
  CHECK(repair_share_step_2<G>(deltas) == scalar<G>(gen["random_scalar_sum"]));
  const auto& sig = v["sigma_generation"];
  std::vector<typename G::Scalar> sigmas{scalar<G>(sig["sigma_1"]), scalar<G>(sig["sigma_2"]), scalar<G>(sig["sigma_3"]),
                                         scalar<G>(sig["sigma_4"])};
  CHECK(repair_share_step_3<G>(sigmas) == scalar<G>(sig["sigma_sum"]));
}

template <class G>
std::vector<RepairProtocol<G>> repair_parties(const std::vector<KeyShare<G>>& shares, const RepairConfig& config) {
  std::vector<RepairProtocol<G>> out;
  const auto& any = shares.front();
  for (const auto& s : shares) {
    if (s.self == config.recovering) {
      out.push_back(RepairProtocol<G>::recover(s.self, any.key_id, any.epoch, config).value());
    } else if (contains_id(config.helpers, s.self)) {
      out.push_back(RepairProtocol<G>::help(s, config).value());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("repair steps reproduce the ZcashFoundation vectors") {
  check_repair_vector<Secp256k1>("zf-secp256k1-repair-share.json");
  check_repair_vector<Ed25519>("zf-ed25519-repair-share.json");
}

TEMPLATE_TEST_CASE("repair step 1 splits ζ·share into random deltas", "", Secp256k1, Ed25519) {
  using G = TestType;
  const std::vector<PartyId> helpers = {1, 4, 5};
  const auto share = G::Scalar::random();
  auto deltas = repair_share_step_1<G>(helpers, 4, share, 2).value();
  REQUIRE(deltas.size() == 3);
  std::vector<typename G::Scalar> values;
  for (const auto& entry : deltas) values.push_back(entry.second);
  const auto zeta = lagrange_coefficient<G>(4, helpers, identifier_scalar<G>(2)).value();
  CHECK(repair_share_step_2<G>(values) == zeta * share);
  CHECK_FALSE(repair_share_step_1<G>(std::vector<PartyId>{4}, 4, share, 2).ok());
  CHECK_FALSE(repair_share_step_1<G>(helpers, 4, share, 5).ok());
}

TEMPLATE_TEST_CASE("repair gives a lost share back", "", FrostSecp256k1, FrostEd25519) {
  using G = typename TestType::Group;
  auto shares = generate_key<TestType>(3, {1, 2, 3, 4, 5});
  const auto lost = shares[1].signing_share.expose();
  for (const std::vector<PartyId>& helpers : {std::vector<PartyId>{1, 4, 5}, std::vector<PartyId>{1, 3, 4, 5}}) {
    const RepairConfig config{session_of(40), helpers, 2};
    auto parties = repair_parties<G>(shares, config);
    auto result = run_protocols(pointers(parties));
    REQUIRE(result.all_finished());
    for (auto& p : parties) {
      auto taken = p.take_output();
      REQUIRE(taken.ok());
      if (p.self() != 2) CHECK_FALSE(taken->has_value());  // a helper gets no share
      if (p.self() != 2) continue;
      REQUIRE(taken->has_value());
      auto& repaired = **taken;
      CHECK(repaired.signing_share.expose() == lost);
      CHECK(repaired.epoch == shares[1].epoch);
      CHECK(repaired.verifying_shares == shares[1].verifying_shares);
      std::vector<KeyShare<G>> with_repaired;
      with_repaired.push_back(std::move(repaired));
      with_repaired.push_back(shares[0].clone());
      with_repaired.push_back(shares[2].clone());
      CHECK(threshold_signature_verifies(first_signers(with_repaired, 3), Bytes{'r'}));
      CHECK(frost_signature_verifies<TestType>(with_repaired, {1, 2, 3}, Bytes{'r'}));
    }
  }
}

TEST_CASE("repair configuration is validated") {
  auto shares = generate_key<FrostSecp256k1>(3, {1, 2, 3, 4});
  using P = RepairProtocol<Secp256k1>;
  const SessionId s = session_of(41);
  CHECK_FALSE(P::help(shares[0], {s, {1, 3}, 2}).ok());        // fewer helpers than t
  CHECK_FALSE(P::help(shares[0], {s, {1, 2, 3}, 2}).ok());     // recovering party among the helpers
  CHECK_FALSE(P::help(shares[0], {s, {1, 3, 4}, 9}).ok());     // 9 holds no share
  CHECK_FALSE(P::help(shares[1], {s, {1, 3, 4}, 2}).ok());     // not a helper
  CHECK_FALSE(P::recover(3, shares[0].key_id, 0, {s, {1, 3, 4}, 2}).ok());
  CHECK(P::recover(2, shares[0].key_id, 0, {s, {1, 3, 4}, 2}).ok());
}
