#include "helpers.hpp"

namespace tsign::ecdsa_test {

std::vector<EcdsaKeyShare> generate_key(std::uint32_t t, const std::vector<PartyId>& ids) {
  const DkgConfig config{random_session(), ids, t};
  std::vector<EcdsaKeyProtocol> parties;
  for (PartyId p : ids) parties.push_back(EcdsaKeyProtocol::keygen(p, config).value());
  auto result = run_protocols(pointers(parties));
  REQUIRE(result.all_finished());
  std::vector<EcdsaKeyShare> shares;
  for (auto& p : parties) {
    auto share = p.take_output();
    REQUIRE(share.ok());
    REQUIRE(share->has_value());
    shares.push_back(std::move(**share));
  }
  return shares;
}

std::vector<EcdsaKeyShare> fresh_key(std::uint32_t t, std::uint32_t n) { return generate_key(t, ids_1_to(n)); }

std::vector<Presignature> presign(std::vector<EcdsaKeyShare>& shares, const std::vector<PartyId>& signers,
                                  const std::vector<std::uint32_t>& path) {
  const EcdsaPresignConfig config{random_session(), signers, path};
  std::vector<EcdsaPresignProtocol> parties;
  for (EcdsaKeyShare* share : pick(shares, signers)) parties.push_back(EcdsaPresignProtocol::create(*share, config).value());
  auto run = run_protocols(pointers(parties));
  REQUIRE(run.all_finished());
  std::vector<Presignature> out;
  for (auto& p : parties) out.push_back(p.take_output().value());
  return out;
}

std::vector<EcdsaKeyShare*> pick(std::vector<EcdsaKeyShare>& shares, const std::vector<PartyId>& ids) {
  std::vector<EcdsaKeyShare*> out;
  for (PartyId id : ids) {
    for (auto& s : shares) {
      if (s.key.self == id) out.push_back(&s);
    }
  }
  return out;
}

SignRun sign(std::vector<EcdsaKeyShare>& shares, const std::vector<PartyId>& signers, const Digest32& digest,
             const std::vector<std::uint32_t>& path, const Tamper& tamper) {
  const EcdsaSignConfig config{random_session(), signers, path, digest};
  std::vector<EcdsaSignProtocol> parties;
  for (EcdsaKeyShare* share : pick(shares, signers)) parties.push_back(EcdsaSignProtocol::create(*share, config).value());
  SignRun out;
  out.run = run_protocols(pointers(parties), tamper);
  out.public_key = parties.front().public_key();
  for (auto& p : parties) {
    if (auto sig = p.take_output(); sig.ok()) out.signatures.emplace(p.self(), std::move(sig).value());
  }
  return out;
}

void check_signatures(const SignRun& run, const Digest32& digest, const Secp256k1Point& expected_key) {
  REQUIRE(run.run.all_finished());
  REQUIRE(run.signatures.size() == run.run.status.size());
  CHECK(run.public_key == expected_key);
  const EcdsaSignature& first = run.signatures.begin()->second;
  for (const auto& [id, sig] : run.signatures) {
    CHECK(sig.compact() == first.compact());
    CHECK(sig.recovery_id == first.recovery_id);
  }
  CHECK(verify_ecdsa(first, digest, expected_key).ok());
  auto recovered = recover_ecdsa(first, digest);
  REQUIRE(recovered.ok());
  CHECK(*recovered == expected_key);
}

void expect_blamed(const SignRun& run, PartyId culprit) {
  for (const auto& [id, status] : run.run.status) {
    if (id == culprit) continue;
    CHECK(run.signatures.count(id) == 0);
    INFO("party " << id);
    REQUIRE_FALSE(status.ok());
    INFO(status.error().describe());
    CHECK(status.error().culprits == std::vector<PartyId>{culprit});
  }
}

}  // namespace tsign::ecdsa_test
