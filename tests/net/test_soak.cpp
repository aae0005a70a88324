// The soak: five parties over TCP (3-of-5 keys made over the same nodes by FROST's DKG and the
// DKLs23 key generation), 1,000 FROST(secp256k1) and 200 threshold-ECDSA signatures with 16
// sessions in flight, random signer sets and signed broadcasts, while
// - party 5 crashes (its node is destroyed mid-session) and returns on the same port a few seconds
//   later, and at other times has all its connections reset;
// - party 4, an authenticated member of the cluster, floods: it sends every message of its own
//   sessions five times, floods the signers of sessions it is not in (it learns their ids, as a
//   member seeing the signing requests would) with junk, and sends junk for session ids nobody
//   opens. In its own sessions it otherwise follows the protocol.
// Every released signature verifies with libsecp256k1; a party that did not crash names nobody
// but parties 4 and 5; every session without party 5 succeeds; resident memory stays bounded.
//
// TSIGN_SOAK_SECONDS=3600 build/default/tests/test_net "soak*" runs it for an hour instead (the
// same mix: one ECDSA session in six), with a crash and a round of resets every 200 sessions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <random>
#include <set>
#include <shared_mutex>
#include <sstream>

#include "support/independent_verify.hpp"
#include "tcp_fixture.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/dkg/dkg.hpp"
#include "tsign/ecdsa/keygen.hpp"
#include "tsign/ecdsa/sign.hpp"
#include "tsign/frost/frost.hpp"
#include "tsign/frost/signing_protocol.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

using FrostSuite = FrostSecp256k1;
using FrostShare = KeyShare<FrostSuite::Group>;

constexpr std::uint32_t kThreshold = 3;
constexpr PartyId kDropper = 5;
constexpr PartyId kFlooder = 4;
constexpr std::size_t kInFlight = 16;
// The dropper's cycle: kBetween sessions, a crash, kDownFor down, kBetween sessions, five rounds
// of connection resets 300 ms apart, and again.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kBetween = 50;
#else
constexpr std::size_t kBetween = 100;
#endif
constexpr auto kDownFor = std::chrono::seconds(2);
// A session started this soon after the dropper returned may still find it unreachable (its
// peers redial it with backoff), and is counted with those the crash overlapped.
constexpr auto kRedialGrace = std::chrono::seconds(1);
constexpr int kOwnCopies = 4;                // extra copies of each of the flooder's own messages
#if defined(__SANITIZE_ADDRESS__)
// Everything runs several times slower, and AddressSanitizer keeps freed blocks in quarantine.
constexpr std::size_t kFrostSessions = 250, kEcdsaSessions = 50;
constexpr int kRoundTimeoutMs = 10'000;
constexpr std::size_t kRssBound = 2048u << 20;
#else
constexpr std::size_t kFrostSessions = 1000, kEcdsaSessions = 200;
constexpr int kRoundTimeoutMs = 5000;
constexpr std::size_t kRssBound = 256u << 20;
#endif

const std::vector<PartyId> kParties{1, 2, 3, 4, 5};

bool involves(const std::vector<PartyId>& ids, PartyId p) { return std::find(ids.begin(), ids.end(), p) != ids.end(); }

std::string list(const std::vector<PartyId>& ids) {
  std::string out;
  for (PartyId p : ids) out += (out.empty() ? "" : ",") + std::to_string(p);
  return "{" + out + "}";
}

// The cluster with one node that can crash and return: every use of a node goes through here.
class SoakNodes {
 public:
  explicit SoakNodes(Cluster& cluster) : cluster_(cluster) {}

  // A session view on party p's node, or nothing while its node is down.
  std::unique_ptr<Transport> open(PartyId p, const SessionId& session) {
    std::shared_lock lock(mutex_);
    auto& node = cluster_.nodes.at(p);
    if (!node) return nullptr;
    auto view = node->open_session(session);
    return view ? std::move(view).value() : nullptr;
  }
  // How many times p's node has crashed so far.
  std::size_t crashes() const { return crashes_.load(); }
  // Where the crashes stand when a session starts; disturbed(): a crash, the time down, or the
  // grace after the return overlapped the session.
  struct Mark {
    std::size_t crashes = 0;
    bool down = false;
    std::chrono::steady_clock::time_point at;
  };
  Mark mark() {
    std::shared_lock lock(mutex_);
    return {crashes_.load(), down_, std::chrono::steady_clock::now()};
  }
  bool disturbed(const Mark& m) {
    std::shared_lock lock(mutex_);
    return m.down || down_ || crashes_.load() != m.crashes || returned_ + kRedialGrace > m.at;
  }
  void crash(PartyId p) {
    std::unique_lock lock(mutex_);
    port_ = cluster_.nodes.at(p)->listen_port();
    ++crashes_;                    // first: a run that fails now sees it
    down_ = true;
    cluster_.nodes.at(p).reset();  // its open sessions fail at once
  }
  void restart(PartyId p, const TcpOptions& options) {
    std::unique_lock lock(mutex_);
    PartyConfig again = cluster_.configs.at(p).clone();
    again.listen_port = port_;
    auto node = TcpNode::start(std::move(again), options);
    if (!node) throw std::runtime_error("restart: " + node.error().describe());
    cluster_.nodes[p] = std::move(node).value();
    down_ = false;
    returned_ = std::chrono::steady_clock::now();
    for (auto& [other, n] : cluster_.nodes) {
      if (other != p) (void)cluster_.nodes[p]->set_peer_address(other, "127.0.0.1", n->listen_port());
    }
  }
  void reset_links(PartyId p) {
    std::shared_lock lock(mutex_);
    for (PartyId other : cluster_.ids) {
      if (other != p) cluster_.nodes.at(p)->reset_connection(other);
    }
  }

 private:
  Cluster& cluster_;
  std::shared_mutex mutex_;
  std::atomic<std::size_t> crashes_{0};
  std::uint16_t port_ = 0;
  bool down_ = false;
  std::chrono::steady_clock::time_point returned_{};
};

// A member that sends every message of its own sessions 1 + copies times (an over-eager resend).
class Repeating final : public Transport {
 public:
  Repeating(Transport& inner, int copies) : inner_(inner), copies_(copies) {}
  PartyId self() const override { return inner_.self(); }
  Status send(PartyId to, Bytes data) override {
    for (int i = 0; i < copies_; ++i) (void)inner_.send(to, data);
    return inner_.send(to, std::move(data));
  }
  Result<std::optional<IncomingMessage>> receive(Clock::time_point deadline) override { return inner_.receive(deadline); }
  std::string peer_status(PartyId p) const override { return inner_.peer_status(p); }
  bool peer_unreachable(PartyId p) const override { return inner_.peer_unreachable(p); }

 private:
  Transport& inner_;
  int copies_;
};

// The sessions in flight, as the flooder learns them.
class InFlight {
 public:
  void add(const SessionId& s, const std::vector<PartyId>& signers) {
    std::lock_guard lock(mutex_);
    sessions_[s] = signers;
  }
  void remove(const SessionId& s) {
    std::lock_guard lock(mutex_);
    sessions_.erase(s);
  }
  std::vector<std::pair<SessionId, std::vector<PartyId>>> without(PartyId p) const {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<SessionId, std::vector<PartyId>>> out;
    for (const auto& [s, signers] : sessions_) {
      if (!involves(signers, p)) out.emplace_back(s, signers);
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::map<SessionId, std::vector<PartyId>> sessions_;
};

struct Keys {
  std::vector<FrostShare> frost;           // party i + 1's at i
  std::vector<EcdsaKeyShare> ecdsa;        // party i + 1's at i
};

// Runs one key protocol among every party over the cluster and takes each party's output.
template <class P, class Make>
auto keygen_over_tcp(Cluster& cluster, const SigningParties& signing, Make make) {
  const SessionId session = random_session_id();
  std::vector<P> parties;
  for (PartyId p : kParties) parties.push_back(make(p, session));
  auto options = signing.options(kParties, quick_options(60'000));
  std::vector<Status> status(kParties.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kParties.size(); ++i) {
    threads.emplace_back([&, i] { status[i] = run_session(parties[i], *cluster.nodes.at(kParties[i]), session, options[i]); });
  }
  for (auto& t : threads) t.join();
  for (const auto& s : status) REQUIRE(describe(s) == "ok");
  std::vector<std::decay_t<decltype(parties[0].take_output().value())>> out;
  for (auto& p : parties) out.push_back(p.take_output().value());
  return out;
}

Keys generate_keys(Cluster& cluster, const SigningParties& signing) {
  const DkgConfig frost_config{{}, kParties, kThreshold};
  Keys keys;
  keys.frost = keygen_over_tcp<DkgProtocol<FrostSuite>>(cluster, signing, [&](PartyId p, const SessionId& s) {
    DkgConfig c = frost_config;
    c.session = s;
    return DkgProtocol<FrostSuite>::create(p, c).value();
  });
  auto ecdsa = keygen_over_tcp<EcdsaKeyProtocol>(cluster, signing, [&](PartyId p, const SessionId& s) {
    DkgConfig c = frost_config;
    c.session = s;
    return EcdsaKeyProtocol::keygen(p, c).value();
  });
  for (auto& share : ecdsa) keys.ecdsa.push_back(std::move(*share));
  return keys;
}

enum class Kind { Frost, Ecdsa };

// How one signer's run ended.
struct PartyRun {
  PartyId id = 0;
  bool offline = false;  // its node was down when the session started: it never ran
  bool crashed = false;  // its node went down during the run
  Status status;
  std::string signature_hex;  // when it finished
};

struct Tally {
  std::mutex mutex;
  std::size_t sessions = 0, frost = 0, ecdsa = 0, signatures = 0;
  std::size_t without_dropper = 0, without_dropper_failed = 0;
  std::size_t with_dropper_failed = 0;
  // Sessions with the dropper and without the flooder that no crash overlapped.
  std::size_t with_dropper_undisturbed = 0, with_dropper_undisturbed_failed = 0;
  std::map<std::string, std::size_t> failures;  // "<kind> naming {..}" over every judged party
  std::vector<std::string> violations;

  void violation(std::string what) {
    if (violations.size() < 50) violations.push_back(std::move(what));
  }
};

// The parties a failed run names: its culprits, and the parties a peer's abort notice blames.
std::vector<PartyId> named_by(const Status& s) {
  std::vector<PartyId> named = s.error().culprits;
  for (PartyId p : blamed_by_notice(s)) named.push_back(p);
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  return named;
}

// The public key and message of a session and every signer's outcome: checks them and counts.
// A party that did not crash may name the dropper and the flooder, never an honest party (a
// peer's abort notice names nobody at the party that receives it).
void judge(Tally& tally, Kind kind, const std::vector<PartyId>& signers, const std::string& public_key_hex,
           const Bytes& message, const std::vector<PartyRun>& runs, bool dropper_disturbed) {
  std::lock_guard lock(tally.mutex);
  ++tally.sessions;
  ++(kind == Kind::Frost ? tally.frost : tally.ecdsa);
  const bool with_dropper = involves(signers, kDropper);
  const std::string where = std::string(kind == Kind::Frost ? "FROST" : "ECDSA") + " session of " + list(signers);
  bool any_failed = false;
  std::string signature;
  std::map<PartyId, std::vector<PartyId>> names;  // every failed run that counts, and whom it names
  for (const auto& run : runs) {
    if (run.offline || run.crashed) {
      any_failed = true;
      continue;
    }
    if (run.status) {
      if (signature.empty()) {
        signature = run.signature_hex;
        const bool verifies = kind == Kind::Frost ? frost_secp256k1_verifies(public_key_hex, message, signature)
                                                  : ecdsa_verifies(public_key_hex, to_hex(message), signature);
        if (!verifies) tally.violation(where + ": the signature does not verify");
        ++tally.signatures;
      } else if (run.signature_hex != signature) {
        tally.violation(where + ": party " + std::to_string(run.id) + " holds another signature");
      }
      continue;
    }
    any_failed = true;
    if (run.id == kFlooder) continue;  // what the flooder reports proves nothing
    const Error& e = run.status.error();
    names[run.id] = named_by(run.status);
    tally.failures[std::string(to_string(e.kind)) + " naming " + list(names[run.id])]++;
    // A timeout may name nobody: the parties it waited for said they had stopped waiting themselves.
    if ((names[run.id].empty() && e.kind != ErrorKind::Timeout) ||
        (e.kind != ErrorKind::Timeout && e.kind != ErrorKind::ProtocolAborted)) {
      tally.violation(where + ": party " + std::to_string(run.id) + " failed without naming a party: " + e.describe());
    }
  }
  for (const auto& run : runs) {
    if (!names.count(run.id)) continue;
    for (PartyId p : names[run.id]) {
      if (p == kDropper || p == kFlooder) continue;
      const std::string what = where + ": party " + std::to_string(run.id) + " named honest party " + std::to_string(p) +
                               ": " + run.status.error().describe();
      tally.violation(what);
    }
  }
  if (with_dropper) {
    tally.with_dropper_failed += any_failed;
    if (!dropper_disturbed && !involves(signers, kFlooder)) {  // the flooder may stall its own links
      ++tally.with_dropper_undisturbed;
      tally.with_dropper_undisturbed_failed += any_failed;
    }
  } else {
    ++tally.without_dropper;
    tally.without_dropper_failed += any_failed;
    if (any_failed) {
      std::string why;
      for (const auto& run : runs) why += " party " + std::to_string(run.id) + ": " + describe(run.status) + ";";
      tally.violation(where + " (without party 5) failed:" + why);
    }
  }
}

struct Soak {
  Cluster& cluster;
  SoakNodes nodes;
  const SigningParties& signing;
  const Keys& keys;
  InFlight in_flight;
  Tally tally;
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<bool> stop{false};

  Soak(Cluster& c, const SigningParties& s, const Keys& k) : cluster(c), nodes(c), signing(s), keys(k) {}

  // Runs one signer in its own thread's share of the session.
  PartyRun run_party(RoundProtocol& protocol, const SessionId& session) {
    PartyRun run;
    run.id = protocol.self();
    const std::size_t crashes = nodes.crashes();
    auto view = nodes.open(run.id, session);
    if (!view) {
      run.offline = true;
      run.status = make_error(ErrorKind::Transport, "node down");
      return run;
    }
    EngineOptions options = quick_options(kRoundTimeoutMs);
    options.broadcast_keys = &signing.keys.at(run.id);
    if (run.id == kFlooder) {
      Repeating loud(*view, kOwnCopies);
      run.status = run_session(protocol, loud, session, options);
    } else {
      run.status = run_session(protocol, *view, session, options);
    }
    run.crashed = !run.status && run.id == kDropper && nodes.crashes() != crashes;
    return run;
  }

  void run_session_of(Kind kind, std::mt19937_64& rng) {
    std::vector<PartyId> signers = kParties;
    std::shuffle(signers.begin(), signers.end(), rng);
    signers.resize(kThreshold);
    std::sort(signers.begin(), signers.end());
    const SessionId session = random_session_id();
    const Bytes message = random_bytes(32);  // for ECDSA, the digest

    std::deque<EcdsaKeyShare> ecdsa_shares;  // each signer's own copy (the protocol keeps a reference)
    std::vector<std::unique_ptr<frost::SigningProtocol<FrostSuite>>> frost_signers;
    std::vector<std::unique_ptr<EcdsaSignProtocol>> ecdsa_signers;
    std::vector<RoundProtocol*> protocols;
    std::string public_key_hex;
    for (PartyId p : signers) {
      if (kind == Kind::Frost) {
        frost_signers.push_back(std::make_unique<frost::SigningProtocol<FrostSuite>>(
            frost::SigningProtocol<FrostSuite>::create(keys.frost[p - 1].clone(), signers, message).value()));
        protocols.push_back(frost_signers.back().get());
        public_key_hex = to_hex(keys.frost[p - 1].group_public_key.to_bytes());
      } else {
        ecdsa_shares.push_back(keys.ecdsa[p - 1].clone());
        Digest32 digest{};
        std::copy(message.begin(), message.end(), digest.begin());
        ecdsa_signers.push_back(std::make_unique<EcdsaSignProtocol>(
            EcdsaSignProtocol::create(ecdsa_shares.back(), {session, signers, {}, digest}).value()));
        protocols.push_back(ecdsa_signers.back().get());
        public_key_hex = to_hex(keys.ecdsa[p - 1].key.group_public_key.to_bytes());  // the root: no path
      }
    }

    const auto mark = nodes.mark();
    in_flight.add(session, signers);
    std::vector<PartyRun> runs(signers.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < signers.size(); ++i) {
      threads.emplace_back([&, i] { runs[i] = run_party(*protocols[i], session); });
    }
    for (auto& t : threads) t.join();
    in_flight.remove(session);

    for (std::size_t i = 0; i < signers.size(); ++i) {
      if (!runs[i].status || runs[i].offline) continue;
      if (kind == Kind::Frost) {
        auto sig = frost_signers[i]->take_output();
        runs[i].signature_hex = sig ? to_hex(sig->to_bytes()) : "";
      } else {
        auto sig = ecdsa_signers[i]->take_output();
        runs[i].signature_hex = sig ? to_hex(sig->compact()) : "";
      }
    }
    judge(tally, kind, signers, public_key_hex, message, runs, nodes.disturbed(mark));
  }

  // One of the 16 slots: sessions one after another until the plan is done.
  void worker(const std::vector<Kind>& plan, std::chrono::steady_clock::time_point until) {
    std::mt19937_64 rng(std::random_device{}());
    while (!stop) {
      const std::size_t k = next++;
      Kind kind;
      if (!plan.empty()) {
        if (k >= plan.size()) break;
        kind = plan[k];
      } else {
        if (std::chrono::steady_clock::now() >= until) break;
        kind = rng() % 6 == 0 ? Kind::Ecdsa : Kind::Frost;
      }
      run_session_of(kind, rng);
      ++done;
    }
  }

  // The dropper: crashes and returns a few seconds later, then has its connections reset, then
  // crashes again, with kBetween sessions run in between.
  void chaos(const TcpOptions& options) {
    auto wait_for_more = [&](std::size_t sessions) {
      const std::size_t target = done.load() + sessions;
      while (!stop && done.load() < target) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return !stop;
    };
    while (wait_for_more(kBetween)) {
      nodes.crash(kDropper);
      for (auto until = std::chrono::steady_clock::now() + kDownFor; !stop && std::chrono::steady_clock::now() < until;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      nodes.restart(kDropper, options);
      if (!wait_for_more(kBetween)) return;
      for (int i = 0; i < 5 && !stop; ++i) {
        nodes.reset_links(kDropper);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
      }
    }
  }

  // The flooder's second thread: junk for the signers of sessions it is not in, and for session
  // ids nobody opens, through its own node.
  std::size_t flood() {
    std::mt19937_64 rng(std::random_device{}());
    std::size_t sent = 0;
    auto junk = [&] { return random_bytes(16 + rng() % 1024); };
    for (std::size_t turn = 0; !stop; ++turn) {
      auto targets = in_flight.without(kFlooder);
      std::shuffle(targets.begin(), targets.end(), rng);
      if (targets.size() > 4) targets.resize(4);
      for (const auto& [session, signers] : targets) {
        auto view = nodes.open(kFlooder, session);
        if (!view) continue;
        for (PartyId victim : signers) {
          for (int i = 0; i < 32; ++i) sent += view->send(victim, junk()).ok();
        }
      }
      if (turn % 20 == 0) {  // about two unknown session ids a second
        auto view = nodes.open(kFlooder, random_session_id());
        for (PartyId victim : kParties) {
          if (victim == kFlooder || !view) continue;
          for (int i = 0; i < 16; ++i) sent += view->send(victim, junk()).ok();
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return sent;
  }
};

}  // namespace

TEST_CASE("soak: FROST and ECDSA sessions over TCP, 16 in flight, while party 5 crashes and returns and party 4 floods") {
  std::chrono::seconds duration{0};
  if (const char* s = std::getenv("TSIGN_SOAK_SECONDS")) duration = std::chrono::seconds(std::strtoul(s, nullptr, 10));
  std::vector<Kind> plan;
  if (duration.count() == 0) {
    plan.assign(kFrostSessions, Kind::Frost);
    plan.insert(plan.end(), kEcdsaSessions, Kind::Ecdsa);
    std::shuffle(plan.begin(), plan.end(), std::mt19937_64(std::random_device{}()));
  }

  Cluster cluster(kParties);
  const TcpOptions options = fast_tcp_options();
  cluster.start(options);
  const SigningParties signing(kParties);
  const Keys keys = generate_keys(cluster, signing);

  const auto start = std::chrono::steady_clock::now();
  Soak soak(cluster, signing, keys);
  std::atomic<std::size_t> resident_peak{resident_bytes()};
  std::thread sampler([&] {
    while (!soak.stop) {
      resident_peak = std::max(resident_peak.load(), resident_bytes());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::size_t flooded = 0;
  std::thread flooder([&] { flooded = soak.flood(); });
  std::thread chaos([&] { soak.chaos(options); });
  std::vector<std::thread> workers;
  for (std::size_t i = 0; i < kInFlight; ++i) workers.emplace_back([&] { soak.worker(plan, start + duration); });
  for (auto& w : workers) w.join();
  soak.stop = true;
  chaos.join();
  flooder.join();
  sampler.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const Tally& t = soak.tally;
  std::ostringstream failures;
  for (const auto& [what, n] : t.failures) failures << (failures.tellp() > 0 ? ", " : "") << n << " " << what;
  WARN("soak: " << t.sessions << " sessions (" << t.frost << " FROST, " << t.ecdsa << " ECDSA) in " << seconds
                << " s; " << t.signatures << " signatures verified; party 5 crashed " << soak.nodes.crashes()
                << " times; sessions without party 5: " << t.without_dropper << ", failed "
                << t.without_dropper_failed << "; with party 5 failed: " << t.with_dropper_failed
                << " (of those without party 4 that no crash overlapped: " << t.with_dropper_undisturbed_failed << " of "
                << t.with_dropper_undisturbed << ")"
                << "; failures seen by honest parties: " << (t.failures.empty() ? "none" : failures.str())
                << "; flood messages sent: " << flooded << "; resident peak sampled "
                << (resident_peak.load() >> 20) << " MiB, VmHWM " << (resident_bytes("VmHWM:") >> 20) << " MiB");
  for (const auto& v : t.violations) FAIL_CHECK(v);
  if (!plan.empty()) CHECK(t.sessions == plan.size());
  CHECK(soak.nodes.crashes() >= 1);
  CHECK(t.without_dropper > 0);
  CHECK(t.without_dropper_failed == 0);
  CHECK(t.with_dropper_undisturbed > 0);
  CHECK(t.with_dropper_undisturbed_failed == 0);  // connection resets lose nothing
  CHECK(t.signatures > 0);
  CHECK(resident_peak.load() < kRssBound);
}
