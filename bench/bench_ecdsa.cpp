// Threshold ECDSA (DKLs23), all parties in one process with messages routed in memory.
//   ecdsa/keygen_total/t/n      every party's computation for one key generation (DKG and the
//                               pairwise OT setup)
//   ecdsa/keygen_per_party/t/n  one party's computation over a whole key generation (manual
//                               time: only that party's calls are timed, inside a full run)
//   ecdsa/sign_total/t/n        every signer's computation for one signature (4 rounds)
//   ecdsa/sign_per_party/t/n    one signer's computation for one signature
//   ecdsa/presign_total/t/n     every signer's computation for one presignature
//   ecdsa/online_total/t/n      every signer's computation for the online round on presignatures
//   ecdsa/single_signer_sign    libsecp256k1 ecdsa_sign, for reading the others as ratios
// The manual-time benchmarks (per_party, online_total) time only their part inside a larger run:
// read their Time column; their CPU column covers the whole run.
// Signing benchmarks report bytes_per_party: the bytes one signer sends for one signature, every
// copy to every recipient counted (a broadcast to t-1 peers counts t-1 times).
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <stdexcept>

#include "bench_support.hpp"
#include "tsign/core/random.hpp"
#include "tsign/ecdsa/keygen.hpp"
#include "tsign/ecdsa/sign.hpp"

namespace {

using namespace tsign;
using Clock = std::chrono::steady_clock;
using tsign::bench::ids_1_to;
using tsign::bench::run_without_engine;
using tsign::bench::total_bytes;

std::vector<EcdsaKeyProtocol> keygen_parties(std::uint32_t t, std::uint32_t n) {
  const DkgConfig config{random_array<32>(), ids_1_to(n), t};
  std::vector<EcdsaKeyProtocol> parties;
  for (PartyId p : config.parties) parties.push_back(EcdsaKeyProtocol::keygen(p, config).value());
  return parties;
}

// One key per (t, n), generated once.
std::vector<EcdsaKeyShare>& key(std::uint32_t t, std::uint32_t n) {
  static std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<EcdsaKeyShare>> cache;
  auto& shares = cache[{t, n}];
  if (shares.empty()) {
    auto parties = keygen_parties(t, n);
    run_without_engine(parties);
    for (auto& p : parties) shares.push_back(p.take_output().value().value());
  }
  return shares;
}

std::uint32_t arg(const benchmark::State& state, int i) { return static_cast<std::uint32_t>(state.range(i)); }

void keygen_total(benchmark::State& state) {
  for (auto _ : state) {
    auto parties = keygen_parties(arg(state, 0), arg(state, 1));
    run_without_engine(parties);
  }
}

void keygen_per_party(benchmark::State& state) {
  for (auto _ : state) {
    auto parties = keygen_parties(arg(state, 0), arg(state, 1));
    state.SetIterationTime(run_without_engine(parties).compute_seconds.at(1));
  }
}

std::vector<EcdsaSignProtocol> sign_parties(std::uint32_t t, std::uint32_t n) {
  auto& shares = key(t, n);
  const EcdsaSignConfig config{random_array<32>(), ids_1_to(t), {}, random_array<32>()};
  std::vector<EcdsaSignProtocol> parties;
  for (std::uint32_t i = 0; i < t; ++i) parties.push_back(EcdsaSignProtocol::create(shares[i], config).value());
  return parties;
}

std::vector<EcdsaPresignProtocol> presign_parties(std::uint32_t t, std::uint32_t n) {
  auto& shares = key(t, n);
  const EcdsaPresignConfig config{random_array<32>(), ids_1_to(t), {}};
  std::vector<EcdsaPresignProtocol> parties;
  for (std::uint32_t i = 0; i < t; ++i) parties.push_back(EcdsaPresignProtocol::create(shares[i], config).value());
  return parties;
}

void report_bytes(benchmark::State& state, std::size_t bytes, std::uint32_t t) {
  state.counters["bytes_per_party"] = benchmark::Counter(static_cast<double>(bytes) / t);
}

void sign_total(benchmark::State& state) {
  const std::uint32_t t = arg(state, 0);
  key(t, arg(state, 1));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto parties = sign_parties(t, arg(state, 1));
    bytes = total_bytes(run_without_engine(parties));
    if (!parties.front().take_output().ok()) throw std::runtime_error("no signature");
  }
  report_bytes(state, bytes, t);
}

void sign_per_party(benchmark::State& state) {
  const std::uint32_t t = arg(state, 0);
  key(t, arg(state, 1));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto parties = sign_parties(t, arg(state, 1));
    const auto result = run_without_engine(parties);
    bytes = total_bytes(result);
    state.SetIterationTime(result.compute_seconds.at(1));
  }
  report_bytes(state, bytes, t);
}

void presign_total(benchmark::State& state) {
  const std::uint32_t t = arg(state, 0);
  key(t, arg(state, 1));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto parties = presign_parties(t, arg(state, 1));
    bytes = total_bytes(run_without_engine(parties));
  }
  report_bytes(state, bytes, t);
}

void online_total(benchmark::State& state) {
  const std::uint32_t t = arg(state, 0);
  key(t, arg(state, 1));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto presign = presign_parties(t, arg(state, 1));
    run_without_engine(presign);
    const Digest32 digest = random_array<32>();
    const auto t0 = Clock::now();
    std::vector<EcdsaOnlineProtocol> online;
    auto& shares = key(t, arg(state, 1));
    for (std::size_t i = 0; i < presign.size(); ++i) {
      online.push_back(EcdsaOnlineProtocol::create(shares[i], presign[i].take_output().value(), digest).value());
    }
    bytes = total_bytes(run_without_engine(online));
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  report_bytes(state, bytes, t);
}

void single_signer_sign(benchmark::State& state) {
  const ByteArray<32> seckey = Secp256k1Scalar::random().to_bytes();
  const Digest32 digest = random_array<32>();
  secp256k1_ecdsa_signature sig;
  for (auto _ : state) {
    if (secp256k1_ecdsa_sign(secp256k1_ctx(), &sig, digest.data(), seckey.data(), nullptr, nullptr) != 1) {
      throw std::runtime_error("ecdsa_sign failed");
    }
    benchmark::DoNotOptimize(sig);
  }
}

void shapes(benchmark::internal::Benchmark* b) {
  for (auto [t, n] : {std::pair{2, 2}, {2, 3}, {3, 5}, {5, 9}}) b->Args({t, n});
  b->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK(keygen_total)->Name("ecdsa/keygen_total")->Apply(shapes);
BENCHMARK(keygen_per_party)->Name("ecdsa/keygen_per_party")->Apply(shapes)->UseManualTime();
BENCHMARK(sign_total)->Name("ecdsa/sign_total")->Apply(shapes);
BENCHMARK(sign_per_party)->Name("ecdsa/sign_per_party")->Apply(shapes)->UseManualTime();
BENCHMARK(presign_total)->Name("ecdsa/presign_total")->Apply(shapes);
BENCHMARK(online_total)->Name("ecdsa/online_total")->Apply(shapes)->UseManualTime();
BENCHMARK(single_signer_sign)->Name("ecdsa/single_signer_sign")->Unit(benchmark::kMicrosecond);
