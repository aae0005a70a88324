// Single-signer baselines, timed in every run so that threshold figures read as ratios:
// libsecp256k1 BIP-340 sign and verify, ECDSA sign, one variable-point and one fixed-base
// multiplication; libsodium Ed25519 sign and one Ed25519 point multiplication.
#include <benchmark/benchmark.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sodium.h>

#include <stdexcept>

#include "tsign/core/random.hpp"
#include "core/sodium_init.hpp"
#include "tsign/math/secp256k1.hpp"

namespace {

using tsign::ByteArray;
using tsign::random_array;
using tsign::secp256k1_ctx;

// A random valid secp256k1 secret key and its keypair.
struct SecpKey {
  ByteArray<32> seckey;
  secp256k1_keypair keypair;
  secp256k1_xonly_pubkey xonly;
  secp256k1_pubkey pubkey;

  SecpKey() {
    do {
      seckey = random_array<32>();
    } while (secp256k1_keypair_create(secp256k1_ctx(), &keypair, seckey.data()) != 1);
    if (secp256k1_keypair_xonly_pub(secp256k1_ctx(), &xonly, nullptr, &keypair) != 1 ||
        secp256k1_keypair_pub(secp256k1_ctx(), &pubkey, &keypair) != 1) {
      throw std::runtime_error("keypair");
    }
  }
};

void schnorrsig_sign(benchmark::State& state) {
  SecpKey key;
  const auto msg = random_array<32>();
  const auto aux = random_array<32>();
  unsigned char sig[64];
  for (auto _ : state) {
    if (secp256k1_schnorrsig_sign32(secp256k1_ctx(), sig, msg.data(), &key.keypair, aux.data()) != 1) state.SkipWithError("sign");
    benchmark::DoNotOptimize(sig);
  }
}

void schnorrsig_verify(benchmark::State& state) {
  SecpKey key;
  const auto msg = random_array<32>();
  const auto aux = random_array<32>();
  unsigned char sig[64];
  if (secp256k1_schnorrsig_sign32(secp256k1_ctx(), sig, msg.data(), &key.keypair, aux.data()) != 1) state.SkipWithError("sign");
  for (auto _ : state) {
    if (secp256k1_schnorrsig_verify(secp256k1_ctx(), sig, msg.data(), msg.size(), &key.xonly) != 1) state.SkipWithError("verify");
  }
}

void ecdsa_sign(benchmark::State& state) {
  SecpKey key;
  const auto msg = random_array<32>();
  secp256k1_ecdsa_signature sig;
  for (auto _ : state) {
    if (secp256k1_ecdsa_sign(secp256k1_ctx(), &sig, msg.data(), key.seckey.data(), nullptr, nullptr) != 1) state.SkipWithError("sign");
    benchmark::DoNotOptimize(sig);
  }
}

// One secp256k1_ec_pubkey_tweak_mul: the unit FROST round 2 is measured against.
void point_mul(benchmark::State& state) {
  SecpKey key;
  const auto scalar = SecpKey().seckey;
  for (auto _ : state) {
    secp256k1_pubkey p = key.pubkey;
    if (secp256k1_ec_pubkey_tweak_mul(secp256k1_ctx(), &p, scalar.data()) != 1) state.SkipWithError("mul");
    benchmark::DoNotOptimize(p);
  }
}

void base_mul(benchmark::State& state) {
  const auto scalar = SecpKey().seckey;
  secp256k1_pubkey p;
  for (auto _ : state) {
    if (secp256k1_ec_pubkey_create(secp256k1_ctx(), &p, scalar.data()) != 1) state.SkipWithError("mul");
    benchmark::DoNotOptimize(p);
  }
}

void ed25519_sign(benchmark::State& state) {
  tsign::ensure_sodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  crypto_sign_keypair(pk, sk);
  const auto msg = random_array<32>();
  for (auto _ : state) {
    crypto_sign_detached(sig, nullptr, msg.data(), msg.size(), sk);
    benchmark::DoNotOptimize(sig);
  }
}

// One crypto_scalarmult_ed25519_noclamp (it also checks the point is in the prime-order group):
// the unit FROST(Ed25519) round 2 is measured against.
void ed25519_point_mul(benchmark::State& state) {
  tsign::ensure_sodium();
  unsigned char k[32], p[32], q[32];
  crypto_core_ed25519_scalar_random(k);
  crypto_scalarmult_ed25519_base_noclamp(p, k);
  for (auto _ : state) {
    if (crypto_scalarmult_ed25519_noclamp(q, k, p) != 0) state.SkipWithError("mul");
    benchmark::DoNotOptimize(q);
  }
}

}  // namespace

BENCHMARK(schnorrsig_sign)->Name("baseline/schnorrsig_sign")->Unit(benchmark::kMicrosecond);
BENCHMARK(schnorrsig_verify)->Name("baseline/schnorrsig_verify")->Unit(benchmark::kMicrosecond);
BENCHMARK(ecdsa_sign)->Name("baseline/ecdsa_sign")->Unit(benchmark::kMicrosecond);
BENCHMARK(point_mul)->Name("baseline/point_mul")->Unit(benchmark::kMicrosecond);
BENCHMARK(base_mul)->Name("baseline/base_mul")->Unit(benchmark::kMicrosecond);
BENCHMARK(ed25519_sign)->Name("baseline/ed25519_sign")->Unit(benchmark::kMicrosecond);
BENCHMARK(ed25519_point_mul)->Name("baseline/ed25519_point_mul")->Unit(benchmark::kMicrosecond);
