// OT layer: per-pair setup at key generation, and per-signature extension + multiplication.
// The single-signer reference (baseline/ecdsa_sign) lives in bench_baseline.cpp.
#include <benchmark/benchmark.h>

#include <ctime>

#include "bench_support.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/secp256k1.hpp"
#include "ot/multiply.hpp"
#include "ot/setup.hpp"

namespace {

using namespace tsign;
using namespace tsign::ot;
using tsign::bench::value_or_throw;

constexpr PartyId kS = 1, kR = 2;

struct Pair {
  OtSenderSetup sender;
  OtReceiverSetup receiver;
};

// Thread CPU time, to split a pair's compute between its two parties.
double cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

benchmark::Counter per_iteration(double total) { return benchmark::Counter(total, benchmark::Counter::kAvgIterations); }

Pair setup_pair() {
  const Bytes sid = random_bytes(32);
  const PairSession session{sid, kS, kR};
  auto [rx, m1] = value_or_throw(SetupReceiver::start(session));
  auto [tx, m2] = value_or_throw(SetupSender::respond(session, m1));
  auto [rs, m3] = value_or_throw(std::move(rx).finish(m2));
  return {value_or_throw(std::move(tx).finish(m3)), std::move(rs)};
}

// Both parties' compute for the setup of one pair in both directions, as key generation runs it:
// base OTs and GGM trees one way, then the reverse setup from random OTs extended from the first,
// with every message through its codec. Counters: each direction's share of the CPU time, and
// the bytes of the five messages.
void BM_BaseSetupPerPair(benchmark::State& state) {
  std::size_t bytes = 0;
  double forward_us = 0, reverse_us = 0;
  for (auto _ : state) {
    const Bytes sid = random_bytes(32);
    const PairSession session{sid, kS, kR}, reverse{sid, kR, kS};
    double t0 = cpu_us();
    auto [rx, m1] = value_or_throw(SetupReceiver::start(session));
    const Bytes w1 = m1.encode();
    auto [tx, m2] = value_or_throw(SetupSender::respond(session, value_or_throw(SetupMsg1::decode(w1, kR))));
    const Bytes w2 = m2.encode();
    auto [rs, m3] = value_or_throw(std::move(rx).finish(value_or_throw(SetupMsg2::decode(w2, kS))));
    const Bytes w3 = m3.encode();
    auto ts = value_or_throw(std::move(tx).finish(value_or_throw(SetupMsg3::decode(w3, kR))));
    double t1 = cpu_us();
    auto [reverse_tx, m4] = value_or_throw(SetupSender::reverse(rs, reverse));
    const Bytes w4 = m4.encode();
    auto [reverse_rs, m5] = value_or_throw(SetupReceiver::reverse(ts, reverse, value_or_throw(ExtensionMsg::decode(w4, kBaseOts, kR))));
    const Bytes w5 = m5.encode();
    auto reverse_ts = value_or_throw(std::move(reverse_tx).finish(value_or_throw(SetupMsg3::decode(w5, kS))));
    double t2 = cpu_us();
    benchmark::DoNotOptimize(reverse_ts);
    forward_us += t1 - t0;
    reverse_us += t2 - t1;
    bytes = w1.size() + w2.size() + w3.size() + w4.size() + w5.size();
  }
  state.counters["bytes_sent"] = static_cast<double>(bytes);
  state.counters["forward_cpu_us"] = per_iteration(forward_us);
  state.counters["reverse_cpu_us"] = per_iteration(reverse_us);
}
BENCHMARK(BM_BaseSetupPerPair)->Name("ot/base_setup_per_pair")->Unit(benchmark::kMillisecond);

// One signature's multiplication for one ordered pair, both parties' compute: the receiver's
// request (extension), the sender's response, the receiver's check; ℓ = 2 as in DKLs23 signing.
void BM_MulPerPair(benchmark::State& state) {
  Pair pair = setup_pair();
  const std::vector<Secp256k1Scalar> a = {Secp256k1Scalar::random(), Secp256k1Scalar::random()};
  std::size_t bytes = 0;
  double sender_us = 0, receiver_us = 0;
  for (auto _ : state) {
    const Bytes sid = random_bytes(32);
    const PairSession session{sid, kS, kR};
    double t0 = cpu_us();
    auto [rx, req] = value_or_throw(MulReceiver::start(pair.receiver, session, 2));
    const Bytes w1 = req.encode();
    double t1 = cpu_us();
    auto sent = value_or_throw(mul_sender_respond(pair.sender, session, a, value_or_throw(MulRequest::decode(w1, kR))));
    const Bytes w2 = sent.response.encode();
    double t2 = cpu_us();
    auto shares = value_or_throw(std::move(rx).finish(pair.receiver, value_or_throw(MulResponse::decode(w2, 2, kS))));
    double t3 = cpu_us();
    benchmark::DoNotOptimize(shares);
    receiver_us += (t1 - t0) + (t3 - t2);
    sender_us += t2 - t1;
    bytes = w1.size() + w2.size();
  }
  state.counters["bytes_sent"] = static_cast<double>(bytes);
  state.counters["receiver_cpu_us"] = per_iteration(receiver_us);
  state.counters["sender_cpu_us"] = per_iteration(sender_us);
}
BENCHMARK(BM_MulPerPair)->Name("ot/mul_per_pair")->Unit(benchmark::kMicrosecond);

}  // namespace
