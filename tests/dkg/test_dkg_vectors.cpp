// ZcashFoundation/frost DKG vectors: each participant's polynomial (signing_key, coefficient)
// must give the published commitments and outgoing shares; the published proofs of knowledge
// must verify under the ZF challenge layout (empty context); combining the received shares must
// give the published signing share, verifying shares and group key. For the TR suite ZF
// publishes its key packages after its post-DKG TapTweak: our share of the internal key, tweaked
// as FROST does at signing time with TaprootTweak::no_scripts(), must give them.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "signing_check.hpp"
#include "dkg/proof.hpp"
#include "tsign/dkg/public_data.hpp"
#include "tsign/sss/shamir.hpp"

using namespace tsign;
using tsign::test::hex;

namespace {

template <class C>
typename C::Scalar scalar(const nlohmann::json& j) {
  return C::Scalar::from_bytes(hex(j.get<std::string>())).value();
}

template <class C>
typename C::Point point(const nlohmann::json& j) {
  return C::Point::from_bytes(hex(j.get<std::string>())).value();
}

// ZF's signature encoding: R ‖ z, with R x-only (even y) in the TR suite.
template <class C>
KnowledgeProof<typename C::Group> zf_proof(const nlohmann::json& j) {
  Bytes b = hex(j.get<std::string>());
  const std::size_t rlen = C::kTaproot ? 32 : C::Group::kPointSize;
  REQUIRE(b.size() == rlen + C::Group::kScalarSize);
  ByteSpan rb = ByteSpan(b).first(rlen);
  typename C::Point R;
  if constexpr (C::kTaproot) {
    R = Secp256k1Point::from_x_only(rb).value();
  } else {
    R = C::Point::from_bytes(rb).value();
  }
  return {R, C::Scalar::from_bytes(ByteSpan(b).subspan(rlen)).value()};
}

template <class C>
void check_dkg_vector(const std::string& file) {
  using G = typename C::Group;
  const auto v = test::load_vector(file);
  const auto& inputs = v["inputs"];
  const std::uint32_t n = v["config"]["MAX_PARTICIPANTS"].get<std::uint32_t>();
  const std::uint32_t t = v["config"]["MIN_PARTICIPANTS"].get<std::uint32_t>();
  std::vector<PartyId> ids;
  for (std::uint32_t i = 1; i <= n; ++i) ids.push_back(inputs[std::to_string(i)]["identifier"].get<PartyId>());

  std::map<PartyId, FeldmanCommitment<G>> commitments;
  std::map<PartyId, Polynomial<G>> polynomials;
  for (PartyId i : ids) {
    const auto& p = inputs[std::to_string(i)];
    std::vector<typename C::Scalar> coeffs{scalar<C>(p["signing_key"]), scalar<C>(p["coefficient"])};
    REQUIRE(coeffs.size() == t);
    Polynomial<G> poly(coeffs);
    auto commitment = FeldmanCommitment<G>::of(poly);
    std::vector<typename C::Point> published;
    for (const auto& c : p["vss_commitments"]) published.push_back(point<C>(c));
    CHECK(commitment.coefficients() == published);
    // The published proof verifies with ZF's layout, and not once bound to a session.
    const auto proof = zf_proof<C>(p["proof_of_knowledge"]);
    CHECK(verify_knowledge<C>(i, commitment.constant(), proof, {}).ok());
    const ByteArray<32> session{1};
    CHECK_FALSE(verify_knowledge<C>(i, commitment.constant(), proof, session).ok());
    CHECK_FALSE(verify_knowledge<C>(i == 1 ? 2 : 1, commitment.constant(), proof, {}).ok());
    commitments.emplace(i, std::move(commitment));
    polynomials.emplace(i, std::move(poly));
  }

  std::vector<FeldmanCommitment<G>> all;
  for (const auto& entry : commitments) all.push_back(entry.second);
  const auto joint = FeldmanCommitment<G>::sum(all);

  for (PartyId i : ids) {
    const auto& p = inputs[std::to_string(i)];
    // Shares i received, as published, are what each dealer's polynomial gives.
    std::vector<DealtShare<G>> received;
    for (PartyId j : ids) {
      if (j == i) continue;
      const auto value = scalar<C>(p["signing_shares"][std::to_string(j)]);
      CHECK(polynomials.at(j).evaluate(identifier_scalar<G>(i)) == value);
      received.push_back({j, value, &commitments.at(j)});
    }
    REQUIRE(feldman_verify_batch<G>(i, received).ok());

    KeyShare<G> ks;
    ks.self = i;
    ks.threshold = t;
    ks.parties = ids;
    typename C::Scalar s = polynomials.at(i).evaluate(identifier_scalar<G>(i));
    for (const auto& r : received) s += r.value;
    ks.signing_share = Secret<typename C::Scalar>(s);
    for (PartyId k : ids) ks.verifying_shares[k] = joint.evaluate(k);
    ks.group_public_key = joint.constant();
    REQUIRE(ks.validate().ok());
    if constexpr (C::kTaproot) {
      const auto no_scripts = frost::TaprootTweak::no_scripts();
      const auto output_key = frost::taproot_output_key(ks.group_public_key, no_scripts).value();
      ks = test::taproot_tweaked(ks, no_scripts);
      CHECK(ks.group_public_key == output_key);
      REQUIRE(ks.validate().ok());
    }

    CHECK(to_hex(ks.signing_share.expose().to_bytes()) == p["signing_share"].get<std::string>());
    CHECK(to_hex(ks.group_public_key.to_bytes()) == inputs["verifying_key"].get<std::string>());
    for (PartyId k : ids) {
      CHECK(to_hex(ks.verifying_shares.at(k).to_bytes()) ==
            inputs[std::to_string(k)]["verifying_share"].get<std::string>());
    }
  }
}

}  // namespace

TEST_CASE("DKG reproduces the ZcashFoundation secp256k1 vectors") { check_dkg_vector<FrostSecp256k1>("zf-secp256k1-dkg.json"); }
TEST_CASE("DKG reproduces the ZcashFoundation Ed25519 vectors") { check_dkg_vector<FrostEd25519>("zf-ed25519-dkg.json"); }
TEST_CASE("DKG reproduces the ZcashFoundation secp256k1-tr vectors, TapTweak included") {
  check_dkg_vector<FrostSecp256k1Tr>("zf-secp256k1-tr-dkg.json");
}

TEST_CASE("session-bound proofs verify only in their own session") {
  using C = FrostSecp256k1;
  const auto secret = C::Scalar::random();
  const auto key = C::Point::base_mul(secret);
  const ByteArray<32> s1{1}, s2{2};
  const auto proof = prove_knowledge<C>(7, secret, s1);
  CHECK(verify_knowledge<C>(7, key, proof, s1).ok());
  CHECK_FALSE(verify_knowledge<C>(7, key, proof, s2).ok());
  CHECK_FALSE(verify_knowledge<C>(8, key, proof, s1).ok());
  auto error = verify_knowledge<C>(7, key.mul_vartime(C::Scalar::from_u64(2)), proof, s1);
  REQUIRE_FALSE(error.ok());
  CHECK(error.error().culprits == std::vector<PartyId>{7});
}
