// FROST round 1, round 2 and aggregation for each suite at (2,3), (7,10), (67,100), (667,1000).
// round1: one signer's commit. round2: one signer's sign() from the signing package (package
// validation, binding factors, group commitment, challenge, share). aggregate: the
// coordinator's aggregate() from the package and all shares, final verification included.
#include <benchmark/benchmark.h>

#include <string>

#include "bench_support.hpp"
#include "tsign/frost/frost.hpp"

namespace {

using namespace tsign;
using namespace tsign::frost;
using tsign::bench::dealt_keys;
using tsign::bench::value_or_throw;

// Round 1 of signers 1..t: their nonces and the signing package.
template <class C>
struct Session {
  std::vector<SigningNonces<C>> nonces;
  SigningPackage<C> package;
};

template <class C>
Session<C> round1(const DealerOutput<typename C::Group>& keys, std::uint32_t t) {
  Session<C> s;
  s.package.message = Bytes(32, 0x5a);
  if constexpr (C::kTaproot) s.package.taproot = TaprootTweak::no_scripts();
  for (std::uint32_t i = 0; i < t; ++i) {
    auto nonces = value_or_throw(commit<C>(keys.shares[i]));
    s.package.commitments.push_back(nonces.commitments());
    s.nonces.push_back(std::move(nonces));
  }
  return s;
}

template <class C>
void bench_round1(benchmark::State& state, std::uint32_t t, std::uint32_t n) {
  const auto& key = dealt_keys<typename C::Group>(t, n).shares.front();
  for (auto _ : state) {
    auto nonces = commit<C>(key);
    benchmark::DoNotOptimize(nonces);
  }
}

template <class C>
void bench_round2(benchmark::State& state, std::uint32_t t, std::uint32_t n) {
  const auto& keys = dealt_keys<typename C::Group>(t, n);
  auto session = round1<C>(keys, t);
  const auto& key = keys.shares.front();  // signer 1 is commitments[0]
  for (auto _ : state) {
    state.PauseTiming();
    auto nonces = value_or_throw(commit<C>(key));
    session.package.commitments[0] = nonces.commitments();
    state.ResumeTiming();
    auto share = sign(session.package, std::move(nonces), key);
    if (!share.ok()) state.SkipWithError(share.error().describe().c_str());
    benchmark::DoNotOptimize(share);
  }
}

template <class C>
void bench_aggregate(benchmark::State& state, std::uint32_t t, std::uint32_t n) {
  const auto& keys = dealt_keys<typename C::Group>(t, n);
  const auto pub = PublicKeyPackage<C>::from_key_share(keys.shares.front());
  auto session = round1<C>(keys, t);
  // Shares from one shared context: the group commitment is computed once for all signers.
  const auto context = value_or_throw(SigningContext<C>::create(session.package, pub));
  std::vector<SignatureShare<C>> shares;
  for (std::uint32_t i = 0; i < t; ++i) {
    shares.push_back(value_or_throw(sign(context, std::move(session.nonces[i]), keys.shares[i])));
  }
  for (auto _ : state) {
    auto sig = aggregate(session.package, shares, pub);
    if (!sig.ok()) state.SkipWithError(sig.error().describe().c_str());
    benchmark::DoNotOptimize(sig);
  }
}

template <class C>
void register_suite() {
  const std::pair<std::uint32_t, std::uint32_t> sizes[] = {{2, 3}, {7, 10}, {67, 100}, {667, 1000}};
  for (auto [t, n] : sizes) {
    const std::string suffix = "/" + std::to_string(t) + "/" + std::to_string(n);
    const std::string prefix(C::kName);
    benchmark::RegisterBenchmark((prefix + "/round1" + suffix).c_str(), bench_round1<C>, t, n)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((prefix + "/round2" + suffix).c_str(), bench_round2<C>, t, n)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((prefix + "/aggregate" + suffix).c_str(), bench_aggregate<C>, t, n)->Unit(benchmark::kMicrosecond);
  }
}

[[maybe_unused]] const bool registered = [] {
  register_suite<FrostSecp256k1>();
  register_suite<FrostSecp256k1Tr>();
  register_suite<FrostEd25519>();
  return true;
}();

}  // namespace
