#pragma once
// Shared set-up for the ECDSA tests: key generation through the protocol, signing by a chosen
// subset, and the checks every released signature must pass.
#include <catch2/catch.hpp>

#include <numeric>

#include "tsign/core/codec.hpp"
#include "tsign/core/random.hpp"
#include "tsign/ecdsa/keygen.hpp"
#include "tsign/ecdsa/sign.hpp"
#include "tsign/keys/bip32.hpp"
#include "tsign/testing/simulation.hpp"

namespace tsign::ecdsa_test {

// Every protocol test runs its parties through the one simulation harness (engine mode).
using namespace tsign::testing;

inline SessionId random_session() { return random_array<32>(); }

inline std::vector<PartyId> ids_1_to(std::uint32_t n) {
  std::vector<PartyId> ids(n);
  std::iota(ids.begin(), ids.end(), 1u);
  return ids;
}

// Runs the ECDSA key generation and returns every share, in party order.
std::vector<EcdsaKeyShare> generate_key(std::uint32_t t, const std::vector<PartyId>& ids);

// A key of its own for each test: copies of one key would share their pairs' abort state
// (ot/pair_guard.hpp), so a test that disables a pair would disable it for the next.
std::vector<EcdsaKeyShare> fresh_key(std::uint32_t t, std::uint32_t n);

// The shares of the listed parties, by pointer into `shares`.
std::vector<EcdsaKeyShare*> pick(std::vector<EcdsaKeyShare>& shares, const std::vector<PartyId>& ids);

struct SignRun {
  SimulationResult run;
  std::map<PartyId, EcdsaSignature> signatures;
  Secp256k1Point public_key;
};

// One full signing session among `signers`; `tamper` may alter messages in flight.
SignRun sign(std::vector<EcdsaKeyShare>& shares, const std::vector<PartyId>& signers, const Digest32& digest,
             const std::vector<std::uint32_t>& path = {}, const Tamper& tamper = {});

// Every finished signer holds the same signature, and it verifies with libsecp256k1 and recovers
// `expected_key`.
void check_signatures(const SignRun& run, const Digest32& digest, const Secp256k1Point& expected_key);

// Runs presigning among `signers` and returns each signer's presignature, in signer order.
std::vector<Presignature> presign(std::vector<EcdsaKeyShare>& shares, const std::vector<PartyId>& signers,
                                  const std::vector<std::uint32_t>& path = {});

// Every signer except `culprit` failed with an error naming exactly `culprit` and released no
// signature (a culprit that cheats only in the last round may still complete its own view).
void expect_blamed(const SignRun& run, PartyId culprit);

}  // namespace tsign::ecdsa_test
