// Key generation and the key's life, all parties in one process with messages routed in memory.
//   dkg_secp256k1/per_party/t/n  one party's computation over the whole DKG (manual time: only
//                                that party's calls are timed, inside a full run)
//   dkg_secp256k1/total/t/n      every party's computation for one DKG
//   refresh/total/3/5            every party's computation for one refresh
//   reshare/total/3/5            3 of 5 holders hand the key to a 3-of-5 committee
#include <benchmark/benchmark.h>

#include <string>

#include "bench_support.hpp"
#include "tsign/dkg/dkg.hpp"
#include "tsign/dkg/refresh.hpp"
#include "tsign/dkg/reshare.hpp"

namespace {

using namespace tsign;
using tsign::bench::ids_1_to;
using tsign::bench::run_without_engine;

SessionId session(std::uint64_t counter) {
  SessionId s{};
  for (int i = 0; i < 8; ++i) s[i] = std::uint8_t(counter >> (8 * i));
  return s;
}

std::vector<DkgProtocol<FrostSecp256k1>> dkg_parties(std::uint32_t t, std::uint32_t n, std::uint64_t counter) {
  const DkgConfig config{session(counter), ids_1_to(n), t};
  std::vector<DkgProtocol<FrostSecp256k1>> parties;
  for (PartyId p : config.parties) parties.push_back(DkgProtocol<FrostSecp256k1>::create(p, config).value());
  return parties;
}

std::vector<KeyShare<Secp256k1>> generate(std::uint32_t t, std::uint32_t n) {
  auto parties = dkg_parties(t, n, 1);
  run_without_engine(parties);
  std::vector<KeyShare<Secp256k1>> shares;
  for (auto& p : parties) shares.push_back(p.take_output().value());
  return shares;
}

void dkg_per_party(benchmark::State& state, std::uint32_t t, std::uint32_t n) {
  std::uint64_t counter = 0;
  for (auto _ : state) {
    auto parties = dkg_parties(t, n, ++counter);
    state.SetIterationTime(run_without_engine(parties).compute_seconds.at(1));
  }
}

void dkg_total(benchmark::State& state, std::uint32_t t, std::uint32_t n) {
  std::uint64_t counter = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto parties = dkg_parties(t, n, ++counter);
    state.ResumeTiming();
    run_without_engine(parties);
  }
}

void refresh_total(benchmark::State& state) {
  const auto shares = generate(3, 5);
  std::uint64_t counter = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<RefreshProtocol<Secp256k1>> parties;
    ++counter;
    for (const auto& s : shares) parties.push_back(RefreshProtocol<Secp256k1>::create(s, session(counter)).value());
    state.ResumeTiming();
    run_without_engine(parties);
  }
}

void reshare_total(benchmark::State& state) {
  const auto shares = generate(3, 5);
  std::uint64_t counter = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const ReshareConfig config{session(++counter), {1, 3, 5}, ids_1_to(5), 3};
    std::vector<ReshareProtocol<Secp256k1>> parties;
    for (const auto& s : shares) parties.push_back(ReshareProtocol<Secp256k1>::create(s, config).value());
    state.ResumeTiming();
    run_without_engine(parties);
  }
}

const bool registered = [] {
  struct Size {
    std::uint32_t t, n;
    int per_party_iterations, total_iterations;  // 0: let the library decide
  };
  for (const Size s : {Size{2, 3, 0, 0}, Size{3, 5, 0, 0}, Size{7, 10, 0, 0}, Size{34, 50, 5, 3}, Size{67, 100, 3, 2}}) {
    const std::string suffix = std::to_string(s.t) + "/" + std::to_string(s.n);
    auto* per_party = benchmark::RegisterBenchmark(("dkg_secp256k1/per_party/" + suffix).c_str(), dkg_per_party, s.t, s.n)
                          ->UseManualTime()
                          ->Unit(benchmark::kMillisecond);
    auto* total = benchmark::RegisterBenchmark(("dkg_secp256k1/total/" + suffix).c_str(), dkg_total, s.t, s.n)
                      ->Unit(benchmark::kMillisecond);
    if (s.per_party_iterations > 0) per_party->Iterations(s.per_party_iterations);
    if (s.total_iterations > 0) total->Iterations(s.total_iterations);
  }
  benchmark::RegisterBenchmark("refresh/total/3/5", refresh_total)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("reshare/total/3/5", reshare_total)->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
