// The ECDSA protocols declare their largest message (the engine refuses a larger one and names
// the sender). Over random committees and signer sets, every message of key generation, of a
// whole signature and of the online round alone fits the declared bound.
#include <catch2/catch.hpp>

#include <random>

#include "helpers.hpp"
#include "support/message_bounds.hpp"
#include "tsign/core/random.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;
using tsign::test::check_message_bounds;

TEST_CASE("ecdsa: every message fits the declared bound over random committees") {
  std::mt19937 rng(Catch::rngSeed());
  for (int trial = 0; trial < 2; ++trial) {
    const auto n = std::uniform_int_distribution<std::uint32_t>(2, 4)(rng);
    const auto t = std::uniform_int_distribution<std::uint32_t>(2, n)(rng);
    INFO("t=" << t << " n=" << n);
    const auto ids = ids_1_to(n);

    const DkgConfig config{random_session(), ids, t};
    std::vector<EcdsaKeyProtocol> keygen;
    for (PartyId p : ids) keygen.push_back(EcdsaKeyProtocol::keygen(p, config).value());
    check_message_bounds(keygen, run_protocols(pointers(keygen)), "key generation");
    std::vector<EcdsaKeyShare> shares;
    for (auto& p : keygen) shares.push_back(std::move(*p.take_output().value()));

    std::vector<PartyId> signers = ids;
    std::shuffle(signers.begin(), signers.end(), rng);
    signers.resize(std::uniform_int_distribution<std::size_t>(t, n)(rng));
    std::sort(signers.begin(), signers.end());
    const Digest32 digest = random_array<32>();
    const EcdsaSignConfig sign_config{random_session(), signers, {}, digest};
    std::vector<EcdsaSignProtocol> sign;
    for (EcdsaKeyShare* share : pick(shares, signers)) sign.push_back(EcdsaSignProtocol::create(*share, sign_config).value());
    check_message_bounds(sign, run_protocols(pointers(sign)), "signature");

    auto presignatures = presign(shares, signers);
    std::vector<EcdsaOnlineProtocol> online;
    auto signer_shares = pick(shares, signers);
    for (std::size_t i = 0; i < presignatures.size(); ++i) {
      online.push_back(EcdsaOnlineProtocol::create(*signer_shares[i], std::move(presignatures[i]), digest).value());
    }
    check_message_bounds(online, run_protocols(pointers(online)), "online round");
  }
}
