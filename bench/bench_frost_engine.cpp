// FROST signing end to end through the protocol engine (frost::SigningProtocol: commitments
// broadcast with echo, signature shares broadcast with echo, every signer aggregates and
// verifies), signers 1..t of a dealt t-of-n key:
//   frost_engine/<suite>/in_process/t/n                one session per iteration, one MemoryHub
//   frost_engine/<suite>/tcp_loopback/t/n              one session per iteration, one TcpNode per
//                                                      party (all n), Noise_KK on 127.0.0.1
//   frost_engine/<suite>/nats_local/t/n                one session per iteration, one NatsNode per
//                                                      party through a local nats-server (TLS, NKeys)
//   frost_engine/<suite>/<transport>_16_in_flight/t/n  16 concurrent sessions per iteration (a hub
//                                                      each in process; one set of nodes otherwise)
// Time is wall-clock per iteration; items_per_second is signatures per second. Every signature
// produced is checked after the timed loop: all signers of a session hold the same one, and it
// verifies under the suite's reference verifier (libsecp256k1 BIP-340 for the Taproot suite, for
// the BIP-86 output key); any miss marks the benchmark as failed.
#include <benchmark/benchmark.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "tsign/frost/frost.hpp"
#include "tsign/frost/signing_protocol.hpp"

namespace {

using namespace tsign;
using namespace tsign::frost;
using namespace tsign::bench;

enum class Link { InProcess, TcpLoopback, NatsLocal };

// Taproot signatures are for a key-path-only output (BIP-86), as a wallet spends them.
template <class C>
TaprootTweak tweak_for() {
  if constexpr (C::kTaproot) return TaprootTweak::no_scripts();
  return {};
}

// One signing session: every signer's state machine over its own copy of its share.
template <class C>
struct Signing {
  SessionId session = random_session_id();
  Bytes message;
  std::vector<std::unique_ptr<SigningProtocol<C>>> signers;

  Signing(const DealerOutput<typename C::Group>& keys, const std::vector<PartyId>& ids, std::uint64_t counter)
      : message(32, 0) {
    for (std::size_t i = 0; i < 8; ++i) message[24 + i] = static_cast<std::uint8_t>(counter >> (8 * i));
    for (PartyId p : ids) {
      signers.push_back(std::make_unique<SigningProtocol<C>>(
          value_or_throw(SigningProtocol<C>::create(keys.shares[p - 1].clone(), ids, message, tweak_for<C>()))));
    }
  }
  SessionParties run_list() const {
    SessionParties s{session, {}};
    for (const auto& p : signers) s.parties.push_back(p.get());
    return s;
  }
};

template <class C>
struct Produced {
  Bytes message;
  Signature<C> signature;
};

// Keeps the session's signature once every signer holds the same one.
template <class C>
Status collect(Signing<C>& s, std::vector<Produced<C>>& out) {
  std::optional<Signature<C>> first;
  for (auto& p : s.signers) {
    auto signature = p->take_output();
    if (!signature.ok() || (first && !(*signature == *first))) {
      return make_error(ErrorKind::Internal, "signer " + std::to_string(p->self()) + " holds no or another signature");
    }
    if (!first) first = std::move(signature).value();
  }
  if (!first) return make_error(ErrorKind::Internal, "no signers");
  out.push_back({s.message, *first});
  return {};
}

template <class C>
void bench_signing(benchmark::State& state, Link link, std::uint32_t t, std::uint32_t n, std::size_t in_flight) {
  const auto& keys = dealt_keys<typename C::Group>(t, n);
  const auto signers = ids_1_to(t);
  std::unique_ptr<LoopbackCluster> cluster;
  if (link == Link::TcpLoopback) cluster = std::make_unique<LoopbackCluster>(n);
  if (link == Link::NatsLocal) {
    if (testing::nats_server_program().empty()) {
      state.SkipWithError("nats-server is not installed");
      return;
    }
    cluster = std::make_unique<LoopbackCluster>(n, LoopbackCluster::OverNats{});
  }
  std::uint64_t counter = 0;
  std::vector<Produced<C>> produced;

  auto run_batch = [&]() -> Status {
    std::vector<std::unique_ptr<Signing<C>>> batch;
    std::vector<SessionParties> sessions;
    for (std::size_t k = 0; k < in_flight; ++k) {
      batch.push_back(std::make_unique<Signing<C>>(keys, signers, counter++));
      sessions.push_back(batch.back()->run_list());
    }
    TSIGN_CHECK(cluster ? cluster->run(sessions) : run_in_process(sessions));
    for (const auto& s : batch) TSIGN_CHECK(collect(*s, produced));
    return {};
  };

  // Over a network, one untimed batch first: the nodes connect and run their handshakes.
  if (auto s = cluster ? run_batch() : Status{}; !s) {
    state.SkipWithError(s.error().describe().c_str());
    return;
  }
  bool failed = false;
  for (auto _ : state) {
    if (auto s = run_batch(); !s) {
      state.SkipWithError(s.error().describe().c_str());
      failed = true;
      break;
    }
  }
  if (failed) return;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * in_flight));

  auto key = keys.shares.front().group_public_key;
  if constexpr (C::kTaproot) key = value_or_throw(taproot_output_key(key, tweak_for<C>()));
  for (const auto& p : produced) {
    if (!verify_signature<C>(p.message, p.signature, key)) {
      state.SkipWithError("a signature does not verify");
      return;
    }
  }
}

template <class C>
void register_suite() {
  const std::string suite = std::string(C::kName).substr(std::string_view("frost_").size());
  const std::pair<std::uint32_t, std::uint32_t> sizes[] = {{2, 3}, {3, 5}};
  const std::pair<const char*, Link> links[] = {
      {"in_process", Link::InProcess}, {"tcp_loopback", Link::TcpLoopback}, {"nats_local", Link::NatsLocal}};
  for (auto [link_name, link] : links) {
    for (std::size_t in_flight : {1, 16}) {
      for (auto [t, n] : sizes) {
        std::string name = "frost_engine/" + suite + "/" + link_name;
        if (in_flight > 1) name += "_" + std::to_string(in_flight) + "_in_flight";
        name += "/" + std::to_string(t) + "/" + std::to_string(n);
        benchmark::RegisterBenchmark(name.c_str(), bench_signing<C>, link, t, n, in_flight)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
  }
}

[[maybe_unused]] const bool registered = [] {
  register_suite<FrostSecp256k1>();
  register_suite<FrostSecp256k1Tr>();
  return true;
}();

}  // namespace
