// Field and group primitives, and Feldman verification single and batched.
#include <benchmark/benchmark.h>

#include <numeric>

#include "tsign/sss/shamir.hpp"

using namespace tsign;

static void BM_ScalarMul(benchmark::State& state) {
  auto a = Secp256k1Scalar::random(), b = Secp256k1Scalar::random();
  for (auto _ : state) {
    a = a * b;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_ScalarMul)->Name("math/scalar_mul");

static void BM_ScalarInvert(benchmark::State& state) {
  auto a = Secp256k1Scalar::random();
  for (auto _ : state) {
    a = a.invert();
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_ScalarInvert)->Name("math/scalar_invert");

static void BM_PointMul(benchmark::State& state) {
  auto p = Secp256k1Point::base_mul(Secp256k1Scalar::random());
  auto k = Secp256k1Scalar::random();
  for (auto _ : state) benchmark::DoNotOptimize(p.mul_vartime(k));
}
BENCHMARK(BM_PointMul)->Name("math/point_mul");

static void BM_BaseMul(benchmark::State& state) {
  auto k = Secp256k1Scalar::random();
  for (auto _ : state) benchmark::DoNotOptimize(Secp256k1Point::base_mul(k));
}
BENCHMARK(BM_BaseMul)->Name("math/base_mul");

static void BM_Ed25519PointMul(benchmark::State& state) {
  auto p = Ed25519Point::base_mul(Ed25519Scalar::random());
  auto k = Ed25519Scalar::random();
  for (auto _ : state) benchmark::DoNotOptimize(p.mul_vartime(k));
}
BENCHMARK(BM_Ed25519PointMul)->Name("math/ed25519_point_mul");

namespace {

struct FeldmanFixture {
  std::vector<Dealing<Secp256k1>> dealings;
  std::vector<DealtShare<Secp256k1>> shares;  // every dealer's share for party kRecipient
  static constexpr PartyId kRecipient = 1000003;  // a large identifier: powers of 1 would flatter
  FeldmanFixture(std::uint32_t t, std::uint32_t dealers) {
    std::vector<PartyId> ids(t);
    std::iota(ids.begin(), ids.end(), 1u);
    ids[0] = kRecipient;
    for (std::uint32_t d = 0; d < dealers; ++d) {
      dealings.push_back(shamir_split<Secp256k1>(Secp256k1Scalar::random(), t, ids).value());
    }
    for (std::uint32_t d = 0; d < dealers; ++d) {
      shares.push_back({d + 1, dealings[d].shares[0].value, &dealings[d].commitment});
    }
  }
};

}  // namespace

static void BM_FeldmanVerify(benchmark::State& state) {
  FeldmanFixture f(static_cast<std::uint32_t>(state.range(0)), 1);
  for (auto _ : state) benchmark::DoNotOptimize(feldman_verify<Secp256k1>(FeldmanFixture::kRecipient, f.shares[0]).ok());
}
BENCHMARK(BM_FeldmanVerify)->Name("feldman/verify_one")->Arg(2)->Arg(7)->Arg(67)->Unit(benchmark::kMicrosecond);

// n = t dealers' shares to one recipient: batched versus one by one.
static void BM_FeldmanVerifyBatch(benchmark::State& state) {
  const auto t = static_cast<std::uint32_t>(state.range(0));
  FeldmanFixture f(t, t);
  for (auto _ : state) benchmark::DoNotOptimize(feldman_verify_batch<Secp256k1>(FeldmanFixture::kRecipient, f.shares).ok());
  state.counters["dealers"] = t;
}
BENCHMARK(BM_FeldmanVerifyBatch)->Name("feldman/verify_batch")->Arg(2)->Arg(7)->Arg(67)->Unit(benchmark::kMicrosecond);

static void BM_FeldmanVerifyEach(benchmark::State& state) {
  const auto t = static_cast<std::uint32_t>(state.range(0));
  FeldmanFixture f(t, t);
  for (auto _ : state) {
    for (const auto& s : f.shares) benchmark::DoNotOptimize(feldman_verify<Secp256k1>(FeldmanFixture::kRecipient, s).ok());
  }
  state.counters["dealers"] = t;
}
BENCHMARK(BM_FeldmanVerifyEach)->Name("feldman/verify_each")->Arg(2)->Arg(7)->Arg(67)->Unit(benchmark::kMicrosecond);
