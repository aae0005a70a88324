// Key generation and the key's life, all parties in one process with messages routed in memory.
//   dkg_secp256k1/per_party/t/n  one party's computation over the whole DKG (manual time: only
//                                that party's calls are timed, inside a full run)
//   dkg_secp256k1/total/t/n      every party's computation for one DKG
//   refresh/total/3/5            every party's computation for one refresh
//   reshare/total/3/5            3 of 5 holders hand the key to a 3-of-5 committee
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

#include "tsign/dkg/dkg.hpp"
#include "tsign/dkg/refresh.hpp"
#include "tsign/dkg/reshare.hpp"

namespace {

using namespace tsign;
using Clock = std::chrono::steady_clock;

// Runs the protocols to completion; returns the seconds spent inside calls of `timed` (0: none).
template <class P>
double run_all(std::vector<P>& parties, PartyId timed = 0) {
  double seconds = 0;
  auto call = [&](P& p, auto&& f) {
    const auto t0 = Clock::now();
    auto out = f();
    if (p.self() == timed) seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    if (!out.ok()) throw std::runtime_error(out.error().describe());
    return std::move(out).value();
  };
  std::map<PartyId, std::vector<OutgoingMessage>> outbox;
  for (auto& p : parties) outbox[p.self()] = call(p, [&] { return p.start(); });
  for (std::size_t round = 0; round < parties.front().round_count(); ++round) {
    std::map<PartyId, RoundMessages> inbox;
    for (auto& [sender, messages] : outbox) {
      for (auto& m : messages) {
        if (m.to) {
          inbox[*m.to].direct[sender] = m.payload;
        } else {
          for (auto& q : parties) {
            if (q.self() != sender) inbox[q.self()].broadcast[sender] = m.payload;
          }
        }
      }
    }
    outbox.clear();
    for (auto& p : parties) outbox[p.self()] = call(p, [&] { return p.advance(round, inbox[p.self()]); });
  }
  return seconds;
}

std::vector<PartyId> ids_1_to(std::uint32_t n) {
  std::vector<PartyId> ids(n);
  std::iota(ids.begin(), ids.end(), 1u);
  return ids;
}

SessionId session(std::uint64_t counter) {
  SessionId s{};
  for (int i = 0; i < 8; ++i) s[i] = std::uint8_t(counter >> (8 * i));
  return s;
}

std::vector<DkgParty<FrostSecp256k1>> dkg_parties(std::uint32_t t, std::uint32_t n, std::uint64_t counter) {
  const DkgConfig config{session(counter), ids_1_to(n), t};
  std::vector<DkgParty<FrostSecp256k1>> parties;
  for (PartyId p : config.parties) parties.push_back(DkgParty<FrostSecp256k1>::create(p, config).value());
  return parties;
}

std::vector<KeyShare<Secp256k1>> generate(std::uint32_t t, std::uint32_t n) {
  auto parties = dkg_parties(t, n, 1);
  run_all(parties);
  std::vector<KeyShare<Secp256k1>> shares;
  for (auto& p : parties) shares.push_back(p.take_key_share().value());
  return shares;
}

void dkg_per_party(benchmark::State& state, std::uint32_t t, std::uint32_t n) {
  std::uint64_t counter = 0;
  for (auto _ : state) {
    auto parties = dkg_parties(t, n, ++counter);
    state.SetIterationTime(run_all(parties, 1));
  }
}

void dkg_total(benchmark::State& state, std::uint32_t t, std::uint32_t n) {
  std::uint64_t counter = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto parties = dkg_parties(t, n, ++counter);
    state.ResumeTiming();
    run_all(parties);
  }
}

void refresh_total(benchmark::State& state) {
  const auto shares = generate(3, 5);
  std::uint64_t counter = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<RefreshParty<Secp256k1>> parties;
    ++counter;
    for (const auto& s : shares) parties.push_back(RefreshParty<Secp256k1>::create(s, session(counter)).value());
    state.ResumeTiming();
    run_all(parties);
  }
}

void reshare_total(benchmark::State& state) {
  const auto shares = generate(3, 5);
  std::uint64_t counter = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const ReshareConfig config{session(++counter), {1, 3, 5}, ids_1_to(5), 3};
    std::vector<ReshareParty<Secp256k1>> parties;
    for (const auto& s : shares) parties.push_back(ReshareParty<Secp256k1>::create(s, config).value());
    state.ResumeTiming();
    run_all(parties);
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
